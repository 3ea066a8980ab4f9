/**
 * `npm run sandbox` as a user starts it, observed from outside through its URLs: without
 * fault flags no fault is in force on either server (the `--no-personio-rate-limit` flag once
 * shared its option key with the `--personio-rate-limit <n>` fault and throttled Personio to
 * 1 request/s), and each flag does what its name says, also both together.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { noFaults } from '../../sandbox/faults.js';
import { runProject } from '../helpers/worker-process.js';
import { authenticate } from './personio-helpers.js';

async function startSandbox(t: TestContext, flags: string[]) {
  const sandbox = runProject(
    'sandbox/main.ts',
    ['--employees', '20', '--personio-port', '0', '--jumpcloud-port', '0', ...flags],
    {},
  );
  t.after(() => sandbox.stop());
  const personioUrl = /PERSONIO_BASE_URL=(\S+)/.exec(await sandbox.waitFor(/PERSONIO_BASE_URL=/))![1]!;
  const jumpcloudUrl = /JUMPCLOUD_BASE_URL=(\S+)/.exec(await sandbox.waitFor(/JUMPCLOUD_BASE_URL=/))![1]!;
  return { personioUrl, jumpcloudUrl };
}

async function faultsOf(url: string) {
  return ((await (await fetch(`${url}/_sandbox/faults`)).json()) as { settings: unknown }).settings;
}

/** Statuses of `n` employee-list requests sent at once. */
async function burst(url: string, n: number): Promise<number[]> {
  const token = await authenticate(url);
  return Promise.all(
    Array.from({ length: n }, async () => {
      const r = await fetch(`${url}/v1/company/employees?limit=1`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await r.arrayBuffer();
      return r.status;
    }),
  );
}

describe('npm run sandbox', () => {
  it('without fault flags injects no fault on either server', async (t) => {
    const { personioUrl, jumpcloudUrl } = await startSandbox(t, []);
    assert.deepEqual(await faultsOf(personioUrl), noFaults, 'Personio');
    assert.deepEqual(await faultsOf(jumpcloudUrl), noFaults, 'JumpCloud');
    // Within Personio's documented burst (15/s): a 1 request/s throttle would refuse 11 of these.
    const statuses = await burst(personioUrl, 12);
    assert.deepEqual(
      statuses.filter((s) => s !== 200),
      [],
    );
  });

  it('--no-personio-rate-limit turns off the documented limit, and keeps a --personio-rate-limit fault', async (t) => {
    const { personioUrl, jumpcloudUrl } = await startSandbox(t, [
      '--no-personio-rate-limit',
      '--personio-rate-limit',
      '500',
    ]);
    assert.deepEqual(await faultsOf(personioUrl), { ...noFaults, rateLimit: 500 });
    assert.deepEqual(await faultsOf(jumpcloudUrl), noFaults);
    // Past the documented 15/s burst, inside the 500/s fault bucket: nothing refused.
    const statuses = await burst(personioUrl, 40);
    assert.deepEqual(
      statuses.filter((s) => s !== 200),
      [],
    );
  });

  it('by default keeps Personio to its documented limit (15/s bursts)', async (t) => {
    const { personioUrl } = await startSandbox(t, []);
    const statuses = await burst(personioUrl, 60);
    assert.ok(statuses.includes(429), `60 requests at once, some refused: ${statuses.join(',')}`);
    assert.ok(statuses.filter((s) => s === 200).length >= 15, 'a burst of 15 allowed');
  });
});
