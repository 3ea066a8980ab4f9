/**
 * Secrets in no log line, on the failure paths too: the real worker at debug level with an
 * SMTP_URL holding a password (the first login is refused) and a NOTIFY_WEBHOOK_URL with
 * user info and a secret path that answers 500, then the real CLI's `import` and `status`.
 * Neither the worker's log, nor the CLI's output, nor the workflow history (plain payloads
 * here, so a search sees everything) holds any secret; got's error (options.url, headers,
 * body) is reduced to a message whose URL shows only scheme and host.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../../local-temporal/dev-server.js';
import { createJumpCloudSandbox } from '../../sandbox/jumpcloud/server.js';
import { createPersonioSandbox, SANDBOX_CLIENT_ID } from '../../sandbox/personio/server.js';
import { historyText } from '../helpers/history-text.js';
import { taskQueueFor, testTemporal } from '../helpers/temporal.js';
import { until } from '../helpers/wait.js';
import { runProject, type ProcessHandle } from '../helpers/worker-process.js';

const hex = () => randomBytes(8).toString('hex');
const personioSecret = `PERSONIO-SECRET-${hex()}`;
const jumpcloudKey = `JUMPCLOUD-KEY-${hex()}`;
const smtpPassword = `SMTP-PASS-${hex()}`;
const hookPassword = `HOOK-PASS-${hex()}`;
const hookPathSecret = `HOOKPATH${hex()}`;
const secrets = { personioSecret, jumpcloudKey, smtpPassword, hookPassword, hookPathSecret };

describe('secrets in no log line, when notifications fail', () => {
  const personio = createPersonioSandbox({ employees: 12, seed: 3, clientSecret: personioSecret });
  const jumpcloud = createJumpCloudSandbox({ apiKey: jumpcloudKey });
  let logins = 0;
  const mails: string[] = [];
  const smtp = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    onAuth(auth, _session, done) {
      // The first login is refused (the email failure path), later ones succeed.
      if (++logins === 1 || auth.password !== smtpPassword)
        return done(new Error('Invalid username or password'));
      done(null, { user: auth.username });
    },
    onData(stream, _session, done) {
      let text = '';
      stream.on('data', (c: Buffer) => (text += c.toString()));
      stream.on('end', () => {
        mails.push(text);
        done();
      });
    },
  });
  let hookCalls = 0;
  const hook: Server = createServer((req, res) => {
    req.resume();
    hookCalls++;
    res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"hook is down"}');
  });
  let worker: ProcessHandle;
  let cli: ProcessHandle;
  let status: ProcessHandle;
  let workflowId: string;
  let common: Record<string, string>;

  before(async () => {
    await personio.listen(0);
    await jumpcloud.listen(0);
    const smtpPort = await freePort();
    await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const hookPort = (hook.address() as AddressInfo).port;
    const { address } = await testTemporal();
    const taskQueue = taskQueueFor('secrets-in-logs');
    workflowId = `personio-import-${taskQueue}`;
    common = { TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: taskQueue, PAYLOAD_ENCRYPTION: 'off' };
    worker = runProject('worker/main.ts', [], {
      ...common,
      LOG_LEVEL: 'debug',
      PERSONIO_BASE_URL: personio.url,
      PERSONIO_CLIENT_ID: SANDBOX_CLIENT_ID,
      PERSONIO_CLIENT_SECRET: personioSecret,
      JUMPCLOUD_BASE_URL: jumpcloud.url,
      JUMPCLOUD_API_KEY: jumpcloudKey,
      SMTP_URL: `smtp://mailer:${smtpPassword}@127.0.0.1:${smtpPort}`,
      NOTIFY_EMAIL: 'it@example.test',
      NOTIFY_WEBHOOK_URL: `http://hook:${hookPassword}@127.0.0.1:${hookPort}/services/T0/B0/${hookPathSecret}`,
    });
    await worker.waitFor(/worker started/);
    cli = runProject('client/cli.ts', ['import', '--notify', 'always', '--no-wait'], common);
    assert.equal(await cli.exited, 0, cli.output.join('\n'));
    // Both failure paths taken: the refused login, then (email sent) the webhook's 500.
    await until(
      'a failed webhook call after a refused SMTP login',
      async () => (logins >= 2 && hookCalls >= 1 && mails.length >= 1 ? true : undefined),
      60_000,
    );
    await worker.waitFor(/"status":500.*"msg":"Activity failed"/);
    status = runProject('client/cli.ts', ['status'], common);
    await status.exited;
  });

  after(async () => {
    const { client } = await testTemporal();
    await client.workflow
      .getHandle(workflowId)
      .terminate('test over')
      .catch(() => undefined);
    await worker?.stop();
    await personio.close();
    await jumpcloud.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await new Promise<void>((resolve) => hook.close(() => resolve()));
  });

  it('the worker logged both failures, at debug level, with the webhook host but not its path', () => {
    const failures = worker.output.filter((l) => l.includes('"msg":"Activity failed"'));
    assert.ok(failures.length >= 2, `${failures.length} failure lines`);
    assert.ok(
      failures.some((l) => /Invalid login|535/.test(l)),
      'the refused SMTP login is logged',
    );
    const webhook = failures.find((l) => l.includes('500'))!;
    assert.match(webhook, /http:\/\/\[redacted\]@127\.0\.0\.1:\d+\/\[redacted\]/);
    assert.ok(
      worker.output.some((l) => l.includes('"level":20')),
      'debug lines were written',
    );
  });

  it('no secret in the worker log, the CLI output, the status, the pending failure or the history', async () => {
    const { client } = await testTemporal();
    const handle = client.workflow.getHandle(workflowId);
    const description = await handle.describe();
    const pending = JSON.stringify(description.raw.pendingActivities ?? []);
    const texts: [string, string][] = [
      ['worker log', worker.output.join('\n')],
      ['CLI import output', cli.output.join('\n')],
      ['CLI status output', status.output.join('\n')],
      [
        'pending activity failure',
        `${pending}\n${historyText(JSON.stringify(description.raw.pendingActivities ?? []))}`,
      ],
      ['history', historyText(historyToJSON(await handle.fetchHistory()))],
    ];
    assert.match(pending, /lastFailure/, 'the pending notification carries its last failure');
    for (const [where, text] of texts)
      for (const [name, secret] of Object.entries(secrets))
        assert.ok(!text.includes(secret), `${name} appears in the ${where}`);
  });
});
