/**
 * Configuration is read in config/ only: the processes' code (worker, CLI, codec server,
 * receiver, activities, clients, logging) reads no variable from process.env itself, so every
 * setting has one place that reads, checks and documents it. Loaders elsewhere may take an
 * environment (`env = process.env`) passed whole; the tooling (local-temporal/, demo/, bench/,
 * sandbox/, test/) has knobs of its own.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const root = join(import.meta.dirname, '..', '..');
const processCode = [
  'worker',
  'client',
  'codec',
  'clients',
  'activities',
  'observability',
  'workflows',
  'domain',
  'receiver',
];
/**
 * A variable read by name: process.env.X, process.env['X'], process.env destructured or kept,
 * or env.X / env['X'] (how the loaders read the environment they are given).
 */
const READS = /process\.env(?:\.[A-Za-z_]|\[|\?\.)|=\s*process\.env\s*;|\benv(?:\?)?(?:\.[A-Z]|\[['"][A-Z])/;

function tsFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

function readsOutsideConfig(): string[] {
  return processCode.flatMap(tsFiles).flatMap((file) =>
    readFileSync(join(root, file), 'utf8')
      .split('\n')
      .flatMap((line, i) =>
        READS.test(line) ? [`${relative(root, join(root, file))}:${i + 1}: ${line.trim()}`] : [],
      ),
  );
}

test('variables are read in config/ only', () => {
  assert.deepEqual(
    readsOutsideConfig(),
    [],
    'read these in config/ (config/process-settings.ts for the simple ones)',
  );
});

test('the check sees a read (it can fail)', () => {
  assert.ok(READS.test('const level = process.env.LOG_LEVEL;'));
  assert.ok(READS.test("const x = process.env['X'];"));
  assert.ok(READS.test('const { A } = process.env;'));
  assert.ok(READS.test('if (env.PAYLOAD_KEYS) return;'));
  assert.ok(!READS.test('export function load(env: Env = process.env) {'));
  assert.ok(!READS.test('loadWebhookAdminSettings(process.env, needToken);'));
});
