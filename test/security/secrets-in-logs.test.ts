/**
 * Secrets in no log line, on the failure paths too (approver keys: the second suite below): the real worker at debug level with an
 * SMTP_URL holding a password (the first login is refused) and a NOTIFY_WEBHOOK_URL with
 * user info and a secret path that answers 500, then the real CLI's `import` and `status`.
 * Neither the worker's log, nor the CLI's output, nor the workflow history (plain payloads
 * here, so a search sees everything) holds any secret; got's error (options.url, headers,
 * body) is reduced to a message whose URL shows only scheme and host.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { SMTPServer } from 'smtp-server';
import { dataConverterFor } from '../../codec/data-converter.js';
import { parseKeyRing } from '../../codec/keys.js';
import { freePort } from '../../local-temporal/dev-server.js';
import { createJumpCloudSandbox } from '../../sandbox/jumpcloud/server.js';
import { createPersonioSandbox, SANDBOX_CLIENT_ID } from '../../sandbox/personio/server.js';
import type { ImportReport } from '../../workflows/import-api.js';
import { approverFiles } from '../helpers/approvers.js';
import { historyText } from '../helpers/history-text.js';
import { pauseForApproval, startSecurityEnv, type SecurityEnv } from '../helpers/security-env.js';
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

/**
 * Approver keys: the private key files the CLI signs with never reach a log line, the CLI's
 * output, the worker's start-up errors or the history, on the paths that go wrong too: a key
 * made by `approver-key create`, a private key pasted into APPROVER_KEYS_FILE by mistake (the
 * worker refuses to start), a key file that is not a key, a decision signed with the wrong key,
 * a refused self-approval and a valid approval, all with the worker at debug level.
 */
describe('approver keys in no log line', () => {
  let env: SecurityEnv;
  let client: Client;
  let approvers: ReturnType<typeof approverFiles>;
  const texts: [string, string][] = [];
  /** Every form a private key file's secret could take in a text. */
  const keyForms = (pem: string): string[] => {
    const body = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    const der = Buffer.from(body, 'base64');
    const seed = der.subarray(der.length - 32); // PKCS#8 Ed25519: the 32-byte seed comes last
    return [
      body,
      ...body.match(/.{40}/g)!,
      seed.toString('base64'),
      seed.toString('base64url'),
      seed.toString('hex'),
    ];
  };
  const secretsOf: [string, string[]][] = [];

  before(async () => {
    env = await startSecurityEnv('secrets-approver-keys', {
      workerEnv: (dir) => {
        approvers = approverFiles(dir);
        return { APPROVER_KEYS_FILE: approvers.keysFile, LOG_LEVEL: 'debug' };
      },
    });
    const { connection } = await testTemporal();
    client = new Client({
      connection,
      dataConverter: dataConverterFor(parseKeyRing(env.common.PAYLOAD_KEYS!, 'PAYLOAD_KEYS')),
    });
    const keyText = (name: string) => readFileSync(approvers.keyFile(name), 'utf8');
    for (const name of ['ops@example.com', 'jane@example.com', userInfo().username])
      secretsOf.push([`${name}'s private key`, keyForms(keyText(name))]);
  });
  after(() => env?.close());

  it('approver-key create prints the public line only', async () => {
    const out = join(env.dir, 'new-approver.pem');
    const made = await env.cli([
      'approver-key',
      'create',
      '--name',
      'new@example.com',
      '--private-key-out',
      out,
    ]);
    assert.equal(made.code, 0, made.out);
    assert.match(made.out, /^new@example\.com [A-Za-z0-9+/=]+$/m);
    secretsOf.push(['a new private key', keyForms(readFileSync(out, 'utf8'))]);
    texts.push(['approver-key create output', made.out]);
  });

  it('a private key pasted into APPROVER_KEYS_FILE stops the worker without echoing it', async () => {
    const pem = readFileSync(approvers.keyFile('jane@example.com'), 'utf8');
    const body = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    const pasted = env.file('pasted-approvers.txt', `jane@example.com ${body}\n${pem}`);
    const bad = runProject('worker/main.ts', [], { ...env.workerEnv, APPROVER_KEYS_FILE: pasted });
    assert.equal(await bad.exited, 1);
    const out = bad.output.join('\n');
    assert.match(out, /the key of jane@example\.com is not an Ed25519 public key/);
    assert.doesNotMatch(out, /\n\s+at /, 'no stack trace');
    texts.push(['the refused worker’s start-up output', out]);
  });

  it('decisions that go wrong, and one that goes right, log no key', async () => {
    const workflowId = `${env.taskQueue}-paused`;
    await pauseForApproval(env, client, workflowId);
    const decide = (by: string, key: string) => env.cli(['approve', workflowId, '--by', by, '--key', key]);
    // A key file holding the key's text under another label: not a key, and not echoed.
    const pem = readFileSync(approvers.keyFile('ops@example.com'), 'utf8');
    const notAKey = env.file('not-a-key.pem', pem.replace(/PRIVATE KEY/g, 'CERTIFICATE'));
    const attempts = [
      await decide('ops@example.com', notAKey),
      await decide('ops@example.com', approvers.keyFile('jane@example.com')),
      await decide(userInfo().username, approvers.keyFile(userInfo().username)),
    ];
    assert.match(attempts[0]!.out, /--key: .* is not a private key/);
    assert.match(attempts[1]!.out, /refused/);
    assert.match(attempts[2]!.out, /refused: four eyes/);
    const approved = await decide('ops@example.com', approvers.keyFile('ops@example.com'));
    assert.equal(approved.code, 0, approved.out);
    const report = (await client.workflow.getHandle(workflowId).result()) as ImportReport;
    assert.equal(report.approval?.by, 'ops@example.com');
    attempts.forEach((a, i) => texts.push([`CLI decision attempt ${i + 1}`, a.out]));
    texts.push(['CLI approval', approved.out]);
    texts.push([
      'history',
      historyText(historyToJSON(await client.workflow.getHandle(workflowId).fetchHistory())),
    ]);
  });

  it('no form of any private key in the worker log (debug), the CLI outputs or the history', () => {
    texts.push(['worker log', env.worker.output.join('\n')]);
    assert.ok(
      env.worker.output.some((l) => l.includes('"level":20')),
      'debug lines were written',
    );
    assert.ok(texts.length >= 8, `${texts.length} texts searched`);
    for (const [where, text] of texts)
      for (const [name, forms] of secretsOf)
        for (const form of forms) assert.ok(!text.includes(form), `${name} appears in the ${where}`);
  });
});
