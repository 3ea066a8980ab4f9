/**
 * Approval as an admin meets it, through the real processes: `npm run worker`, `npm run cli`,
 * `npm run codec-server` and the real `temporal` binary. A rejected or expired run says first
 * that nothing was written and exits 3; the README's `temporal workflow update/query`
 * commands work with the codec endpoint.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { findTemporalCli } from '../../local-temporal/temporal-cli.js';
import { freePort } from '../../local-temporal/dev-server.js';
import { startRealProcesses, usersByPersonioId, type RealProcesses } from '../helpers/real-processes.js';
import { runProject } from '../helpers/worker-process.js';
import { signedDecision } from '../helpers/approvers.js';

const run = promisify(execFile);

/** A first import, then `count` leavers: the next import would suspend them. */
async function withLeavers(t: Parameters<typeof startRealProcesses>[0], count: number) {
  const env = await startRealProcesses(t, { personio: { employees: 30, seed: 37 } });
  const first = await env.cli(['import', '--notify', 'never']);
  assert.equal(first.code, 0, first.output);
  const leavers: number[] = [];
  for (let id = 1001; leavers.length < count; id++) {
    const e = env.personio.data.get(id);
    assert.ok(e, 'enough active employees');
    if (e.status === 'active' && e.email) leavers.push(id);
  }
  for (const id of leavers) env.personio.data.setStatus(id, 'inactive');
  return { env, leavers };
}

/** `import` with safeguards that pause on these leavers; resolves once it waits for approval. */
async function pausedImport(env: RealProcesses, safeguards: Record<string, unknown>) {
  const importing = env.startCli([
    'import',
    '--input-json',
    JSON.stringify({ notify: { when: 'never' }, safeguards: { maxSuspensions: 1, ...safeguards } }),
  ]);
  await importing.waitFor(/Waiting for approval before writing anything/, 120_000);
  return importing;
}

async function noneSuspended(env: RealProcesses, leavers: number[]) {
  const users = await usersByPersonioId(env.jumpcloud.url);
  for (const id of leavers) assert.notEqual(users.get(id)?.state, 'SUSPENDED', `${id} not suspended`);
}

/** The summary `import` prints on stdout, without the blank lines. */
const summaryLines = (stdout: string[]) => stdout.filter((l) => l.trim() !== '');

test('a rejected import says first that nothing was written, and exits 3', async (t) => {
  const { env, leavers } = await withLeavers(t, 3);
  const importing = await pausedImport(env, {});
  const reject = await env.cli([
    'reject',
    '--by',
    'jane@example.com',
    '--key',
    env.approverKey('jane@example.com'),
    '--comment',
    'not today',
  ]);
  assert.equal(reject.code, 0, reject.output);
  assert.equal(await importing.exited, 3, importing.output.join('\n'));
  const lines = summaryLines(importing.stdout);
  assert.match(
    lines[0] ?? '',
    /^Nothing was written: the import was rejected by jane@example\.com at .* \("not today"\)/,
    importing.stdout.join('\n'),
  );
  assert.match(lines[1] ?? '', /would have done \(not applied\).*suspended 3/);
  assert.ok(
    !importing.output.some((l) => /^\[done\]/.test(l)),
    'no "done" progress line with the plan counts',
  );
  await noneSuspended(env, leavers);

  // `status` says the same, first, and exits 3 as well.
  const status = await env.cli(['status']);
  assert.equal(status.code, 3, status.output);
  assert.match(status.stdout, /COMPLETED[^\n]*\n[^\n]*\nNothing was written: the import was rejected/);
});

test('an expired approval request says first that nothing was written, and exits 3', async (t) => {
  const { env, leavers } = await withLeavers(t, 2);
  const importing = await pausedImport(env, { approvalTimeout: '3s' });
  assert.equal(await importing.exited, 3, importing.output.join('\n'));
  assert.match(
    summaryLines(importing.stdout)[0] ?? '',
    /^Nothing was written: nobody approved the import before its approval request expired at /,
  );
  await noneSuspended(env, leavers);
});

test('the README’s `temporal workflow query` and `update execute … --name approve` work with the codec server', async (t) => {
  const temporal = await findTemporalCli(() => {});
  const { env, leavers } = await withLeavers(t, 2);
  const port = await freePort();
  const codec = runProject('codec/main.ts', [], {
    PAYLOAD_KEYS: env.common.PAYLOAD_KEYS!,
    CODEC_SERVER_PORT: String(port),
  });
  env.processes.push(codec);
  await codec.waitFor(/codec server listening/);
  const codecEndpoint = `http://127.0.0.1:${port}`;
  const importing = await pausedImport(env, {});
  const common = [
    '--address',
    env.address,
    '--workflow-id',
    env.workflowId,
    '--codec-endpoint',
    codecEndpoint,
  ];

  // A query has no arguments: the CLI asks the codec server to encode an empty list ({}).
  const query = await run(temporal.path, ['workflow', 'query', ...common, '--name', 'progress'], {
    timeout: 60_000,
  });
  assert.match(query.stdout, /awaiting-approval/, query.stdout);
  assert.match(query.stdout, /would suspend 2 users/);

  // The update's answer is decoded too: exit 0, the record printed, the import goes on.
  // A decision is signed (what `approve --by --key` sends; the README shows how).
  const signed = await signedDecision(env.client.workflow.getHandle(env.workflowId), 'approve', 'jane');
  const update = await run(
    temporal.path,
    ['workflow', 'update', 'execute', ...common, '--name', 'approve', '--input', JSON.stringify(signed)],
    { timeout: 60_000 },
  );
  assert.match(update.stdout, /decision:approved/, update.stdout);
  assert.match(update.stdout, /by:jane/);
  assert.equal(await importing.exited, 0, importing.output.join('\n'));
  const users = await usersByPersonioId(env.jumpcloud.url);
  for (const id of leavers) assert.equal(users.get(id)?.state, 'SUSPENDED', `${id} suspended`);
});
