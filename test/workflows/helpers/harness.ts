/**
 * In-memory workflow tests: the real workflow code (the worker's own bundle) on the SDK's test
 * environment, with every activity that reaches Personio, JumpCloud or a mail server replaced
 * by a plain function answering from a small made-up directory. No sandbox servers, no HTTP:
 * what is under test is the workflows' logic (approval, safeguards, continue-as-new,
 * cancellation); the integration tests keep testing the real activities end to end.
 *
 * The worker-side checks that are pure (sealing and checking the carried state, the plan's
 * digest) are the real ones, with a test key: continue-as-new and the held pages go through
 * the same seals as in production.
 *
 * Server: the dev server `npm test` starts (TEMPORAL_TEST_ADDRESS), else one started here by
 * the SDK's test environment from the project's cached Temporal CLI (never a download). Its
 * timers are real: a test that waits out a timer keeps it short through the worker's settings
 * (the approval timeout in the policy's verdict), never with a sleep of its own.
 *
 * One bundle and one worker per test file; each import gets its own mocks (by workflow id).
 */
import '../../helpers/setup.js';
import assert from 'node:assert/strict';
import { after } from 'node:test';
import { QueryNotRegisteredError, type WorkflowHandle } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities, type Activities } from '../../../activities/index.js';
import { createApprovalActivities, type ApprovalVerdict } from '../../../activities/approval.js';
import {
  createCarriedStateActivities,
  deriveSealKeys,
  sealState,
  type SealRequest,
} from '../../../activities/carried-state.js';
import type { FetchedPage } from '../../../activities/fetch-page.js';
import { dataConverterFor } from '../../../codec/data-converter.js';
import { pageEmployee } from '../../helpers/employees.js';
import { findTemporalCli } from '../../../local-temporal/temporal-cli.js';
import { parseImportInput, type ImportInputOptions } from '../../../domain/import-input.js';
import type { EmployeeResult, ImportProgress, Outcome } from '../../../domain/outcomes.js';
import type { SafeguardRules } from '../../../domain/safeguards.js';
import {
  importEmployeesFailedKey,
  importEmployeesProcessedKey,
  importPhaseKey,
} from '../../../domain/search-attributes.js';
import {
  DIRECTORY_PAGE_WORKFLOW_TYPE,
  directoryPageWorkflowId,
  pageSealRequest,
  type DirectoryPageInput,
} from '../../../workflows/directory-page-api.js';
import { IMPORT_WORKFLOW_TYPE, progressQuery } from '../../../workflows/import-api.js';
import type { importEmployees } from '../../../workflows/import-employees.js';
import type { ImportState } from '../../../workflows/import-state.js';
import { until } from '../../helpers/wait.js';
import { sharedWorkflowBundle } from '../../../worker/workflow-bundle.js';

let shared: Promise<TestWorkflowEnvironment> | undefined;

/** The test environment, one per test file (closed when the file ends). */
export function workflowTestEnv(): Promise<TestWorkflowEnvironment> {
  shared ??= (async () => {
    const client = { dataConverter: dataConverterFor(null) };
    const address = process.env.TEMPORAL_TEST_ADDRESS;
    if (address) return TestWorkflowEnvironment.createFromExistingServer({ address, client });
    const cli = await findTemporalCli();
    return TestWorkflowEnvironment.createLocal({
      client,
      server: {
        executable: { type: 'existing-path', path: cli.path },
        ip: '127.0.0.1',
        searchAttributes: [importPhaseKey, importEmployeesProcessedKey, importEmployeesFailedKey],
      },
    });
  })();
  return shared;
}

let counter = 0;
/** A task queue (and workflow id) of this test's own, so tests on one server never meet. */
export function uniqueName(test: string): string {
  return `wf-${test.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-${process.pid}-${++counter}`;
}

/** The made-up directory and the worker's settings a test runs the import against. */
export interface Scenario {
  /** Employees in Personio: ids 1…n, read `pageSize` at a time (the input's). */
  employees: number;
  /** What the plan (and the apply) does to each employee; default: created. */
  outcome?: (personioId: number) => Outcome;
  /**
   * The safeguards the worker's import policy gives the run (checkImportInput's verdict: the
   * worker decides them, never the input). Default: the input's own.
   */
  safeguards?: SafeguardRules | null;
  /** Whether the plan finds the employee's manager to change (link step); default: no. */
  managerChange?: (personioId: number) => boolean;
  /** Replaces the staging of one employee (to hold it, or fail it). */
  stage?: (personioId: number) => Promise<EmployeeResult | undefined>;
}

/** What the mocked activities were asked, in order. */
export interface Calls {
  planned: number[];
  staged: number[];
  linked: number[];
  ensureGroups: boolean[];
  bound: number;
  notified: { subject: string }[];
  digests: number;
  verified: { by: string; signature: string }[];
  /** Every state the worker sealed for continue-as-new (not the pages' steps), in order. */
  carried: ImportState[];
  /** Every page the directory read held: offset → its workflow id. */
  pages: Map<number, string>;
}

