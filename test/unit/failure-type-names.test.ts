/**
 * Failure type names are spelled in one place, domain/failure-types.ts, shared by the
 * workflows (retry policies, matches) and the activities and clients that raise them: a name
 * spelled differently on the two sides turns a final failure into endless retries, or the
 * other way round. No process code raises or matches a failure type by a literal name.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(import.meta.dirname, '..', '..');
const processCode = ['activities', 'workflows', 'client', 'clients', 'codec', 'worker', 'receiver'];

/** A failure type written as a literal: raised (`type: 'X'`, `nonRetryable(msg, 'X')`) or matched. */
const LITERAL_TYPES = [
  /ApplicationFailure\.create\(\{[^}]*\btype:\s*['"`]/s,
  /ApplicationFailure\.(?:nonRetryable|retryable)\([^;]*,\s*['"`][A-Z]\w*['"`]\s*,?\s*\)/s,
  /\.type\s*===\s*['"`][A-Z]/,
  /nonRetryableErrorTypes:\s*\[[^\]]*['"`][A-Z]/s,
];

function tsFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

test('failure type names come from domain/failure-types.ts only', () => {
  const offenders = processCode
    .flatMap(tsFiles)
    .filter((file) => LITERAL_TYPES.some((re) => re.test(readFileSync(join(root, file), 'utf8'))));
  assert.deepEqual(offenders, [], 'use a constant of domain/failure-types.ts');
});

test('the check sees a literal name', () => {
  const samples = [
    "throw ApplicationFailure.create({ type: 'ForgedState', message: 'no', nonRetryable: true });",
    "ApplicationFailure.nonRetryable('message', 'UnknownEncryptionKey')",
    "ApplicationFailure.nonRetryable(\n  `message`,\n  'UnknownEncryptionKey',\n)",
    "if (err.type === 'RequestRejected') return;",
    "nonRetryableErrorTypes: [...FINAL, 'DestinationRefused'],",
  ];
  for (const sample of samples)
    assert.ok(
      LITERAL_TYPES.some((re) => re.test(sample)),
      sample,
    );
  assert.ok(
    !LITERAL_TYPES.some((re) => re.test('ApplicationFailure.create({ type: FORGED_STATE, message })')),
  );
});
