/**
 * The signed approval's rules, without a server: the approver keys file, and what a signature
 * must be bound to (the worker runs the same code: test/security/signed-approvals.test.ts).
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { test } from 'node:test';
import { createApprovalActivities } from '../../activities/approval.js';
import { parseApproverKeys } from '../../config/approver-keys.js';
import type { ConfigError } from '../../config/env.js';
import { statementText, type ApprovalStatement } from '../../domain/approval-statement.js';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const encoded = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');

test('APPROVER_KEYS_FILE: one NAME KEY per line; every bad line named', () => {
  const ok = parseApproverKeys(`# approvers\njane ${encoded}\n\n`, 'F');
  assert.equal(ok.length, 1);
  assert.match(ok[0]!.keyId, /^[0-9a-f]{16}$/);
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({
    format: 'der',
    type: 'spki',
  });
  assert.throws(
    () => parseApproverKeys(`jane\nbob ${rsa.toString('base64')}\nhas space ${encoded} x`, 'F'),
    (err: ConfigError) =>
      err.problems.length === 3 &&
      /F line 1: needs the form NAME PUBLIC_KEY/.test(err.problems[0]!) &&
      /F line 2: the key of bob is not an Ed25519 public key/.test(err.problems[1]!),
  );
});

test('a signature counts only by a listed key, over this run, this plan, this decision, now', async () => {
  const activities = createApprovalActivities({
    approval: { fourEyes: false, approvers: parseApproverKeys(`jane ${encoded}`, 'F') },
  });
  const verifyApproval = (c: Parameters<typeof activities.verifyApproval>[0]) => activities.verifyApproval(c);
  const now = new Date().toISOString();
  const expected = { workflowId: 'w', runId: 'r', planDigest: 'd', decision: 'approve' as const };
  const check = (patch: Partial<ApprovalStatement>, signWith = privateKey) => {
    const statement: ApprovalStatement = { ...expected, by: 'jane', at: now, ...patch };
    const signature = sign(null, Buffer.from(statementText(statement)), signWith).toString('base64');
    return verifyApproval({ statement, signature, expected, requestedAt: now, now, firstRunId: 'r0' });
  };
  assert.deepEqual(await check({}), {
    ok: true,
    name: 'jane',
    keyId: parseApproverKeys(`jane ${encoded}`, 'F')[0]!.keyId,
  });
  const reason = async (patch: Partial<ApprovalStatement>, key = privateKey) => {
    const verdict = await check(patch, key);
    assert.ok(!verdict.ok);
    return verdict.reason;
  };
  assert.match(await reason({ by: 'bob' }), /bob is not an approver/);
  assert.match(await reason({}, generateKeyPairSync('ed25519').privateKey), /not valid for jane's key/);
  assert.match(await reason({ runId: 'other' }), /for another import run/);
  assert.match(await reason({ workflowId: 'other' }), /for another import run/);
  assert.match(await reason({ planDigest: 'other' }), /over another plan/);
  assert.match(await reason({ decision: 'reject' }), /for "reject", not "approve"/);
  assert.match(await reason({ at: '2020-01-01T00:00:00Z' }), /made before this run asked/);
  const none = createApprovalActivities({});
  const verdict = await none.verifyApproval({
    statement: { ...expected, by: 'jane', at: now },
    signature: '',
    expected,
    requestedAt: now,
    now,
    firstRunId: 'r0',
  });
  assert.deepEqual(verdict, {
    ok: false,
    reason: 'this worker lists no approver (APPROVER_KEYS_FILE is not set): nobody can approve',
  });
});