const SEAL_KEYS = deriveSealKeys([{ id: 'test', secret: 'in-memory workflow tests' }]);
/** The one signature the mocked approval check takes. */
export const VALID_SIGNATURE = 'valid-signature';

const MATCHED: ReadonlySet<Outcome> = new Set(['updated', 'unchanged', 'suspended', 'reactivated']);

/**
 * Every activity the worker registers: those of the scenario answer from it; any other fails
 * at once and for good, so a workflow calling an activity a test did not expect fails the test
 * instead of retrying until it times out.
 */
export function mockActivities(scenario: Scenario): { activities: Activities; calls: Calls } {
  const outcomeOf = scenario.outcome ?? (() => 'created' as const);
  const calls: Calls = {
    planned: [],
    staged: [],
    linked: [],
    ensureGroups: [],
    bound: 0,
    notified: [],
    digests: 0,
    verified: [],
    carried: [],
    pages: new Map(),
  };
  const real = createActivities({});
  const unexpected = Object.fromEntries(
    Object.keys(real).map((name) => [
      name,
      () => {
        throw new Error(`unexpected activity ${name} in an in-memory workflow test`);
      },
    ]),
  ) as unknown as Activities;
  const sealed = createCarriedStateActivities({ sealKeys: SEAL_KEYS });
  const approval = createApprovalActivities({});

  const mocks: Partial<Activities> = {
    checkImportInput: async (raw) => {
      const parsed = parseImportInput(raw);
      if (!parsed.ok) return { problems: parsed.problems, safeguards: null };
      return {
        problems: [],
        safeguards: scenario.safeguards !== undefined ? scenario.safeguards : parsed.input.safeguards,
      };
    },
    sealCarriedState: async (request: SealRequest) => {
      // A continue-as-new seals the run's raw input; a page step seals `page-step:<step>`.
      if (!(typeof request.input === 'string' && request.input.startsWith('page-step:')))
        calls.carried.push(structuredClone(request.state as ImportState));
      return sealed.sealCarriedState(request);
    },
    checkCarriedState: (request) => sealed.checkCarriedState(request),
    digestPlan: async (plan) => {
      calls.digests++;
      return approval.digestPlan(plan);
    },
    // The signature check itself has tests of its own (test/security/signed-approvals.test.ts).
    verifyApproval: async (check): Promise<ApprovalVerdict> => {
      calls.verified.push({ by: check.statement.by, signature: check.signature });
      const s = check.statement;
      const e = check.expected;
      if (check.signature !== VALID_SIGNATURE) return { ok: false, reason: 'the signature is not valid' };
      if (s.workflowId !== e.workflowId || s.runId !== e.runId || s.planDigest !== e.planDigest)
        return { ok: false, reason: 'the signature is for another run or plan' };
      if (s.decision !== e.decision) return { ok: false, reason: `signed "${s.decision}"` };
      return { ok: true, name: s.by, keyId: 'test-key' };
    },
    checkCredentials: async () => undefined,
    readDirectory: async (request) => {
      const { client, info } = Context.current();
      const offsets: number[] = [];
      for (let offset = 0; offset < scenario.employees; offset += request.pageSize) {
        offsets.push(offset);
        const ids = Array.from(
          { length: Math.min(request.pageSize, scenario.employees - offset) },
          (_, i) => offset + i + 1,
        );
        const page: FetchedPage = {
          employees: ids.map((id) => pageEmployee(id)),
          skipped: [],
          totalElements: scenario.employees,
        };
        const workflowId = directoryPageWorkflowId(request.importWorkflowId, request.firstRunId, offset);
        const unsealed: DirectoryPageInput = {
          importWorkflowId: request.importWorkflowId,
          firstRunId: request.firstRunId,
          offset,
          page,
          entries: [],
          idleTimeoutMs: request.idleTimeoutMs,
        };
        await client.workflow.start(DIRECTORY_PAGE_WORKFLOW_TYPE, {
          workflowId,
          taskQueue: info.taskQueue,
          args: [{ ...unsealed, seal: sealState(SEAL_KEYS, pageSealRequest(workflowId, unsealed)) }],
        });
        calls.pages.set(offset, workflowId);
      }
      return {
        employeesTotal: scenario.employees,
        heldBack: [],
        supervisorsNotImported: [],
        supervisorCycle: [],
        idSuffixedUsernames: [],
        departments: [],
        pageOffsets: offsets,
        personioRequests: offsets.length,
      };
    },
    ensureGroups: async (_plan, dryRun) => {
      calls.ensureGroups.push(dryRun);
      return {
        allEmployeesGroupId: 'group-all',
        departmentGroupIds: {},
        created: dryRun ? [] : ['Personio Import'],
      };
    },
    planPage: async (request) => {
      calls.planned.push(request.offset);
      const results = request.page!.employees.map((e) => ({
        personioId: e.personioId,
        outcome: outcomeOf(e.personioId),
      }));
      return {
        results,
        totalElements: request.page!.totalElements,
        writes: results.some((r) => r.outcome !== 'unchanged' && r.outcome !== 'skipped'),
        importedUsers: results.filter((r) => MATCHED.has(r.outcome)).length,
        managerChanges: results.filter((r) => scenario.managerChange?.(r.personioId)).length,
      };
    },
    fetchAndSettlePage: async (request) => ({ ...request.page!, settled: [] }),
    stageEmployee: async (request) => {
      const id = request.employee.personioId;
      calls.staged.push(id);
      return (await scenario.stage?.(id)) ?? { personioId: id, outcome: outcomeOf(id) };
    },
    linkManagersForPage: async (request) => {
      calls.linked.push(request.offset);
      return { linked: 0, cleared: 0, unchanged: request.limit, notes: [] };
    },
    bindGroupsToApplications: async (applications, groupIds) => {
      calls.bound++;
      return {
        bound: applications.flatMap((application) => groupIds.map((groupId) => ({ application, groupId }))),
        alreadyBound: 0,
        missingApplications: [],
      };
    },
    sendEmailNotification: async (notification) => {
      calls.notified.push({ subject: notification.subject });
      return { emailedTo: notification.email, skipped: [] };
    },
    sendWebhookNotification: async () => false,
  };
  return { activities: { ...unexpected, ...mocks }, calls };
}

