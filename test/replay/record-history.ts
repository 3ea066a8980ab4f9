/**
 * Records fresh histories for the replay tests: starts a dev server, the sandboxes and a
 * worker, runs one named scenario, and writes its histories to
 * test/replay/histories/<name>.json.
 *
 *   npm run record-history -- ping
 *   npm run record-history -- import     (every run of an import's continue-as-new chain, through
 *                                          manager linking, and one held page)
 *   npm run record-history -- activation (one hire-date activation, moved once by signal)
 *   npm run record-history -- approval   (a re-run the safeguards pause: preview, approve, apply,
 *                                          every run of its chain, and the page that started a
 *                                          new hire's activation timer)
 *   npm run record-history -- budget     (the shared API budget: reservations by update-with-start)
 *
 * test/replay/replay.test.ts replays every file and checks that the recordings cover what they
 * claim (a whole chain, manager linking, an activation timer's start).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { NativeConnection } from '@temporalio/worker';
import { startDevServer } from '../../local-temporal/dev-server.js';
import { createLogger } from '../../observability/logger.js';
import { createJumpCloudSandbox, SANDBOX_JUMPCLOUD_API_KEY } from '../../sandbox/jumpcloud/server.js';
import {
  createPersonioSandbox,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
} from '../../sandbox/personio/server.js';
import { formatDayOf } from '../../sandbox/personio/dates.js';
import { createWorker } from '../../worker/create-worker.js';
import { createImportDeps } from '../../worker/import-deps.js';
import { TEST_POLICY } from '../helpers/test-policy.js';
import { signedDecision, TEST_APPROVAL } from '../helpers/approvers.js';
import { installRuntime } from '../../worker/runtime.js';
import { approveUpdate, progressQuery } from '../../workflows/import-api.js';
import { directoryPageWorkflowId } from '../../workflows/directory-page-api.js';
import { reserveSlotUpdate } from '../../workflows/api-budget-api.js';
import { rescheduleActivationSignal } from '../../workflows/activate-on-hire-date.js';
import { activateOnHireDate, importEmployees, ping } from '../../workflows/index.js';

const taskQueue = 'record-history';
interface Recorded {
  file: string;
  workflowId: string;
  runId?: string;
}
type Scenario = (client: Client, native: NativeConnection) => Promise<Recorded[]>;

const scenarios: Record<string, Scenario> = {
  async ping(client, native) {
    const worker = await createWorker({ connection: native, taskQueue });
    await worker.runUntil(
      client.workflow.execute(ping, { taskQueue, workflowId: 'recorded-ping', args: ['recorded'] }),
    );
    return [{ file: 'ping', workflowId: 'recorded-ping' }];
  },

  async budget(client, native) {
    const worker = await createWorker({ connection: native, taskQueue });
    const workflowId = 'recorded-api-budget';
    await worker.runUntil(async () => {
      // Two a second: the third and later reservations wait for the window.
      for (let i = 0; i < 5; i++)
        await client.workflow.executeUpdateWithStart(reserveSlotUpdate, {
          args: [{ rules: [{ limit: 2, windowMs: 1000 }] }],
          startWorkflowOperation: new WithStartWorkflowOperation('apiBudget', {
            workflowId,
            taskQueue,
            args: [],
            workflowIdConflictPolicy: 'USE_EXISTING',
          }),
        });
      await client.workflow.getHandle(workflowId).terminate('recorded');
    });
    return [{ file: 'api-budget', workflowId }];
  },

  async import(client, native) {
    // 80 employees: enough pages that the import continues as new even without a plan step per page.
    return withSandboxes({ employees: 80, seed: 3, dirty: true }, async ({ personio, jumpcloud }) => {
      const deps = sandboxDeps(personio.url, jumpcloud.url);
      const worker = await createWorker({ connection: native, taskQueue, deps });
      const workflowId = 'recorded-import';
      const handle = await client.workflow.start(importEmployees, {
        taskQueue,
        workflowId,
        // Small pages and a tiny event budget, so the recording includes a continue-as-new.
        args: [
          {
            pageSize: 10,
            continueAsNewAfterEvents: 100,
            groups: { perDepartment: true },
            notify: { when: 'never' },
          },
        ],
      });
      const report = await worker.runUntil(handle.result());
      // Runs before each page was read once: import-first-run.json and import-page.json (kept);
      // import-held-first-run.json: the first run only, recorded before the whole chain was (kept);
      // import-held-chain-*.json and directory-page.json: before the read previewed the pages
      // itself, each page planned by a step of its own (kept).
      return [
        ...(await chainOf(client, workflowId, handle.firstExecutionRunId)).map((runId, i) => ({
          file: `import-read-preview-chain-${i + 1}`,
          workflowId,
          runId,
        })),
        {
          file: 'directory-page-planned',
          workflowId: directoryPageWorkflowId(workflowId, report.firstRunId, 0),
        },
      ];
    });
  },

  /**
   * A re-run that would suspend more users than allowed: it previews every page (plan
   * children), waits for approval, is approved by update, and applies the pages with changes,
   * continuing as new on the way; activation timers on, a new hire starting tomorrow.
   */
  async approval(client, native) {
    return withSandboxes({ employees: 40, seed: 3, dirty: true }, async ({ personio, jumpcloud }) => {
      const deps = sandboxDeps(personio.url, jumpcloud.url);
      const worker = await createWorker({ connection: native, taskQueue, deps });
      const input = {
        pageSize: 10,
        continueAsNewAfterEvents: 100,
        groups: { perDepartment: true, removeLeavers: true },
        notify: { when: 'never' as const },
        activation: { onHireDate: true, localTime: '09:00', timeZone: 'Europe/Berlin' },
      };
      const workflowId = 'recorded-approval';
      const report = await worker.runUntil(async () => {
        await client.workflow.execute(importEmployees, {
          taskQueue,
          workflowId: 'recorded-approval-first',
          args: [{ ...input, safeguards: null }],
        });
        let left = 3;
        for (let id = 1001; left > 0; id++)
          if (personio.data.get(id)?.status === 'active') {
            personio.data.setStatus(id, 'inactive');
            left--;
          }
        personio.data.hire({ hireDate: formatDayOf(Date.now() + 86_400_000) });
        const handle = await client.workflow.start(importEmployees, {
          taskQueue,
          workflowId,
          args: [{ ...input, safeguards: { maxSuspensions: 1 } }],
        });
        for (;;) {
          const progress = await handle.query(progressQuery).catch(() => null);
          if (progress?.phase === 'awaiting-approval') break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await handle.executeUpdate(approveUpdate, {
          args: [await signedDecision(handle, 'approve', 'alice')],
        });
        return handle.result();
      });
      if (report.approval?.decision !== 'approved') throw new Error('expected an approved run');
      const { firstExecutionRunId } = await client.workflow
        .getHandle(workflowId)
        .describe()
        .then((d) => ({
          firstExecutionRunId: d.raw.workflowExecutionInfo?.firstRunId ?? report.firstRunId,
        }));
      // The applied page with the most history, and the page that started the new hire's
      // activation timer (a child workflow; found in the history, not assumed).
      let applied = { workflowId: '', events: 0 };
      let timerStarter = '';
      for await (const page of client.workflow.list({
        query: `WorkflowId STARTS_WITH "${workflowId}/" AND WorkflowType = "directoryPage"`,
      })) {
        if (page.historyLength > applied.events)
          applied = { workflowId: page.workflowId, events: page.historyLength };
        const history = await client.workflow.getHandle(page.workflowId, page.runId).fetchHistory();
        if (
          history.events?.some(
            (e) =>
              e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowType?.name ===
              'activateOnHireDate',
          )
        )
          timerStarter = page.workflowId;
      }
      if (!timerStarter) throw new Error("no page started the new hire's activation timer");
      // Runs before each page was read once: import-approved.json, import-plan-page.json and
      // import-apply-page.json (kept); import-held-approved.json: the first run only (kept).
      return [
        ...(await chainOf(client, workflowId, firstExecutionRunId)).map((runId, i) => ({
          file: `import-held-approved-chain-${i + 1}`,
          workflowId,
          runId,
        })),
        { file: 'directory-page-applied', workflowId: applied.workflowId },
        { file: 'directory-page-activation', workflowId: timerStarter },
      ];
    });
  },

  /** A staged new hire's timer, moved earlier once by signal, then the check and the activation. */
  async activation(client, native) {
    return withSandboxes({ employees: 3, seed: 3 }, async ({ personio, jumpcloud }) => {
      const employee = personio.data.hire({ hireDate: formatDayOf(Date.now()) });
      const [user] = jumpcloud.seedUsers([
        {
          username: 'recorded.hire',
          email: 'recorded.hire@example.test',
          employeeIdentifier: String(employee.id),
          state: 'STAGED',
        },
      ]);
      const worker = await createWorker({
        connection: native,
        taskQueue,
        deps: sandboxDeps(personio.url, jumpcloud.url),
      });
      const workflowId = 'recorded-activation';
      const result = await worker.runUntil(async () => {
        const handle = await client.workflow.start(activateOnHireDate, {
          taskQueue,
          workflowId,
          args: [
            {
              personioId: employee.id,
              jumpcloudUserId: user!._id,
              activateAt: new Date(Date.now() + 3_600_000).toISOString(),
              // Today's midnight in the sandbox's zone: the check sees no later hire date.
              localTime: '00:00',
              timeZone: 'Europe/Berlin',
            },
          ],
        });
        await handle.signal(rescheduleActivationSignal, new Date(Date.now() + 2000).toISOString());
        return handle.result();
      });
      if (result.outcome !== 'activated') throw new Error(`expected an activation, got ${result.outcome}`);
      return [{ file: 'activation', workflowId }];
    });
  },
};

