// Imported first by every test that runs workflows or workers: the Temporal
// Runtime logs warnings and errors only, as JSON, so test output stays readable.
import { createLogger } from '../../observability/logger.js';
import { installRuntime } from '../../worker/runtime.js';

installRuntime({
  logger: createLogger({ name: 'test', level: process.env.LOG_LEVEL ?? 'warn', pretty: false }),
});
