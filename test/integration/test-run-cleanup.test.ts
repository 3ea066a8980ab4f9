import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { until } from '../helpers/wait.js';

const root = join(import.meta.dirname, '..', '..');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The environment of a nested `npm test`: without the outer runner's NODE_TEST_CONTEXT (with
 * it, the nested runner skips every file: "run() is being called recursively").
 */
function runEnv(marker: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TEMPORAL_TEST_ADDRESS: '', WAITS_FOREVER_MARKER: marker };
  delete env.NODE_TEST_CONTEXT;
  return env;
}

/**
 * Starts `npm test` on a test that never ends; resolves with the dev server's pid once the
 * server is up and the test runs (the test creates a marker file).
 */
async function startHangingRun() {
  const marker = join(mkdtempSync(join(tmpdir(), 'hanging-run-')), 'running');
  const run = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/run.ts', 'test/integration/fixtures/waits-forever.test.ts'],
    {
      cwd: root,
      env: runEnv(marker),
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true, // its own process group, so leftovers can be cleaned up below
    },
  );
  let out = '';
  run.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const pid = await until(
    'the run to report its dev server',
    async () => Number(/pid (\d+)/.exec(out)?.[1]) || undefined,
    120_000,
  );
  await until('the hanging test to run', async () => (existsSync(marker) ? true : undefined), 120_000);
  return { run, serverPid: pid };
}

/** Fails naming the pid if it is still alive after ms. */
async function waitGone(pid: number, what: string, ms = 30_000) {
  await until(what, async () => (alive(pid) ? undefined : true), ms);
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`interrupting the test run with ${signal} leaves no dev server behind`, async () => {
    const { run, serverPid } = await startHangingRun();
    assert.ok(alive(serverPid));
    run.kill(signal);
    await once(run, 'exit');
    await waitGone(serverPid, `dev server ${serverPid} to stop after ${signal}`);
  });
}

test('killing the test run outright (SIGKILL) still stops its dev server', async () => {
  const { run, serverPid } = await startHangingRun();
  run.kill('SIGKILL');
  await once(run, 'exit');
  try {
    await waitGone(serverPid, `dev server ${serverPid} to stop after its owner was SIGKILLed`);
  } finally {
    // The orphaned node --test child (not a server) is ours to clean up.
    try {
      process.kill(-run.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});
