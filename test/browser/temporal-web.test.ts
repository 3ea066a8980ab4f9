/**
 * Temporal Web, seen in a real browser (Debian's Chromium via playwright-core): after an
 * encrypted import, the workflow's input and result show decoded through the codec server;
 * with the codec server gone, the same page shows only encrypted data. Screenshots go to
 * test-output/.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { AesGcmCodec } from '../../codec/aes-gcm-codec.js';
import { dataConverterFor } from '../../codec/data-converter.js';
import { parseKeyRing } from '../../codec/keys.js';
import { createCodecServer } from '../../codec/server.js';
import { freePort, startDevServer, type DevServer } from '../../local-temporal/dev-server.js';
import { createJumpCloudSandbox, SANDBOX_JUMPCLOUD_API_KEY } from '../../sandbox/jumpcloud/server.js';
import {
  createPersonioSandbox,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
} from '../../sandbox/personio/server.js';
import { createWorker } from '../../worker/create-worker.js';
import { createImportDeps } from '../../worker/import-deps.js';
import { TEST_POLICY } from '../helpers/test-policy.js';
import { importEmployees } from '../../workflows/index.js';
import { required } from '../helpers/requirements.js';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = required(
  'Chromium for the Temporal Web browser test',
  existsSync(chromiumPath),
  `no ${chromiumPath}: apt-get install chromium (or set CHROMIUM_PATH)`,
);
// The Temporal Runtime that setup.ts installs keeps the process alive: only when it will run.
if (haveChromium) await import('../helpers/setup.js');
const outputDir = join(import.meta.dirname, '..', '..', 'test-output');

let server: DevServer;
let codecServer: FastifyInstance;
let browser: Browser;
let workflowId: string;
const workflowGroupName = `Browser Check Group ${randomBytes(3).toString('hex')}`;

before(async () => {
  if (!haveChromium) return;
  mkdirSync(outputDir, { recursive: true });
  const keys = parseKeyRing(`browser:${randomBytes(32).toString('base64')}`, 'PAYLOAD_KEYS');
  // The codec server takes its port first, so the UI port picked next cannot collide with it.
  const corsOrigins: string[] = [];
  codecServer = await createCodecServer({ codec: new AesGcmCodec(keys), corsOrigins });
  const codecUrl = await codecServer.listen({ port: 0, host: '127.0.0.1' });
  const uiPort = await freePort();
  corsOrigins.push(`http://127.0.0.1:${uiPort}`);
  server = await startDevServer({ uiPort, uiCodecEndpoint: codecUrl, fastSqlite: true });

  const personio = createPersonioSandbox({ employees: 12, seed: 4 });
  const jumpcloud = createJumpCloudSandbox();
  await personio.listen(0);
  await jumpcloud.listen(0);
  const native = await NativeConnection.connect({ address: server.address });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, dataConverter: dataConverterFor(keys) });
  const taskQueue = 'browser-test';
  const worker = await createWorker({
    connection: native,
    taskQueue,
    payloadKeys: keys,
    deps: {
      ...createImportDeps(
        {
          personio: {
            baseUrl: personio.url,
            clientId: SANDBOX_CLIENT_ID,
            clientSecret: SANDBOX_CLIENT_SECRET,
            appId: 'BROWSER',
          },
          jumpcloud: { baseUrl: jumpcloud.url, apiKey: SANDBOX_JUMPCLOUD_API_KEY, orgId: undefined },
        },
        {
          maxConcurrentActivities: 8,
          jumpcloudMaxConcurrency: 4,
          jumpcloudRequestsPerSecond: null,
          personioMaxConcurrency: 2,
          personioRequestsPerSecond: 15, // Personio's documented burst (and 300/min by default)
        },
        { from: 'b@localhost', defaultRecipients: [] },
      ),
      policy: TEST_POLICY,
    },
  });
  workflowId = `browser-import-${Date.now()}`;
  await worker.runUntil(
    client.workflow.execute(importEmployees, {
      taskQueue,
      workflowId,
      args: [
        { groups: { allEmployeesGroup: workflowGroupName }, applications: [], notify: { when: 'never' } },
      ],
    }),
  );
  await connection.close();
  await native.close();
  await personio.close();
  await jumpcloud.close();
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await codecServer?.close();
});

async function workflowPageText(name: string): Promise<string> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 2200 } });
  try {
    await page.goto(`${server.uiUrl}/namespaces/default/workflows/${encodeURIComponent(workflowId)}`, {
      waitUntil: 'networkidle',
    });
    // The page is a browser app: wait until it has rendered the workflow's input and result panes.
    await page.waitForFunction(
      "document.body.innerText.includes('Input') && document.body.innerText.includes('Result')",
      undefined,
      {
        timeout: 30_000,
      },
    );
    await page.waitForTimeout(1500); // payload decoding happens after the page renders
    await page.screenshot({ path: join(outputDir, `${name}.png`), fullPage: true });
    return await page.evaluate<string>('document.body.innerText');
  } finally {
    await page.close();
  }
}

const browserTest: typeof test = haveChromium ? test : ((() => {}) as unknown as typeof test);

browserTest('Temporal Web shows the decoded input and result through the codec server', async () => {
  const text = await workflowPageText('temporal-web-decoded');
  assert.ok(text.includes(workflowGroupName), 'the decoded input shows the group name');
  assert.match(text, /"created"/, 'the decoded result shows the counts');
});

browserTest('without the codec server, Temporal Web shows only encrypted data', async () => {
  await codecServer.close();
  const text = await workflowPageText('temporal-web-encrypted');
  assert.ok(!text.includes(workflowGroupName), 'the group name is not readable');
  assert.doesNotMatch(text, /"created": ?\d/, 'the counts are not readable');
});
