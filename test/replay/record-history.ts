/**
 * Records a fresh history for the replay tests: starts a dev server and a worker, runs one
 * named scenario, and writes its history to test/replay/histories/<scenario>.json.
 *
 *   npm run record-history -- ping
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { NativeConnection } from '@temporalio/worker';
import { startDevServer } from '../../local-temporal/dev-server.js';
import { createWorker } from '../../worker/create-worker.js';
import { ping } from '../../workflows/index.js';

const taskQueue = 'record-history';
type Scenario = (client: Client) => Promise<string>;

const scenarios: Record<string, Scenario> = {
  async ping(client) {
    const workflowId = 'recorded-ping';
    await client.workflow.execute(ping, { taskQueue, workflowId, args: ['recorded'] });
    return workflowId;
  },
};

const name = process.argv[2] ?? '';
const scenario = scenarios[name];
if (!scenario) {
  console.error(`usage: npm run record-history -- <${Object.keys(scenarios).join('|')}>`);
  process.exit(2);
}

const server = await startDevServer({ headless: true, fastSqlite: true });
try {
  const native = await NativeConnection.connect({ address: server.address });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const worker = await createWorker({ connection: native, taskQueue });
  const workflowId = await worker.runUntil(() => scenario(client));
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const file = join(import.meta.dirname, 'histories', `${name}.json`);
  writeFileSync(file, `${historyToJSON(history)}\n`);
  console.log(`wrote ${file} (${history.events?.length ?? 0} events)`);
  await connection.close();
  await native.close();
} finally {
  await server.stop();
}