/** The run ids of a continue-as-new chain, first to last (each run names the next at its end). */
async function chainOf(client: Client, workflowId: string, firstRunId: string): Promise<string[]> {
  const runs = [firstRunId];
  for (;;) {
    const history = await client.workflow.getHandle(workflowId, runs.at(-1)).fetchHistory();
    const next = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    if (!next) return runs;
    runs.push(next);
  }
}

/** Runs a scenario against both sandbox servers on loopback; they close when it ends. */
async function withSandboxes<T>(
  personioOptions: Parameters<typeof createPersonioSandbox>[0],
  scenario: (sandboxes: {
    personio: ReturnType<typeof createPersonioSandbox>;
    jumpcloud: ReturnType<typeof createJumpCloudSandbox>;
  }) => Promise<T>,
): Promise<T> {
  const personio = createPersonioSandbox(personioOptions);
  const jumpcloud = createJumpCloudSandbox();
  await personio.listen(0);
  await jumpcloud.listen(0);
  try {
    return await scenario({ personio, jumpcloud });
  } finally {
    await personio.close();
    await jumpcloud.close();
  }
}

/** The real API clients, pointed at the sandboxes. */
function sandboxDeps(personioUrl: string, jumpcloudUrl: string) {
  const deps = createImportDeps(
    {
      personio: {
        baseUrl: personioUrl,
        clientId: SANDBOX_CLIENT_ID,
        clientSecret: SANDBOX_CLIENT_SECRET,
        appId: 'RECORD',
      },
      jumpcloud: { baseUrl: jumpcloudUrl, apiKey: SANDBOX_JUMPCLOUD_API_KEY, orgId: undefined },
    },
    {
      maxConcurrentActivities: 8,
      jumpcloudMaxConcurrency: 4,
      jumpcloudRequestsPerSecond: null,
      personioMaxConcurrency: 2,
      personioRequestsPerSecond: 15, // Personio's documented burst (and 300/min by default)
    },
    { from: 'record@localhost', defaultRecipients: [] },
  );
  return { ...deps, policy: TEST_POLICY, approval: TEST_APPROVAL };
}

