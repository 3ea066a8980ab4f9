/**
 * A run waiting for approval survives its worker: the real worker process is SIGKILLed while
 * the run waits, a new one starts, and `approve` from the real CLI lets the run finish and
 * write what it planned, with the decision in the report.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { createJumpCloudSandbox } from '../../sandbox/jumpcloud/server.js';
import {
  createPersonioSandbox,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
} from '../../sandbox/personio/server.js';
import { SANDBOX_JUMPCLOUD_API_KEY } from '../../sandbox/jumpcloud/server.js';
import { progressQuery, type ImportReport } from '../../workflows/import-api.js';
import { approverFiles } from '../helpers/approvers.js';
import { taskQueueFor, testTemporal } from '../helpers/temporal.js';
import { runProject, type ProcessHandle } from '../helpers/worker-process.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a worker killed while a run waits for approval loses nothing', async (t) => {
  const personio = createPersonioSandbox({ employees: 40, seed: 43 });
  const jumpcloud = createJumpCloudSandbox();
  await personio.listen(0);
  await jumpcloud.listen(0);
  const workers: ProcessHandle[] = [];
  t.after(async () => {
    for (const w of workers) await w.stop().catch(() => null);
    await personio.close();
    await jumpcloud.close();
  });

  const { address, client } = await testTemporal();
  const taskQueue = taskQueueFor('approval-worker-killed');
  const common = {
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    // Plain payloads, so this test's own client reads progress and results (encryption has
    // its own tests).
    PAYLOAD_ENCRYPTION: 'off',
  };
  const approvers = approverFiles();
  // The first import switches the safeguards off: the policy allows it here.
  const policyFile = join(dirname(approvers.keysFile), 'policy.json');
  writeFileSync(policyFile, '{"safeguards": null}');
  const startWorker = async () => {
    const worker = runProject('worker/main.ts', [], {
      ...common,
      PERSONIO_BASE_URL: personio.url,
      PERSONIO_CLIENT_ID: SANDBOX_CLIENT_ID,
      PERSONIO_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
      JUMPCLOUD_BASE_URL: jumpcloud.url,
      JUMPCLOUD_API_KEY: SANDBOX_JUMPCLOUD_API_KEY,
      APPROVER_KEYS_FILE: approvers.keysFile,
      IMPORT_POLICY_FILE: policyFile,
    });
    workers.push(worker);
    await worker.waitFor(/worker started/);
    return worker;
  };
  const cli = async (...args: string[]) => {
    const run = runProject('client/cli.ts', args, common);
    const code = await run.exited;
    assert.equal(code, 0, run.output.join('\n'));
    return run.output.join('\n');
  };

  const first = await startWorker();
  await cli('import', '--notify', 'never', '--input-json', '{"safeguards":null}');
  const leavers: number[] = [];
  for (let id = 1001; leavers.length < 3; id++)
    if (personio.data.get(id)?.status === 'active') leavers.push(id);
  for (const id of leavers) personio.data.setStatus(id, 'inactive');

  const workflowId = `personio-import-${taskQueue}-guarded`;
  await cli(
    'import',
    '--id',
    workflowId,
    '--no-wait',
    '--notify',
    'never',
    '--input-json',
    '{"safeguards":{"maxSuspensions":1}}',
  );
  const handle = client.workflow.getHandle(workflowId);
  for (let i = 0; ; i++) {
    const p = await handle.query(progressQuery).catch((err: Error) => err.message);
    if (typeof p === 'object' && p?.phase === 'awaiting-approval') break;
    assert.ok(i < 600, `the run paused for approval (last progress: ${JSON.stringify(p)})`);
    await sleep(50);
  }
  const writesWhileWaiting = jumpcloud.stats.snapshot().writes;

  first.proc.kill('SIGKILL');
  await first.exited;
  await startWorker();
  const status = await cli('status', workflowId);
  assert.match(status, /waiting for approval: would suspend 3 users \(more than 1\)/);
  assert.deepEqual(jumpcloud.stats.snapshot().writes, writesWhileWaiting, 'nothing written meanwhile');

  const approved = await cli(
    'approve',
    workflowId,
    '--by',
    'ops@example.com',
    '--key',
    approvers.keyFile('ops@example.com'),
    '--comment',
    'offboarding',
  );
  assert.match(approved, /Approved by ops@example.com/);
  const report = (await handle.result()) as ImportReport;
  assert.equal(report.counts.suspended, 3);
  assert.equal(report.approval?.decision, 'approved');
  assert.equal(report.approval?.by, 'ops@example.com');
  const users = (
    (await (await fetch(`${jumpcloud.url}/_sandbox/state`)).json()) as {
      users: { employeeIdentifier?: string; state: string }[];
    }
  ).users;
  for (const id of leavers)
    assert.equal(users.find((u) => u.employeeIdentifier === String(id))?.state, 'SUSPENDED');

  // A second decision is refused with a clear message (the run is no longer waiting).
  const again = runProject(
    'client/cli.ts',
    ['reject', workflowId, '--by', 'late@example.com', '--key', approvers.keyFile('late@example.com')],
    common,
  );
  assert.equal(await again.exited, 2);
  assert.match(again.output.join('\n'), /no running import|not waiting for approval/);
});
