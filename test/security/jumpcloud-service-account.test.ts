/**
 * JumpCloud Service Accounts through the real processes: the worker imports with
 * JUMPCLOUD_CLIENT_ID and JUMPCLOUD_CLIENT_SECRET_FILE (no API key at all), renews its token
 * as it expires, and neither the secret nor any token reaches the log (debug level), the CLI
 * or the history. Refused: a wrong secret (final, names the variables), and a worker given
 * both an API key and a service account.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { createJumpCloudSandbox } from '../../sandbox/jumpcloud/server.js';
import {
  createPersonioSandbox,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
} from '../../sandbox/personio/server.js';
import { historyText } from '../helpers/history-text.js';
import { taskQueueFor, testTemporal } from '../helpers/temporal.js';
import { runProject, type ProcessHandle } from '../helpers/worker-process.js';

const clientId = `svc-${randomBytes(6).toString('hex')}`;
const clientSecret = `SVC-SECRET-${randomBytes(12).toString('hex')}`;
const apiKey = `NEVER-GIVEN-KEY-${randomBytes(8).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'jc-service-account-'));
const secretFile = join(dir, 'jumpcloud_client_secret');
writeFileSync(secretFile, `${clientSecret}\n`, { mode: 0o600 });

describe('a worker with a JumpCloud service account', () => {
  const personio = createPersonioSandbox({ employees: 40, seed: 11 });
  // Two-second tokens and 150 ms per JumpCloud answer, so the import outlives several tokens
  // (without the latency a fast machine imports 40 employees within one).
  const jumpcloud = createJumpCloudSandbox({
    apiKey,
    serviceAccount: { clientId, clientSecret, tokenLifetimeSeconds: 2 },
    faults: { latencyMs: 150 },
  });
  let worker: ProcessHandle;
  let cli: ProcessHandle;
  let workflowId: string;
  let common: Record<string, string>;
  let workerEnv: Record<string, string>;

  before(async () => {
    await personio.listen(0);
    await jumpcloud.listen(0);
    const { address } = await testTemporal();
    const taskQueue = taskQueueFor('jumpcloud-service-account');
    workflowId = `personio-import-${taskQueue}`;
    common = { TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: taskQueue, PAYLOAD_ENCRYPTION: 'off' };
    workerEnv = {
      ...common,
      LOG_LEVEL: 'debug',
      PERSONIO_BASE_URL: personio.url,
      PERSONIO_CLIENT_ID: SANDBOX_CLIENT_ID,
      PERSONIO_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
      JUMPCLOUD_BASE_URL: jumpcloud.url,
      JUMPCLOUD_CLIENT_ID: clientId,
      JUMPCLOUD_CLIENT_SECRET_FILE: secretFile,
    };
    worker = runProject('worker/main.ts', [], workerEnv);
    await worker.waitFor(/worker started/);
    cli = runProject('client/cli.ts', ['import'], common);
    await cli.exited;
  });

  after(async () => {
    await worker?.stop();
    await personio.close();
    await jumpcloud.close();
  });

  it('imports every employee with bearer tokens only, renewing them as they expire', () => {
    assert.equal(cli.proc.exitCode, 0, cli.output.join('\n'));
    assert.ok(jumpcloud.store.userCount > 0, 'users were created');
    const tokens = jumpcloud.serviceAccount.issued.length;
    assert.ok(tokens >= 2, `${tokens} tokens: renewed as they expired`);
    const stats = jumpcloud.stats.snapshot();
    const refused = Object.values(stats.requests)
      .map((byStatus) => byStatus['401'] ?? 0)
      .reduce((a, b) => a + b, 0);
    assert.ok(refused <= 2, `${refused} requests refused: tokens are renewed before they expire`);
  });

  it('lets neither the client secret nor any token into the log, the CLI output or the history', async () => {
    const { client } = await testTemporal();
    const texts: [string, string][] = [
      ['worker log', worker.output.join('\n')],
      ['CLI output', cli.output.join('\n')],
    ];
    for await (const execution of client.workflow.list({ query: `WorkflowId STARTS_WITH "${workflowId}"` })) {
      const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
      texts.push([`history of ${execution.workflowId}`, historyText(historyToJSON(history))]);
    }
    assert.ok(texts.length >= 4);
    for (const [where, text] of texts) {
      assert.ok(!text.includes(clientSecret), `the client secret appears in the ${where}`);
      for (const token of jumpcloud.serviceAccount.issued)
        assert.ok(!text.includes(token), `a token appears in the ${where}`);
    }
  });

  it('refuses a wrong secret at once, naming the variables and not the secret', async () => {
    const wrong = `WRONG-SECRET-${randomBytes(8).toString('hex')}`;
    const taskQueue = taskQueueFor('jumpcloud-service-account-wrong');
    const env = { ...common, TEMPORAL_TASK_QUEUE: taskQueue };
    const bad = runProject('worker/main.ts', [], {
      ...workerEnv,
      ...env,
      JUMPCLOUD_CLIENT_SECRET_FILE: '',
      JUMPCLOUD_CLIENT_SECRET: wrong,
    });
    try {
      await bad.waitFor(/worker started/);
      const run = runProject('client/cli.ts', ['import'], env);
      const code = await run.exited;
      const out = run.output.join('\n');
      assert.notEqual(code, 0, out);
      assert.match(out, /JumpCloud refused the service account/);
      assert.match(out, /JUMPCLOUD_CLIENT_ID and JUMPCLOUD_CLIENT_SECRET/);
      for (const text of [out, bad.output.join('\n')])
        assert.ok(!text.includes(wrong), 'the wrong secret is echoed');
    } finally {
      await bad.stop();
    }
  });

  it('refuses a worker given both an API key and a service account, in one line', async () => {
    const both = runProject('worker/main.ts', [], { ...workerEnv, JUMPCLOUD_API_KEY: apiKey });
    const code = await both.exited;
    const out = both.output.join('\n');
    assert.equal(code, 1, out);
    assert.match(out, /JUMPCLOUD_API_KEY and JUMPCLOUD_CLIENT_ID\/JUMPCLOUD_CLIENT_SECRET are both set/);
    assert.ok(!out.includes(apiKey) && !out.includes(clientSecret));
    assert.doesNotMatch(out, /\n\s+at /, 'no stack trace');
  });
});
