/**
 * `npm run receiver`: Personio's webhooks in, Temporal signals out. Every accepted event is
 * handed to the task queue's changes workflow (signal-with-start), which imports the changed
 * people with the ordinary import (workflows/personio-changes.ts). Settings: README,
 * Configuration (RECEIVER_*, PERSONIO_WEBHOOK_TOKEN, TEMPORAL_*, PAYLOAD_KEYS).
 */
import 'dotenv/config';
import { connectClient } from '../client/temporal-client.js';
import { ConfigError, loadReceiverSettings, loadTemporalSettings } from '../config/env.js';
import { parseImportInput } from '../domain/import-input.js';
import { createLogger } from '../observability/logger.js';
import {
  CHANGES_WORKFLOW_TYPE,
  changesWorkflowId,
  personsChangedSignal,
  type ChangesInput,
} from '../workflows/changes-api.js';
import { createReceiverApp, WEBHOOK_PATH } from './app.js';
import { HandoffBatcher } from './handoff-batcher.js';

async function main() {
  const settings = loadReceiverSettings();
  const temporal = loadTemporalSettings();
  const parsedOptions = parseImportInput(settings.importOptions);
  if (!parsedOptions.ok)
    throw new ConfigError([
      `RECEIVER_IMPORT_OPTIONS: ${parsedOptions.problems.map((p) => p.message).join('; ')}`,
    ]);
  const logger = createLogger({ name: 'receiver', level: settings.logLevel });
  const { client, close } = await connectClient(temporal);
  const input: ChangesInput = {
    taskQueue: temporal.taskQueue,
    debounceMs: settings.debounceMs,
    importOptions: settings.importOptions,
  };
  // Webhooks arriving while a signal is under way go together in the next one.
  const batcher = new HandoffBatcher(async (changes) => {
    await client.workflow.signalWithStart(CHANGES_WORKFLOW_TYPE, {
      workflowId: changesWorkflowId(temporal.taskQueue),
      taskQueue: temporal.taskQueue,
      args: [input],
      signal: personsChangedSignal,
      signalArgs: [changes],
    });
  });
  const { app } = createReceiverApp({
    token: settings.webhookToken,
    bodyLimitBytes: settings.bodyLimitBytes,
    logger,
    handOff: (change) => batcher.add(change),
    handoffSignals: () => batcher.stats.signals,
    healthy: async () => {
      await client.workflowService.getSystemInfo({});
      return true;
    },
  });
  try {
    await app.listen({ host: settings.bind.host, port: settings.bind.port });
  } catch (err) {
    throw new ConfigError([
      `RECEIVER_BIND_ADDRESS=${settings.bind.host}:${settings.bind.port} cannot be used (${(err as NodeJS.ErrnoException).code ?? 'error'}): choose another port`,
    ]);
  }
  logger.info(
    {
      url: `http://${settings.bind.host}:${settings.bind.port}${WEBHOOK_PATH}`,
      taskQueue: temporal.taskQueue,
    },
    'receiver started',
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void app
        .close()
        .then(close)
        .then(() => process.exit(0));
    });
  }
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
  else process.stderr.write(`receiver failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
