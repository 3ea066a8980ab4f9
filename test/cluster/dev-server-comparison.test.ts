/**
 * The cluster test's import on the dev server instead, for the wall-time comparison in the
 * README (no history service to kill there; one worker still drains). Opt-in, so CI runs the
 * import once: CLUSTER_COMPARE=1 npm test -- test/cluster
 */
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { startDevServer } from '../../local-temporal/dev-server.js';
import { importWithTwoWorkers, startSandboxes } from './import-2000.js';

test(
  'the same import on the dev server, for comparison',
  {
    skip:
      process.env.CLUSTER_COMPARE === '1'
        ? false
        : 'set CLUSTER_COMPARE=1 to time the same import on the dev server',
    timeout: 30 * 60_000,
  },
  async (t) => {
    const server = await startDevServer({ headless: true, fastSqlite: true });
    t.after(() => server.stop());
    const sandboxes = await startSandboxes(t);
    const env = {
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_TASK_QUEUE: 'cluster-compare',
      PAYLOAD_KEYS: `k:${randomBytes(32).toString('base64')}`,
    };
    const seconds = await importWithTwoWorkers(t, env, sandboxes, async () => undefined);
    t.diagnostic(`2,000 employees imported on the dev server in ${seconds.toFixed(1)} s`);
  },
);
