/**
 * The import both test/cluster files run: 2,000 employees, JumpCloud answering in 20 ms,
 * `npm run worker` ×2 and `npm run cli -- import` as separate processes with only the given
 * Temporal settings, one worker SIGTERMed (drains) midway; the exact directory afterwards.
 */
import assert from 'node:assert/strict';
import { createJumpCloudSandbox, SANDBOX_JUMPCLOUD_API_KEY } from '../../sandbox/jumpcloud/server.js';
import {
  createPersonioSandbox,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
} from '../../sandbox/personio/server.js';
import { expectedUsers } from '../helpers/expected-directory.js';
import { until } from '../helpers/wait.js';
import { runProject } from '../helpers/worker-process.js';

export const EMPLOYEES = 2000;

/** Personio with 2,000 employees (its default rate limits), JumpCloud answering in 20 ms. */
export async function startSandboxes(t: { after(fn: () => Promise<void>): void }) {
  const personio = createPersonioSandbox({ employees: EMPLOYEES, seed: 15 });
  const jumpcloud = createJumpCloudSandbox({ faults: { latencyMs: 20 } });
  await personio.listen(0);
  await jumpcloud.listen(0);
  t.after(async () => {
    await personio.close();
    await jumpcloud.close();
  });
  return { personio, jumpcloud };
}

/**
 * `npm run worker` ×2 and `npm run cli -- import` with the given Temporal settings: at 300
 * users created `underWay` runs (the cluster kills a history service there), at 1,000 the
 * first worker is SIGTERMed and drains. Asserts the exact directory and that no user was
 * created twice; returns the import's wall time in seconds.
 */
export async function importWithTwoWorkers(
  t: { after(fn: () => Promise<void>): void },
  temporalEnv: Record<string, string>,
  { personio, jumpcloud }: Awaited<ReturnType<typeof startSandboxes>>,
  underWay: () => Promise<void>,
): Promise<number> {
  const workerEnv = {
    ...temporalEnv,
    PERSONIO_BASE_URL: personio.url,
    PERSONIO_CLIENT_ID: SANDBOX_CLIENT_ID,
    PERSONIO_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
    JUMPCLOUD_BASE_URL: jumpcloud.url,
    JUMPCLOUD_API_KEY: SANDBOX_JUMPCLOUD_API_KEY,
  };
  const workers = [runProject('worker/main.ts', [], workerEnv), runProject('worker/main.ts', [], workerEnv)];
  t.after(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
  });
  await Promise.all(workers.map((w) => w.waitFor(/worker started/, 120_000)));

  const started = Date.now();
  const cli = runProject('client/cli.ts', ['import', '--notify', 'never'], temporalEnv);
  const created = () => jumpcloud.stats.snapshot().writes.usersCreated ?? 0;
  await until('the import to be under way', async () => (created() >= 300 ? true : undefined), 10 * 60_000);
  await underWay();
  // One worker is stopped the way an orchestrator does; it finishes what it holds.
  await until('more progress', async () => (created() >= 1000 ? true : undefined), 10 * 60_000);
  assert.equal(await workers[0]!.stop('SIGTERM'), 0, 'the first worker drains and exits cleanly');
  assert.equal(await cli.exited, 0, cli.output.slice(-20).join('\n'));
  const seconds = (Date.now() - started) / 1000;

  const records = Array.from({ length: EMPLOYEES }, (_, i) => personio.data.get(1001 + i)!);
  const expected = expectedUsers(records);
  const state = (await (await fetch(`${jumpcloud.url}/_sandbox/state`)).json()) as {
    users: { employeeIdentifier: string; email: string; firstname: string; lastname: string }[];
  };
  assert.deepEqual(
    state.users.map((u) => Number(u.employeeIdentifier)).sort((a, b) => a - b),
    [...expected.keys()].sort((a, b) => a - b),
  );
  for (const u of state.users) {
    const want = expected.get(Number(u.employeeIdentifier))!;
    assert.equal(u.email, want.email);
    assert.equal(u.firstname, want.firstname);
    assert.equal(u.lastname, want.lastname);
  }
  assert.equal(created(), expected.size, 'no user created twice');
  assert.equal(await workers[1]!.stop('SIGTERM'), 0);
  return seconds;
}
