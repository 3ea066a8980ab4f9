import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(import.meta.dirname, '..', '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts `npm test` on a test that never ends; resolves with the dev server's pid once it is up. */
async function startHangingRun() {
  const run = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/run.ts', 'test/integration/fixtures/waits-forever.test.ts'],
    {
      cwd: root,
      env: { ...process.env, TEMPORAL_TEST_ADDRESS: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true, // its own process group, so leftovers can be cleaned up below
    },
  );
  let out = '';
  run.stdout.on('data', (c: Buffer) => (out += c.toString()));
  for (let i = 0; i < 600 && !/pid (\d+)/.test(out); i++) await sleep(100);
  const pid = Number(/pid (\d+)/.exec(out)?.[1]);
  assert.ok(pid > 0, `the run never reported its dev server:\n${out}`);
  await sleep(1500); // let the hanging test start
  return { run, serverPid: pid };
}

async function waitGone(pid: number, ms: number) {
  for (let waited = 0; alive(pid) && waited < ms; waited += 100) await sleep(100);
  return !alive(pid);
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`interrupting the test run with ${signal} leaves no dev server behind`, async () => {
    const { run, serverPid } = await startHangingRun();
    assert.ok(alive(serverPid));
    run.kill(signal);
    await once(run, 'exit');
    assert.ok(await waitGone(serverPid, 15_000), `dev server ${serverPid} still running after ${signal}`);
  });
}

test('killing the test run outright (SIGKILL) still stops its dev server', async () => {
  const { run, serverPid } = await startHangingRun();
  run.kill('SIGKILL');
  await once(run, 'exit');
  try {
    assert.ok(await waitGone(serverPid, 15_000), `dev server ${serverPid} outlived its SIGKILLed owner`);
  } finally {
    // The orphaned node --test child (not a server) is ours to clean up.
    try {
      process.kill(-run.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});
