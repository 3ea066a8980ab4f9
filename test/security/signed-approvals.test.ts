/**
 * Signed approvals through the real worker and CLI: a paused import takes a decision only when
 * it is signed by a key in the worker's APPROVER_KEYS_FILE over the plan it waits on; every
 * forgery below is refused with its reason and the run keeps waiting, writing nothing.
 */
import assert from 'node:assert/strict';
import { userInfo } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { Client } from '@temporalio/client';
import { dataConverterFor } from '../../codec/data-converter.js';
import { parseKeyRing } from '../../codec/keys.js';
import { approveUpdate, progressQuery, type ImportReport } from '../../workflows/import-api.js';
import { approverFiles, signedDecision } from '../helpers/approvers.js';
import { pauseForApproval, startSecurityEnv, type SecurityEnv } from '../helpers/security-env.js';
import { testTemporal } from '../helpers/temporal.js';

describe('signed approvals', () => {
  let env: SecurityEnv;
  let client: Client;
  let approvers: ReturnType<typeof approverFiles>;
  const workflowId = () => `${env.taskQueue}-paused`;
  before(async () => {
    env = await startSecurityEnv('signed-approvals', {
      workerEnv: (dir) => {
        // "root" (who runs the CLI in CI) is an approver too: four eyes must stop them.
        approvers = approverFiles(dir);
        return { APPROVER_KEYS_FILE: approvers.keysFile };
      },
    });
    const { connection } = await testTemporal();
    client = new Client({
      connection,
      dataConverter: dataConverterFor(parseKeyRing(env.common.PAYLOAD_KEYS!, 'PAYLOAD_KEYS')),
    });
    await pauseForApproval(env, client, workflowId());
  });
  after(() => env?.close());

  const decide = (...args: string[]) => env.cli([...args.slice(0, 1), workflowId(), ...args.slice(1)]);
  const stillWaiting = async () => {
    const p = await client.workflow.getHandle(workflowId()).query(progressQuery);
    assert.equal(p.phase, 'awaiting-approval', 'the run keeps waiting');
  };

  it('refuses a name without a key', async () => {
    const { code, out } = await decide('approve', '--by', 'ops@example.com');
    assert.equal(code, 2, out);
    assert.match(out, /--key: the approver's private key file is needed/);
    await stillWaiting();
  });

  it('refuses an unsigned update sent straight to Temporal', async () => {
    const handle = client.workflow.getHandle(workflowId());
    await assert.rejects(
      handle.executeUpdate(approveUpdate, { args: [{ by: 'ops@example.com' }] }),
      (err: Error) => /a decision must be signed/.test(String((err.cause as Error | undefined)?.message)),
    );
    await stillWaiting();
  });

  it('refuses a key that is not listed, and a listed name signed with another key', async () => {
    const stranger = `${env.dir}/stranger.pem`;
    const made = await env.cli([
      'approver-key',
      'create',
      '--name',
      'mallory',
      '--private-key-out',
      stranger,
    ]);
    assert.equal(made.code, 0, made.out);
    assert.match(made.out, /^mallory [A-Za-z0-9+/=]{40,}$/m, 'prints the line for APPROVER_KEYS_FILE');
    const unknown = await decide('approve', '--by', 'mallory', '--key', stranger);
    assert.equal(unknown.code, 2, unknown.out);
    assert.match(
      unknown.out,
      /refused: mallory is not an approver listed in the worker's APPROVER_KEYS_FILE/,
    );
    const wrongKey = await decide('approve', '--by', 'ops@example.com', '--key', stranger);
    assert.match(wrongKey.out, /refused: the signature is not valid for ops@example\.com's key/);
    await stillWaiting();
  });

  it('refuses a signature over another run, another plan, or the other decision (replays)', async () => {
    const handle = client.workflow.getHandle(workflowId());
    // Statements signed properly by a listed key, bound to something else than this wait.
    const forged = async (patch: Record<string, string>, decision: 'approve' | 'reject' = 'approve') => {
      const d = await signedDecision(handle, decision, 'ops@example.com', { patch });
      return handle.executeUpdate(approveUpdate, { args: [d] }).then(
        () => assert.fail('accepted'),
        (err: Error) => String((err.cause as Error | undefined)?.message),
      );
    };
    assert.match(
      await forged({ runId: 'another-run-id' }),
      /refused: the signature is for another import run/,
    );
    assert.match(await forged({ planDigest: 'f'.repeat(64) }), /refused: the signature is over another plan/);
    assert.match(await forged({}, 'reject'), /refused: the signature is for "reject", not "approve"/);
    assert.match(
      await forged({ at: '2020-01-01T00:00:00.000Z' }),
      /refused: the signature was made before this run asked/,
    );
    await stillWaiting();
  });

  it('four eyes: whoever started the run cannot approve it', async () => {
    const me = userInfo().username;
    const { code, out } = await decide('approve', '--by', me, '--key', approvers.keyFile(me));
    assert.equal(code, 2, out);
    assert.match(out, new RegExp(`refused: four eyes: ${me} started this import and may not approve it`));
    await stillWaiting();
  });

  it('takes a valid signed approval, and shows the approver and key id', async () => {
    const writes = env.jumpcloud.stats.snapshot().writes;
    const { code, out } = await decide(
      'approve',
      '--by',
      'ops@example.com',
      '--key',
      approvers.keyFile('ops@example.com'),
    );
    assert.equal(code, 0, out);
    assert.match(out, /Approved by ops@example\.com \(key [0-9a-f]{16}\)/);
    const report = (await client.workflow.getHandle(workflowId()).result()) as ImportReport;
    assert.equal(report.approval?.by, 'ops@example.com');
    assert.match(report.approval?.keyId ?? '', /^[0-9a-f]{16}$/);
    assert.equal(report.counts.suspended, 4);
    assert.notDeepEqual(env.jumpcloud.stats.snapshot().writes, writes, 'applied after the approval');
    const replay = await decide(
      'approve',
      '--by',
      'ops@example.com',
      '--key',
      approvers.keyFile('ops@example.com'),
    );
    assert.equal(replay.code, 2, 'a second (replayed) decision is refused');
  });
});

describe('APPROVAL_FOUR_EYES=off', () => {
  let env: SecurityEnv;
  let client: Client;
  let approvers: ReturnType<typeof approverFiles>;
  before(async () => {
    env = await startSecurityEnv('four-eyes-off', {
      workerEnv: (dir) => {
        approvers = approverFiles(dir);
        return { APPROVER_KEYS_FILE: approvers.keysFile, APPROVAL_FOUR_EYES: 'off' };
      },
    });
    const { connection } = await testTemporal();
    client = new Client({
      connection,
      dataConverter: dataConverterFor(parseKeyRing(env.common.PAYLOAD_KEYS!, 'PAYLOAD_KEYS')),
    });
  });
  after(() => env?.close());

  it('whoever started the run may approve it, with a key of their own', async () => {
    const workflowId = `${env.taskQueue}-paused`;
    await pauseForApproval(env, client, workflowId);
    const me = userInfo().username;
    const { code, out } = await env.cli(['approve', workflowId, '--by', me, '--key', approvers.keyFile(me)]);
    assert.equal(code, 0, out);
    const report = (await client.workflow.getHandle(workflowId).result()) as ImportReport;
    assert.equal(report.approval?.by, me);
    assert.equal(report.counts.suspended, 4);
  });
});
