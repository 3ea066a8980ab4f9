/**
 * Forged state against the real worker process: a second workflow argument from a starter, a
 * made-up seal, an impostor workflow that continues as new into the import's task queue, and a
 * page started on its own are all refused before anything is read or written.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { dataConverterFor } from '../../codec/data-converter.js';
import { parseKeyRing } from '../../codec/keys.js';
import { Client } from '@temporalio/client';
import { pageEmployee } from '../helpers/employees.js';
import { startSecurityEnv, type SecurityEnv } from '../helpers/security-env.js';
import { taskQueueFor, testTemporal } from '../helpers/temporal.js';

/** What the issue found accepted: a state that says the preview ran and an approval was given. */
const forged = {
  startedAt: Date.now(),
  phase: 'awaiting-approval',
  scan: null,
  groups: null,
  employeesTotal: 0,
  nextPageOffset: 0,
  pagesDone: 0,
  counts: {},
  problems: [],
  truncated: false,
  nextManagerOffset: 0,
  managers: { linked: 0, cleared: 0, unchanged: 0, notes: [], notesTruncated: false },
  safeguards: null,
  approval: {
    reasons: [],
    requestedAt: '',
    expiresAt: '',
    decision: 'approved',
    by: 'me',
    at: '',
    comment: null,
  },
};

describe('forged continue-as-new state', () => {
  let env: SecurityEnv;
  let client: Client;
  before(async () => {
    env = await startSecurityEnv('forged-state');
    const { connection } = await testTemporal();
    client = new Client({
      connection,
      dataConverter: dataConverterFor(parseKeyRing(env.common.PAYLOAD_KEYS!, 'PAYLOAD_KEYS')),
    });
  });
  after(() => env?.close());

  const failure = async (run: Promise<unknown>) => {
    const err = await run.then(
      () => assert.fail('the run was accepted'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof WorkflowFailedError, String(err));
    let cause: Error | undefined = err.cause;
    while (cause?.cause) cause = cause.cause as Error;
    return cause?.message ?? '';
  };

  it('refuses a state passed by a starter, and a made-up seal', async () => {
    const writes = env.jumpcloud.stats.snapshot().writes;
    for (const [i, args] of [
      [{}, forged],
      [{}, forged, { keyId: 'api', mac: 'AAAA' }],
      [{}, null, null, 'extra'],
    ].entries()) {
      const message = await failure(
        client.workflow.execute('importEmployees', {
          taskQueue: env.taskQueue,
          workflowId: `${env.taskQueue}-${i}`,
          args,
        }),
      );
      assert.match(message, /^Refused: /);
    }
    assert.deepEqual(env.jumpcloud.stats.snapshot().writes, writes, 'nothing written');
  });

  it('refuses an impostor workflow that continues as new into the import’s task queue', async () => {
    const { nativeConnection } = await testTemporal();
    const impostorQueue = taskQueueFor('impostor');
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue: impostorQueue,
      workflowsPath: join(import.meta.dirname, 'fixtures', 'impostor-workflow.ts'),
      dataConverter: dataConverterFor(parseKeyRing(env.common.PAYLOAD_KEYS!, 'PAYLOAD_KEYS')),
    });
    const message = await worker.runUntil(() =>
      failure(
        client.workflow.execute('importEmployees', {
          taskQueue: impostorQueue,
          workflowId: `${env.taskQueue}-impostor`,
          args: [{}, env.taskQueue, forged],
        }),
      ),
    );
    assert.match(message, /seal does not match|key this worker does not have/);
  });

  it('refuses a page started on its own', async () => {
    const writes = env.jumpcloud.stats.snapshot().writes;
    const message = await failure(
      client.workflow.execute('importPage', {
        taskQueue: env.taskQueue,
        workflowId: `${env.taskQueue}-page`,
        args: [
          {
            offset: 0,
            limit: 100,
            heldBack: [],
            idSuffixedUsernames: [],
            allEmployeesGroupId: 'admins',
            departmentGroupIds: {},
            createState: 'ACTIVATED',
            allowReactivation: true,
            dryRun: false,
          },
        ],
      }),
    );
    assert.match(message, /a page runs only as a child of its import/);
    assert.deepEqual(env.jumpcloud.stats.snapshot().writes, writes, 'nothing written');
  });

  it('refuses a held page of anyone else’s making (unsealed, or with a made-up seal)', async () => {
    const writes = env.jumpcloud.stats.snapshot().writes;
    const employee = pageEmployee(999001, {
      firstName: 'Mallory',
      lastName: 'Forged',
      email: 'mallory@evil.example',
    });
    const page = {
      importWorkflowId: `${env.taskQueue}-x`,
      firstRunId: 'x',
      offset: 0,
      page: { employees: [employee], skipped: [], totalElements: 1 },
      entries: [],
      idleTimeoutMs: 60_000,
    };
    // Unsealed, and with a made-up seal.
    for (const [i, seal] of [undefined, { keyId: 'k', mac: 'AAAA' }].entries()) {
      const message = await failure(
        client.workflow.execute('directoryPage', {
          taskQueue: env.taskQueue,
          workflowId: `${env.taskQueue}-held-${i}`,
          args: [{ ...page, ...(seal ? { seal } : {}) }],
        }),
      );
      assert.match(message, /^Refused: .*Pages are read and started by an import only/);
    }
    assert.deepEqual(env.jumpcloud.stats.snapshot().writes, writes, 'nothing written');
  });
});
