/**
 * The worker process (`npm run worker`): connects to Temporal, polls the task queue and runs
 * the import's workflows and activities. Start more of them on the same task queue to
 * spread the work. SIGINT/SIGTERM stop polling and let running activities finish.
 */
import { NativeConnection, Runtime } from '@temporalio/worker';
import { apiMetricsObserver } from '../observability/api-metrics.js';
import { ConfigError, loadWorkerConfig } from '../config/env.js';
import { describeTemporalConnection } from '../config/temporal-connection.js';
import { createLogger } from '../observability/logger.js';
import { createWorker } from './create-worker.js';
import { serveHealth } from './health.js';
import { createImportDeps } from './import-deps.js';
import { installRuntime } from './runtime.js';

const logger = createLogger({ name: 'worker' });

async function main() {
  const { temporal, connection: target, api, tuning, notify, payloadKeys } = loadWorkerConfig();
  installRuntime({ logger, prometheusBindAddress: process.env.METRICS_BIND_ADDRESS || undefined });
  const deps = createImportDeps(api, tuning, notify, apiMetricsObserver(Runtime.instance().metricMeter));
  const connection = await NativeConnection.connect({
    address: target.address,
    tls: target.tls,
    apiKey: target.apiKey,
  });
  try {
    const worker = await createWorker({
      connection,
      namespace: temporal.namespace,
      taskQueue: temporal.taskQueue,
      deps,
      payloadKeys,
      tuning: {
        maxConcurrentActivityTaskExecutions: tuning.maxConcurrentActivities,
        // On SIGTERM/SIGINT: stop polling, let running activities finish for this long.
        shutdownGraceTime: process.env.WORKER_SHUTDOWN_GRACE ?? '60s',
      },
    });
    const health = process.env.HEALTH_BIND_ADDRESS
      ? await serveHealth(worker, process.env.HEALTH_BIND_ADDRESS)
      : null;
    logger.info({ ...describeTemporalConnection(target), taskQueue: temporal.taskQueue }, 'worker started');
    await worker.run();
    health?.close();
    logger.info('worker stopped');
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  // A configuration mistake is the operator's to fix: one plain message, no stack trace.
  if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
  else logger.error({ err }, 'worker failed');
  process.exit(1);
});