/** Each import's mocked activities, by its workflow id (its pages' ids start with it). */
const imports = new Map<string, Activities>();

/**
 * The worker of this test file: one for all its tests (creating a worker takes seconds), on
 * a task queue of the file's own, handing every activity to the mocks of the import it serves.
 * Heartbeats are sent at once, so a cancelled activity hears of it in milliseconds (the
 * default waits most of its heartbeat timeout).
 */
let worker: Promise<{ taskQueue: string; stop: () => Promise<void> }> | undefined;

function mockWorker() {
  worker ??= (async () => {
    const env = await workflowTestEnv();
    const taskQueue = uniqueName('workflows');
    const byImport = (): Activities => {
      const workflowId = Context.current().info.workflowExecution?.workflowId ?? '';
      const mocks = imports.get(workflowId.split('/')[0] ?? '');
      if (!mocks) throw new Error(`no mocked activities for ${workflowId}`);
      return mocks;
    };
    const activities = Object.fromEntries(
      Object.keys(createActivities({})).map((name) => [
        name,
        (...args: unknown[]) =>
          (byImport()[name as keyof Activities] as (...a: unknown[]) => unknown)(...args),
      ]),
    );
    const created = await Worker.create({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      workflowBundle: await sharedWorkflowBundle(),
      activities,
      dataConverter: dataConverterFor(null),
      maxHeartbeatThrottleInterval: '50ms',
      defaultHeartbeatThrottleInterval: '50ms',
    });
    const running = created.run();
    return {
      taskQueue,
      stop: async () => {
        created.shutdown();
        await running;
      },
    };
  })();
  return worker;
}

after(async () => {
  if (worker) await (await worker).stop();
  if (shared) await (await shared).teardown();
});

export type ImportHandle = WorkflowHandle<typeof importEmployees>;

/**
 * Starts an import whose activities answer from `scenario`, and runs `fn` with it. An import
 * still running when `fn` ends (a failed test) is terminated, so it cannot slow the next.
 */
export async function withImport<T>(
  name: string,
  scenario: Scenario,
  input: ImportInputOptions,
  fn: (handle: ImportHandle, calls: Calls) => Promise<T>,
): Promise<T> {
  const env = await workflowTestEnv();
  const { taskQueue } = await mockWorker();
  const workflowId = uniqueName(name);
  const { activities, calls } = mockActivities(scenario);
  imports.set(workflowId, activities);
  const handle = await env.client.workflow.start<typeof importEmployees>(IMPORT_WORKFLOW_TYPE, {
    workflowId,
    taskQueue,
    args: [input],
  });
  let result: T;
  try {
    result = await fn(handle, calls);
  } finally {
    if ((await handle.describe()).status.name === 'RUNNING')
      await handle.terminate('the test ended').catch(() => undefined);
  }
  // A worker that restarts (or evicts the run from its cache) replays it from its history:
  // the run's last history must replay with today's code, as the recorded ones do.
  await Worker.runReplayHistory(
    { workflowBundle: await sharedWorkflowBundle() },
    await handle.fetchHistory(),
    workflowId,
  );
  return result;
}

/** The import's progress; undefined before its first workflow task has set up the query. */
export async function progressOf(handle: ImportHandle): Promise<ImportProgress | undefined> {
  return handle.query(progressQuery).catch((err: unknown) => {
    if (err instanceof QueryNotRegisteredError) return undefined;
    throw err;
  });
}

/** Waits until every page the run held has ended, and checks how: status → offsets. */
export async function pagesEnded(calls: Calls, expected: Partial<Record<string, number[]>>): Promise<void> {
  const env = await workflowTestEnv();
  const ended: Record<string, number[]> = {};
  for (const [offset, id] of calls.pages) {
    const status = await until(`page ${offset} (${id}) to end`, async () => {
      const { status } = await env.client.workflow.getHandle(id).describe();
      return status.name === 'RUNNING' ? undefined : status.name;
    });
    (ended[status] ??= []).push(offset);
  }
  assert.deepEqual(ended, expected);
}
