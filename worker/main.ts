/**
 * The worker process (`npm run worker`): connects to Temporal, polls the task queue and runs
 * the import's workflows and activities. Start more of them on the same task queue to
 * spread the work. SIGINT/SIGTERM stop polling and let running activities finish.
 */
// Like the CLI: a `.env` in the working directory (README step 2); the environment wins.
import 'dotenv/config';
import type { Server } from 'node:http';
import { NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import type { Logger } from 'pino';
import { apiMetricsObserver } from '../observability/api-metrics.js';
import { ConfigError, loadWorkerConfig } from '../config/env.js';
import { describeTemporalConnection } from '../config/temporal-connection.js';
import { createLogger } from '../observability/logger.js';
import { checkBindable } from './bind-check.js';
import { createWorker } from './create-worker.js';
import { serveHealth } from './health.js';
import { createImportDeps } from './import-deps.js';
import { deriveSealKeys } from '../activities/carried-state.js';
import { installRuntime } from './runtime.js';

// Created once LOG_LEVEL has been checked (pino throws on an unknown level).
let logger: Logger | undefined;

async function main() {
  const config = loadWorkerConfig();
  const { temporal, connection: target, api, tuning, notify, payloadKeys, mapping } = config;
  const settings = config.process;
  logger = createLogger({ name: 'worker', level: settings.logLevel });
  // Endpoints first: a busy port is the operator's to fix, before anything connects.
  let worker: Worker | undefined;
  const health: Server | null = settings.health
    ? await serveHealth(() => worker?.getState() ?? 'STARTING', settings.health)
    : null;
  if (settings.metricsBindAddress) {
    const colon = settings.metricsBindAddress.lastIndexOf(':');
    await checkBindable(
      'METRICS_BIND_ADDRESS',
      settings.metricsBindAddress.slice(0, colon).replace(/^\[(.*)\]$/, '$1'),
      Number(settings.metricsBindAddress.slice(colon + 1)),
      '0.0.0.0:9465',
    );
  }
  installRuntime({ logger, prometheusBindAddress: settings.metricsBindAddress });
  const deps = createImportDeps(
    api,
    tuning,
    notify,
    apiMetricsObserver(Runtime.instance().metricMeter),
    mapping,
  );
  // What any workflow input may ask of this worker (IMPORT_POLICY_FILE).
  deps.policy = config.policy;
  // Who may approve a run the safeguards paused (APPROVER_KEYS_FILE, APPROVAL_FOUR_EYES).
  deps.approval = config.approval;
  // Continue-as-new state is sealed with keys every worker of the task queue shares.
  if (payloadKeys)
    deps.sealKeys = deriveSealKeys(
      [payloadKeys.current, ...[...payloadKeys.byId].map(([id, key]) => ({ id, key }))].map(
        ({ id, key }) => ({
          id: `payload-${id}`,
          secret: key,
        }),
      ),
    );
  try {
    const connection = await NativeConnection.connect({
      address: target.address,
      tls: target.tls,
      apiKey: target.apiKey,
    });
    try {
      worker = await createWorker({
        connection,
        namespace: temporal.namespace,
        taskQueue: temporal.taskQueue,
        deps,
        payloadKeys,
        tuning: {
          maxConcurrentActivityTaskExecutions: tuning.maxConcurrentActivities,
          // On SIGTERM/SIGINT: stop polling, let running activities finish for this long.
          shutdownGraceTime: settings.shutdownGrace,
        },
      });
      logger.info({ ...describeTemporalConnection(target), taskQueue: temporal.taskQueue }, 'worker started');
      await worker.run();
      logger.info('worker stopped');
    } finally {
      await connection.close();
    }
  } finally {
    health?.close();
  }
}

main().catch((err: unknown) => {
  // A configuration mistake is the operator's to fix: one plain message, no stack trace.
  if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
  else (logger ?? createLogger({ name: 'worker', level: 'info' })).error({ err }, 'worker failed');
  process.exit(1);
});
