/**
 * The real worker and CLI processes, as an operator runs them, with recognisable secret
 * values: no secret appears in any history event (raw), log line, report, notification or
 * process argument, and the worker's Prometheus metrics match the report.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../../local-temporal/dev-server.js';
import { createJumpCloudSandbox } from '../../sandbox/jumpcloud/server.js';
import { createPersonioSandbox, SANDBOX_CLIENT_ID } from '../../sandbox/personio/server.js';
import { historyText } from '../helpers/history-text.js';
import { taskQueueFor, testTemporal } from '../helpers/temporal.js';
import { runProject, type ProcessHandle } from '../helpers/worker-process.js';

const personioSecret = `PERSONIO-SECRET-${randomBytes(8).toString('hex')}`;
const jumpcloudKey = `JUMPCLOUD-KEY-${randomBytes(8).toString('hex')}`;
const payloadKey = randomBytes(32).toString('base64');
const smtpPassword = `SMTP-PASS-${randomBytes(8).toString('hex')}`;
const webhookPath = `WEBHOOK-PATH-${randomBytes(8).toString('hex')}`;
const secrets = [personioSecret, jumpcloudKey, payloadKey, smtpPassword, webhookPath];

describe('the worker and CLI processes', () => {
  const personio = createPersonioSandbox({
    employees: 130,
    seed: 17,
    dirty: true,
    clientSecret: personioSecret,
  });
  const jumpcloud = createJumpCloudSandbox({ apiKey: jumpcloudKey });
  const mails: string[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    onAuth: (auth, _session, done) =>
      auth.password === smtpPassword
        ? done(null, { user: auth.username })
        : done(new Error('Invalid username or password')),
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, done) {
      let text = '';
      stream.on('data', (c: Buffer) => (text += c.toString()));
      stream.on('end', () => {
        mails.push(text);
        done();
      });
    },
  });
  const webhookBodies: string[] = [];
  const webhook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url?.endsWith(webhookPath)) webhookBodies.push(body);
      res.writeHead(req.url?.endsWith(webhookPath) ? 200 : 404).end('ok');
    });
  });
  const dir = mkdtempSync(join(tmpdir(), 'worker-process-'));
  const reportFile = join(dir, 'report.csv');
  let worker: ProcessHandle;
  let cli: ProcessHandle;
  let metricsUrl: string;
  let workflowId: string;
  let cliCode: number | null;

  before(async () => {
    await personio.listen(0);
    await jumpcloud.listen(0);
    const smtpPort = await freePort();
    await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    const webhookPort = (webhook.address() as AddressInfo).port;
    const { address } = await testTemporal();
    const taskQueue = taskQueueFor('worker-process');
    workflowId = `personio-import-${taskQueue}`;
    const metricsPort = await freePort();
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    const common = {
      TEMPORAL_ADDRESS: address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      PAYLOAD_KEYS: `test:${payloadKey}`,
    };
    worker = runProject('worker/main.ts', [], {
      ...common,
      LOG_LEVEL: 'debug',
      PERSONIO_BASE_URL: personio.url,
      PERSONIO_CLIENT_ID: SANDBOX_CLIENT_ID,
      PERSONIO_CLIENT_SECRET: personioSecret,
      JUMPCLOUD_BASE_URL: jumpcloud.url,
      JUMPCLOUD_API_KEY: jumpcloudKey,
      METRICS_BIND_ADDRESS: `127.0.0.1:${metricsPort}`,
      SMTP_URL: `smtp://mailer:${smtpPassword}@127.0.0.1:${smtpPort}`,
      // The import policy lets an input pick among the worker's own recipients only.
      NOTIFY_EMAIL: 'it@example.test',
      NOTIFY_WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/services/T0/B0/${webhookPath}`,
    });
    await worker.waitFor(/worker started/);
    cli = runProject(
      'client/cli.ts',
      ['import', '--notify', 'always', '--email', 'it@example.test', '--report', reportFile],
      common,
    );
    cliCode = await cli.exited;
  });

  after(async () => {
    await worker?.stop();
    await personio.close();
    await jumpcloud.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await new Promise<void>((resolve) => webhook.close(() => resolve()));
  });

  it('runs an import from the CLI to the end', () => {
    assert.equal(cliCode, 0, cli.output.join('\n'));
    assert.match(cli.output.join('\n'), /finished in .* 130 employees read/);
    assert.equal(mails.length, 1, 'one summary email');
    assert.equal(webhookBodies.length, 1, 'one summary on the webhook');
  });

  it('lets no secret into history, logs, the report, the email or process arguments', async () => {
    const { connection } = await testTemporal();
    const raw = new Client({ connection }); // undecoded: what the server stores
    const texts: [string, string][] = [];
    for await (const execution of raw.workflow.list({ query: `WorkflowId STARTS_WITH "${workflowId}"` })) {
      const history = await raw.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
      texts.push([`history of ${execution.workflowId}`, historyText(historyToJSON(history))]);
    }
    assert.ok(texts.length >= 2, 'the parent and its page children');
    texts.push(['worker log', worker.output.join('\n')], ['CLI output', cli.output.join('\n')]);
    texts.push(['report', readFileSync(reportFile, 'utf8')], ['email', mails.join('\n')]);
    texts.push(['webhook', webhookBodies.join('\n')]);
    texts.push(['worker arguments', readFileSync(`/proc/${worker.pid}/cmdline`, 'utf8')]);
    assert.ok(worker.output.length > 20, 'the worker logged (at debug level)');
    for (const [where, text] of texts) {
      for (const secret of secrets) assert.ok(!text.includes(secret), `a secret appears in the ${where}`);
    }
  });

  it('logs employee lines with ids, not names or emails', () => {
    // The first employee the import creates (others, e.g. former employees, are settled in a
    // batch by the page activity and get no line of their own).
    const csv = readFileSync(reportFile, 'utf8').trim().split('\n').slice(1);
    const personioId = Number(csv.find((row) => row.split(',')[1] === 'created')!.split(',')[0]);
    const employee = personio.data.get(personioId)!;
    const log = worker.output.join('\n');
    assert.ok(!log.includes(employee.email!), 'no employee email in the worker log');
    assert.ok(!log.includes(employee.lastName), 'no employee name in the worker log');
    const line = worker.output
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === 'employee staged' && l.personioId === personioId);
    assert.ok(line, `an info line about employee ${personioId}`);
    assert.equal(line.level, 30, 'at info level');
    assert.match(String(line.workflowId), /\/read-0$/, 'with the workflow id (the page it belongs to)');
  });

  it('exports Prometheus metrics that match the report', async () => {
    const metrics = await (await fetch(metricsUrl)).text();
    const csv = readFileSync(reportFile, 'utf8').trim().split('\n').slice(1);
    const byOutcome = new Map<string, number>();
    for (const row of csv) {
      const outcome = row.split(',')[1]!;
      byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
    }
    for (const [outcome, count] of byOutcome) {
      const line = metrics
        .split('\n')
        .find((l) => l.startsWith('personio_import_employees') && l.includes(`outcome="${outcome}"`));
      assert.ok(line, `a metric line for outcome ${outcome}`);
      assert.equal(Number(line.split(' ').at(-1)), count, line);
    }
    assert.match(metrics, /personio_import_api_requests\S*\{[^}]*system="JumpCloud"/);
    assert.match(metrics, /personio_import_runs/);
    assert.match(metrics, /temporal_activity_execution_latency/, "the SDK's own metrics");
  });
});
