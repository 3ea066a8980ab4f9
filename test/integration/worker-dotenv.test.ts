/**
 * README step 2 as a new user does it: every setting in `./.env` and nothing in the
 * environment. The real worker, CLI and codec server run in that folder and must all read it;
 * the worker must apply the ATTRIBUTE_MAPPING_FILE named there (a hire date arrives on the
 * users as a JumpCloud attribute), and its /metrics must carry every metric name the README
 * documents, under the names domain/metric-names.ts gives the code.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../local-temporal/dev-server.js';
import * as metricNames from '../../domain/metric-names.js';
import { createJumpCloudSandbox, SANDBOX_JUMPCLOUD_API_KEY } from '../../sandbox/jumpcloud/server.js';
import {
  createPersonioSandbox,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
} from '../../sandbox/personio/server.js';
import { taskQueueFor, testTemporal } from '../helpers/temporal.js';
import { until } from '../helpers/wait.js';
import { runProject, type ProcessHandle } from '../helpers/worker-process.js';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

/** The names in the README's Metrics table. */
function readmeMetricNames(): string[] {
  const start = readme.indexOf('### Metrics');
  const section = readme.slice(start, readme.indexOf('\n#', start + 1));
  const names = [...section.matchAll(/^\| `(personio_[a-z_]+)`/gm)].map((m) => m[1]!);
  assert.ok(names.length > 0, "the README's Metrics table");
  return names;
}

interface StateUser {
  employeeIdentifier?: string;
  attributes?: { name: string; value: string }[];
}

describe('worker, CLI and codec server configured by ./.env alone', () => {
  const personio = createPersonioSandbox({ employees: 40, seed: 23 });
  const jumpcloud = createJumpCloudSandbox();
  const dir = mkdtempSync(join(tmpdir(), 'dotenv-'));
  const payloadKey = randomBytes(32).toString('base64');
  let worker: ProcessHandle | undefined;
  let codec: ProcessHandle | undefined;
  let metricsUrl: string;
  let cli: ProcessHandle;
  let cliCode: number | null;

  before(async () => {
    await personio.listen(0);
    await jumpcloud.listen(0);
    const { address } = await testTemporal();
    const metricsPort = await freePort();
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    writeFileSync(
      join(dir, 'mapping.json'),
      JSON.stringify({
        attributes: [{ name: 'startDate', from: 'hire_date', transform: ['date:yyyy-MM-dd'] }],
      }),
    );
    writeFileSync(
      join(dir, '.env'),
      [
        `TEMPORAL_ADDRESS=${address}`,
        `TEMPORAL_TASK_QUEUE=${taskQueueFor('dotenv')}`,
        `PAYLOAD_KEYS=test:${payloadKey}`,
        `PERSONIO_BASE_URL=${personio.url}`,
        `PERSONIO_CLIENT_ID=${SANDBOX_CLIENT_ID}`,
        `PERSONIO_CLIENT_SECRET=${SANDBOX_CLIENT_SECRET}`,
        `JUMPCLOUD_BASE_URL=${jumpcloud.url}`,
        `JUMPCLOUD_API_KEY=${SANDBOX_JUMPCLOUD_API_KEY}`,
        `ATTRIBUTE_MAPPING_FILE=${join(dir, 'mapping.json')}`,
        `METRICS_BIND_ADDRESS=127.0.0.1:${metricsPort}`,
        `CODEC_SERVER_PORT=${await freePort()}`,
        '',
      ].join('\n'),
    );
    worker = runProject('worker/main.ts', [], {}, { cwd: dir });
    await worker.waitFor(/worker started/);

    // JumpCloud answers 500 until an activity has failed once, then 429 for a while: the
    // metrics for activity retries and 429s then have something to count.
    jumpcloud.faults.set({ faultRate: 1 });
    cli = runProject('client/cli.ts', ['import', '--notify', 'never'], {}, { cwd: dir });
    await worker.waitFor(/"msg":"Activity failed"/, 120_000);
    jumpcloud.faults.set({ faultRate: 0, rateLimit: 0.001 });
    await until('a 429 from JumpCloud', async () =>
      jumpcloud.faults.injected.rateLimited > 0 ? true : undefined,
    );
    jumpcloud.faults.clear();
    cliCode = await cli.exited;
  });

  after(async () => {
    await worker?.stop();
    await codec?.stop();
    await personio.close();
    await jumpcloud.close();
  });

  it('the CLI and the worker run an import from .env settings', () => {
    assert.equal(cliCode, 0, cli.output.join('\n'));
    assert.match(cli.output.join('\n'), /40 employees read/);
  });

  it("the worker applies ATTRIBUTE_MAPPING_FILE: every user has the hire date as 'startDate'", async () => {
    const { users } = (await (await fetch(`${jumpcloud.url}/_sandbox/state`)).json()) as {
      users: StateUser[];
    };
    const imported = users.filter((u) => u.employeeIdentifier);
    assert.ok(imported.length > 30, `${imported.length} users imported`);
    for (const user of imported) {
      const record = personio.data.get(Number(user.employeeIdentifier))!;
      assert.deepEqual(
        user.attributes,
        [{ name: 'startDate', value: record.hireDate.slice(0, 10) }],
        `attributes of ${user.employeeIdentifier}`,
      );
    }
  });

  it('the README documents exactly the metric names the code uses', () => {
    assert.deepEqual(readmeMetricNames().sort(), Object.values(metricNames).sort());
  });

  it("the worker's /metrics carries every metric the README documents, by that name", async () => {
    const metrics = await until('metrics of the finished import', async () => {
      const text = await (await fetch(metricsUrl)).text();
      return /^personio_import_runs/m.test(text) ? text : undefined;
    });
    const exported = new Set(
      [...metrics.matchAll(/^([a-z_]+?)(_bucket|_sum|_count)?[{ ]/gm)].map((m) => m[1]!),
    );
    for (const name of readmeMetricNames())
      assert.ok(
        exported.has(name),
        `${name} (README) in /metrics; personio_ names there: ${[...exported].filter((n) => n.startsWith('personio_')).join(', ')}`,
      );
  });

  it('the codec server reads PAYLOAD_KEYS and its port from .env', async () => {
    const port = /CODEC_SERVER_PORT=(\d+)/.exec(readFileSync(join(dir, '.env'), 'utf8'))![1]!;
    codec = runProject('codec/main.ts', [], {}, { cwd: dir });
    await codec.waitFor(/codec server listening/);
    assert.match(codec.output.join('\n'), /"keyIds":\["test"\]/);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
  });
});
