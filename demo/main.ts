/**
 * `npm run demo`: the whole import on embedded defaults, no credentials needed.
 *
 * Starts a Temporal dev server with its Web UI (state kept in .data/), the sandbox Personio
 * (a few hundred employees, dirty data on) and JumpCloud servers, a worker, and an import
 * with a progress bar; then prints the summary and where to look, and keeps everything up
 * until Ctrl-C (`--exit` stops when the import is done).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { summaryFromReport } from '../client/import-command.js';
import { freePort, startDevServer } from '../local-temporal/dev-server.js';
import { createLogger } from '../observability/logger.js';
import { createJumpCloudSandbox, SANDBOX_JUMPCLOUD_API_KEY } from '../sandbox/jumpcloud/server.js';
import {
  createPersonioSandbox,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
} from '../sandbox/personio/server.js';
import { followImport } from '../client/progress.js';
import { AesGcmCodec } from '../codec/aes-gcm-codec.js';
import { dataConverterFor } from '../codec/data-converter.js';
import { parseKeyRing } from '../codec/keys.js';
import { createCodecServer } from '../codec/server.js';
import { writeReport } from '../client/report-command.js';
import { createWorker } from '../worker/create-worker.js';
import { createImportDeps } from '../worker/import-deps.js';
import { keyIdOf, parseApproverKeys } from '../config/approver-keys.js';
import { ConfigError } from '../config/config-error.js';
import { loadDemoSettings, type DemoSettings } from './settings.js';
import { EXIT } from '../client/exit-codes.js';
import { installRuntime } from '../worker/runtime.js';
import { importWorkflowId } from '../workflows/import-api.js';
import { PersonioV2Client } from '../clients/personio-v2.js';
import { createReceiverApp, WEBHOOK_PATH } from '../receiver/app.js';
import { SUBSCRIBED_EVENTS } from '../client/webhooks-command.js';
import { CHANGES_WORKFLOW_TYPE, changesWorkflowId, personChangedSignal } from '../workflows/changes-api.js';
import { importEmployees } from '../workflows/index.js';

const exitWhenDone = process.argv.includes('--exit');
const { employees, dataDir, dataDirChosen } = demoSettingsOrExit();
mkdirSync(dataDir, { recursive: true });
installRuntime({ logger: createLogger({ name: 'demo', level: 'warn' }) });
const say = (m: string) => console.log(`▸ ${m}`);

// Employee data in history is encrypted, as in production; the demo keeps its key in .data/
// and runs the codec server so Temporal Web can show the decoded data.
const keyFile = join(dataDir, 'payload-keys');
if (!existsSync(keyFile))
  writeFileSync(keyFile, `demo-${Date.now()}:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
const payloadKeys = parseKeyRing(readFileSync(keyFile, 'utf8'), keyFile);
const uiPort = (await portIsFree(8233)) ? 8233 : await freePort();
const codecServer = await createCodecServer({
  codec: new AesGcmCodec(payloadKeys),
  corsOrigins: [`http://127.0.0.1:${uiPort}`, `http://localhost:${uiPort}`],
});
const codecUrl = await codecServer.listen({ port: (await portIsFree(8888)) ? 8888 : 0, host: '127.0.0.1' });

say('starting the Temporal dev server (the first run builds the Temporal CLI: a few minutes)');
const server = await startDevServer({
  uiCodecEndpoint: codecUrl,
  port: (await portIsFree(7233)) ? 7233 : await freePort(),
  uiPort,
  dbFilename: join(dataDir, 'temporal.db'),
  extraArgs: ['--sqlite-pragma', 'journal_mode=WAL'],
});
say(
  `Temporal at ${server.address}; Web UI at ${server.uiUrl} (payloads decoded by the codec server at ${codecUrl})`,
);

const personio = createPersonioSandbox({
  employees,
  seed: 42,
  dirty: true,
  stateFile: join(dataDir, 'personio.json'),
});
const jumpcloud = createJumpCloudSandbox({ stateFile: join(dataDir, 'jumpcloud.json') });
await personio.listen((await portIsFree(8701)) ? 8701 : 0);
await jumpcloud.listen((await portIsFree(8702)) ? 8702 : 0);
say(
  `sandbox Personio at ${personio.url} (${employees} employees, dirty data on); sandbox JumpCloud at ${jumpcloud.url}`,
);

const native = await NativeConnection.connect({ address: server.address });
const connection = await Connection.connect({ address: server.address });
const client = new Client({ connection, dataConverter: dataConverterFor(payloadKeys) });
const taskQueue = 'personio-jumpcloud-sync-demo';
// An approver key (made once, kept in .data): a run the safeguards pause takes only a decision
// signed with it (README, Approval safeguards).
const approverKeyFile = join(dataDir, 'approver.pem');
if (!existsSync(approverKeyFile)) {
  const { privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(approverKeyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
}
const approverPublicKey = createPublicKey(createPrivateKey(readFileSync(approverKeyFile)))
  .export({ format: 'der', type: 'spki' })
  .toString('base64');
const approval = {
  fourEyes: true,
  approvers: parseApproverKeys(`demo-approver ${approverPublicKey}`, 'the demo approver'),
};
const worker = await createWorker({
  connection: native,
  taskQueue,
  payloadKeys,
  deps: {
    approval,
    ...createImportDeps(
      {
        personio: {
          baseUrl: personio.url,
          clientId: SANDBOX_CLIENT_ID,
          clientSecret: SANDBOX_CLIENT_SECRET,
          appId: 'PERSONIO_JUMPCLOUD_SYNC_DEMO',
        },
        jumpcloud: { baseUrl: jumpcloud.url, apiKey: SANDBOX_JUMPCLOUD_API_KEY, orgId: undefined },
      },
      {
        maxConcurrentActivities: 16,
        jumpcloudMaxConcurrency: 4,
        jumpcloudRequestsPerSecond: null,
        personioMaxConcurrency: 4,
        personioRequestsPerSecond: 15, // Personio's documented burst (and 300/min by default)
      },
      { from: 'demo@localhost', defaultRecipients: [] },
    ),
  },
});
const running = worker.run();

const workflowId = `${importWorkflowId(taskQueue)}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
say(`starting import ${workflowId}`);
const handle = await client.workflow.start(importEmployees, {
  taskQueue,
  workflowId,
  args: [{ groups: { perDepartment: true } }],
  staticSummary: 'Personio → JumpCloud import (demo)',
});
const report = await followImport(handle, process.stdout);
console.log(`\n${summaryFromReport(report)}\n`);
const reportFile = join(dataDir, `report-${workflowId}.csv`);
await writeReport(client, workflowId, reportFile);

say(
  `the import in Temporal Web: ${server.uiUrl}/namespaces/default/workflows/${encodeURIComponent(workflowId)}`,
);
say(`the per-employee report: ${reportFile}`);
say(
  `the sandbox JumpCloud's users, groups and bindings: curl -s ${jumpcloud.url}/_sandbox/state | head -c 2000`,
);
say(
  `  or the API itself: curl -s -H 'x-api-key: ${SANDBOX_JUMPCLOUD_API_KEY}' '${jumpcloud.url}/api/systemusers?limit=5'`,
);
say(
  `the CLI against this demo: PAYLOAD_KEYS_FILE=${keyFile} TEMPORAL_ADDRESS=${server.address} TEMPORAL_TASK_QUEUE=${taskQueue} npm run cli -- status ${workflowId}`,
);
say(
  `a run the safeguards pause waits for a signed decision (approver key ${keyIdOf(approverPublicKey)}, file ${approverKeyFile}): ` +
    `PAYLOAD_KEYS_FILE=${keyFile} TEMPORAL_ADDRESS=${server.address} TEMPORAL_TASK_QUEUE=${taskQueue} npm run cli -- approve <workflow id> --by demo-approver --key ${approverKeyFile}`,
);
// Named as the admin would type it: .data/ by default, else the DEMO_DATA_DIR they chose.
const dataDirShown = dataDirChosen ? JSON.stringify(dataDir) : '.data';
say(
  `run it again (only changes are written): ${dataDirChosen ? `DEMO_DATA_DIR=${dataDirShown} ` : ''}npm run demo; start over: rm -rf ${dataDirShown}`,
);

// Webhooks: the receiver, subscribed in the sandbox Personio, and one hire arriving by webhook.
const webhookToken = `Bearer ${randomBytes(24).toString('hex')}`;
const receiver = createReceiverApp({
  token: webhookToken,
  bodyLimitBytes: 65_536,
  async handOff(change) {
    await client.workflow.signalWithStart(CHANGES_WORKFLOW_TYPE, {
      workflowId: changesWorkflowId(taskQueue),
      taskQueue,
      args: [{ taskQueue, debounceMs: 500, importOptions: { groups: { perDepartment: true } } }],
      signal: personChangedSignal,
      signalArgs: [change],
    });
  },
  healthy: async () => true,
}).app;
await receiver.listen({ port: (await portIsFree(8790)) ? 8790 : 0, host: '127.0.0.1' });
const receiverUrl = `http://127.0.0.1:${(receiver.server.address() as { port: number }).port}${WEBHOOK_PATH}`;
const personioAdmin = new PersonioV2Client({
  baseUrl: personio.url,
  clientId: SANDBOX_CLIENT_ID,
  clientSecret: SANDBOX_CLIENT_SECRET,
  appId: 'PERSONIO_JUMPCLOUD_SYNC_DEMO',
});
const existing = (await personioAdmin.listWebhooks()).find((h) => h.url === receiverUrl);
const subscription = {
  url: receiverUrl,
  description: 'demo receiver',
  status: 'ENABLED' as const,
  auth_type: 'TOKEN' as const,
  token: webhookToken,
  enabled_events: SUBSCRIBED_EVENTS,
};
if (existing) await personioAdmin.updateWebhook(existing.id, subscription);
else await personioAdmin.createWebhook(subscription);
say(`webhook receiver at ${receiverUrl}, subscribed in the sandbox Personio`);
const hiredAt = Date.now();
const hire = personio.data.hire({ firstName: 'Webhook', lastName: 'Demo', status: 'active' });
say(
  `hired ${hire.firstName} ${hire.lastName} (Personio id ${hire.id}) in the sandbox Personio; waiting for the webhook…`,
);
const arrived = await waitFor(async () => {
  const state = (await (await fetch(`${jumpcloud.url}/_sandbox/state`)).json()) as {
    users: { employeeIdentifier?: string; state: string; username: string }[];
  };
  return state.users.find((u) => u.employeeIdentifier === String(hire.id));
}, 120_000);
if (arrived)
  say(
    `arrived by webhook: JumpCloud user ${arrived.username} (${arrived.state}) ${((Date.now() - hiredAt) / 1000).toFixed(1)} s after the hire; ` +
      `the changes workflow: ${server.uiUrl}/namespaces/default/workflows/${encodeURIComponent(changesWorkflowId(taskQueue))}`,
  );
else say('the hire did not arrive within 2 minutes: see the changes workflow in Temporal Web');

if (exitWhenDone) await shutdown();
else {
  say('everything stays up for you to explore; Ctrl-C stops it');
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

async function shutdown() {
  await receiver.close();
  worker.shutdown();
  await running;
  await connection.close();
  await native.close();
  await personio.close();
  await jumpcloud.close();
  await server.stop();
  await codecServer.close();
  process.exit(0);
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return undefined;
}

function portIsFree(p: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(p, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A mistyped DEMO_* variable: one line naming it and the fix, before anything starts. */
function demoSettingsOrExit(): DemoSettings {
  try {
    return loadDemoSettings();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(EXIT.usage);
  }
}
