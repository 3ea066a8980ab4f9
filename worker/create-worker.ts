/**
 * Builds a Worker: the one place where workflows, activities and tuning meet. Used by the
 * worker process, the demo, the tests and the benchmarks alike.
 */
import type { NativeConnection } from '@temporalio/worker';
import { Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import { dataConverterFor } from '../codec/data-converter.js';
import type { PayloadKeyRing } from '../codec/keys.js';
import { redactActivityErrors } from './redact-errors.js';
import { sharedWorkflowBundle } from './workflow-bundle.js';

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  deps?: ActivityDeps;
  /** Payload encryption keys; null = plain payloads (tests, local experiments). */
  payloadKeys?: PayloadKeyRing | null;
  /** Anything else the caller wants to tune (concurrency, rate limits, identity). */
  tuning?: Partial<WorkerOptions>;
}

export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue,
    workflowBundle: await sharedWorkflowBundle(),
    activities: createActivities(options.deps),
    dataConverter: dataConverterFor(options.payloadKeys ?? null),
    ...options.tuning,
    // Secrets out of every activity error before it becomes a failure (worker/redact-errors.ts).
    interceptors: {
      ...options.tuning?.interceptors,
      activity: [redactActivityErrors, ...(options.tuning?.interceptors?.activity ?? [])],
    },
  });
}