const name = process.argv[2] ?? '';
const scenario = scenarios[name];
if (!scenario) {
  console.error(`usage: npm run record-history -- <${Object.keys(scenarios).join('|')}>`);
  process.exit(2);
}

installRuntime({ logger: createLogger({ name: 'record-history', level: 'warn' }) });
const server = await startDevServer({ headless: true, fastSqlite: true });
try {
  const native = await NativeConnection.connect({ address: server.address });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  // Replay needs each history's workflow id (child ids derive from it): kept beside them.
  const idsFile = join(import.meta.dirname, 'histories', 'workflow-ids.json');
  const ids = existsSync(idsFile)
    ? (JSON.parse(readFileSync(idsFile, 'utf8')) as Record<string, string>)
    : {};
  for (const recorded of await scenario(client, native)) {
    const history = await client.workflow.getHandle(recorded.workflowId, recorded.runId).fetchHistory();
    const file = join(import.meta.dirname, 'histories', `${recorded.file}.json`);
    writeFileSync(file, `${historyToJSON(history)}\n`);
    ids[`${recorded.file}.json`] = recorded.workflowId;
    console.log(`wrote ${file} (${history.events?.length ?? 0} events)`);
  }
  writeFileSync(idsFile, `${JSON.stringify(ids, null, 2)}\n`);
  await connection.close();
  await native.close();
} finally {
  await server.stop();
}
