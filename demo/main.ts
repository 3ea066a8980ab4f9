/**
 * `npm run demo`: the whole job on embedded defaults, no credentials needed. Starts a
 * Temporal dev server with its Web UI (state kept in .data/), a worker, and runs the job,
 * then keeps everything up so you can look around, until Ctrl-C (or `--exit`).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { freePort, startDevServer } from '../local-temporal/dev-server.js';
import { createLogger } from '../observability/logger.js';
import { createWorker } from '../worker/create-worker.js';
import { installRuntime } from '../worker/runtime.js';
import { ping } from '../workflows/index.js';

const exitWhenDone = process.argv.includes('--exit');
const dataDir = join(import.meta.dirname, '..', '.data');
mkdirSync(dataDir, { recursive: true });
installRuntime({ logger: createLogger({ name: 'demo', level: 'warn' }) });

const say = (m: string) => console.log(`▸ ${m}`);
say('starting the Temporal dev server (first run builds the Temporal CLI: a few minutes)');
const port = 7233;
const server = await startDevServer({
  port: (await portIsFree(port)) ? port : await freePort(),
  dbFilename: join(dataDir, 'temporal.db'),
});
say(`Temporal at ${server.address}, Web UI at ${server.uiUrl}`);

const native = await NativeConnection.connect({ address: server.address });
const connection = await Connection.connect({ address: server.address });
const client = new Client({ connection });
const taskQueue = 'personio-jumpcloud-sync';
const worker = await createWorker({ connection: native, taskQueue });
const running = worker.run();

const workflowId = `demo-ping-${Date.now()}`;
const result = await client.workflow.execute(ping, { taskQueue, workflowId, args: ['hello from the demo'] });
say(`workflow ${workflowId} answered: "${result.message}" by worker ${result.answeredBy}`);
say(`look at it in Temporal Web: ${server.uiUrl}/namespaces/default/workflows/${workflowId}`);

if (exitWhenDone) await shutdown();
else {
  say('everything stays up for you to explore; Ctrl-C stops it');
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

async function shutdown() {
  worker.shutdown();
  await running;
  await connection.close();
  await native.close();
  await server.stop();
  process.exit(0);
}

async function portIsFree(p: number): Promise<boolean> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(p, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}
