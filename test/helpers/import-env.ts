/**
 * Everything an import test needs, all real: both sandbox servers on loopback, the real API
 * clients pointed at them, a worker on a task queue of the test's own, and the client.
 */
import { after } from 'node:test';
import type { WorkerOptions } from '@temporalio/worker';
import { createImportDeps } from '../../worker/import-deps.js';
import {
  createJumpCloudSandbox,
  SANDBOX_JUMPCLOUD_API_KEY,
  type JumpCloudSandboxOptions,
} from '../../sandbox/jumpcloud/server.js';
import {
  createPersonioSandbox,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  type PersonioSandboxOptions,
} from '../../sandbox/personio/server.js';
import type { NotifySettings, WorkerTuning } from '../../config/env.js';
import type { ImportDeps } from '../../activities/deps.js';
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
}

export async function startImportEnv(testName: string, options: ImportEnvOptions = {}) {
  const personio = createPersonioSandbox({ employees: 50, seed: 7, ...options.personio });
  const jumpcloud = createJumpCloudSandbox(options.jumpcloud);
  await personio.listen(0);
  await jumpcloud.listen(0);
  after(async () => {
    await personio.close();
    await jumpcloud.close();
  });
  const tuning: WorkerTuning = {
    maxConcurrentActivities: 16,
    jumpcloudMaxConcurrency: 4,
    jumpcloudRequestsPerSecond: null,
    personioMaxConcurrency: 4,
    personioRequestsPerSecond: null,
    ...options.tuning,
  };
  const makeDeps = (credentials = options.credentials ?? {}): ImportDeps =>
    createImportDeps(
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
    );
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

  return { personio, jumpcloud, client, taskQueue, makeDeps, runImport };
}
