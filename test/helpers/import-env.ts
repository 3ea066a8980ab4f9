/**
 * Everything an import test needs, all real: both sandbox servers on loopback, the real API
 * clients pointed at them, a worker on a task queue of the test's own, and the client.
 */
import type { WorkerOptions } from '@temporalio/worker';
import { createImportDeps } from '../../worker/import-deps.js';
import { SANDBOX_JUMPCLOUD_API_KEY, type JumpCloudSandboxOptions } from '../../sandbox/jumpcloud/server.js';
import {
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  type PersonioSandboxOptions,
} from '../../sandbox/personio/server.js';
import { startSandboxes } from './sandboxes.js';
import type { NotifySettings, WorkerTuning } from '../../config/env.js';
import type { ImportDeps } from '../../activities/deps.js';
import type { AttributeMapping } from '../../domain/attribute-mapping.js';
import type { ImportPolicy } from '../../domain/import-policy.js';
import { TEST_POLICY } from './test-policy.js';
import { TEST_APPROVAL } from './approvers.js';

export { TEST_POLICY };
import { importEmployees } from '../../workflows/index.js';
import type { ImportReport } from '../../workflows/import-api.js';
import type { ImportInputOptions } from '../../domain/import-input.js';
import { taskQueueFor, testTemporal, withWorker } from './temporal.js';

export interface ImportEnvOptions {
  personio?: PersonioSandboxOptions;
  jumpcloud?: JumpCloudSandboxOptions;
  notify?: Partial<NotifySettings>;
  tuning?: Partial<WorkerTuning>;
  credentials?: { personioClientSecret?: string; jumpcloudApiKey?: string };
  /** The worker's attribute mapping (ATTRIBUTE_MAPPING_FILE); default: the README table. */
  mapping?: AttributeMapping;
  /** The worker's import policy; default: TEST_POLICY (loose, loopback destinations allowed). */
  policy?: ImportPolicy;
}

/**
 * `test` is the test's own context (its `t`): the sandboxes close when that test ends. (A
 * bare `after()` would attach by async context, and after an `await` that can be a test that
 * has already finished: the hook never runs and the file hangs until the runner's timeout.)
 */
export async function startImportEnv(
  test: { name: string; after(fn: () => Promise<void>): void },
  options: ImportEnvOptions = {},
) {
  const testName = test.name;
  const { personio, jumpcloud, close } = await startSandboxes(options);
  test.after(close);
  const tuning: WorkerTuning = {
    maxConcurrentActivities: 16,
    jumpcloudMaxConcurrency: 4,
    jumpcloudRequestsPerSecond: null,
    personioMaxConcurrency: 4,
    personioRequestsPerSecond: 15, // Personio's documented burst (and 300/min by default)
    ...options.tuning,
  };
  const makeDeps = (credentials = options.credentials ?? {}): ImportDeps => ({
    ...createImportDeps(
      {
        personio: {
          baseUrl: personio.url,
          clientId: SANDBOX_CLIENT_ID,
          clientSecret: credentials.personioClientSecret ?? SANDBOX_CLIENT_SECRET,
          appId: 'PERSONIO_JUMPCLOUD_SYNC_TEST',
        },
        jumpcloud: {
          baseUrl: jumpcloud.url,
          apiKey: credentials.jumpcloudApiKey ?? SANDBOX_JUMPCLOUD_API_KEY,
          orgId: undefined,
        },
      },
      tuning,
      { from: 'sync@example.test', defaultRecipients: [], ...options.notify },
      undefined,
      options.mapping,
    ),
    policy: options.policy ?? TEST_POLICY,
    approval: TEST_APPROVAL,
  });
  const taskQueue = taskQueueFor(testName);
  const { client } = await testTemporal();
  let runs = 0;

  /** Runs one import to completion with a worker of its own; returns the report. */
  async function runImport(
    input: ImportInputOptions = {},
    extra: { workflowId?: string; deps?: ImportDeps; worker?: Partial<WorkerOptions> } = {},
  ): Promise<{ report: ImportReport; workflowId: string }> {
    const workflowId = extra.workflowId ?? `${taskQueue}-import-${++runs}`;
    const report = await withWorker(
      {
        taskQueue,
        deps: extra.deps ?? makeDeps(),
        tuning: { maxConcurrentActivityTaskExecutions: tuning.maxConcurrentActivities, ...extra.worker },
      },
      () => client.workflow.execute(importEmployees, { taskQueue, workflowId, args: [input] }),
    );
    return { report, workflowId };
  }

  /**
   * Runs fn while a worker of its own polls the test's task queue, for tests that start,
   * query or race workflows themselves (runImport does all of that for one plain run).
   */
  function withImportWorker<T>(
    fn: () => Promise<T>,
    extra: { deps?: ImportDeps; worker?: Partial<WorkerOptions> } = {},
  ): Promise<T> {
    return withWorker(
      {
        taskQueue,
        deps: extra.deps ?? makeDeps(),
        tuning: { maxConcurrentActivityTaskExecutions: tuning.maxConcurrentActivities, ...extra.worker },
      },
      fn,
    );
  }

  return { personio, jumpcloud, client, taskQueue, makeDeps, runImport, withImportWorker };
}
