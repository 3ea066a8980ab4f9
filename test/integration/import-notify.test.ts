/**
 * The summary reaches the admin: by email through a real SMTP server and as Slack-style JSON
 * to a webhook, with counts and Personio ids but no employee's name or email; `when` decides
 * whether it is sent at all, and the report says what was sent.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { SMTPServer } from 'smtp-server';
import type { ImportInputOptions } from '../../domain/import-input.js';
import { totalOutcomes } from '../../domain/outcomes.js';
import { countsLine } from '../../domain/summary.js';
import { progressQuery, type ImportReport } from '../../workflows/import-api.js';
import { importEmployees } from '../../workflows/index.js';
import { startImportEnv } from '../helpers/import-env.js';

const RECIPIENT = 'it@example.test';

interface Mail {
  to: string[];
  subject: string;
  body: string;
}

/** Subject and decoded text body of a single-part message (what nodemailer sends for `text`). */
function parseMail(raw: string, to: string[]): Mail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const encoded = raw.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  let body: string;
  if (encoding === 'base64') body = Buffer.from(encoded, 'base64').toString('utf8');
  else if (encoding === 'quoted-printable') {
    const bytes = encoded
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    body = Buffer.from(bytes, 'latin1').toString('utf8');
  } else body = encoded;
  return { to, subject: header('Subject'), body: body.replace(/\r\n/g, '\n') };
}

/** A real SMTP server and an HTTP webhook receiver on loopback, closed when the test ends. */
async function startReceivers(t: TestContext) {
  const mails: Mail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address);
        mails.push(parseMail(Buffer.concat(chunks).toString('utf8'), to));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

  const hooks: { path: string; contentType: string; json: Record<string, unknown> }[] = [];
  const http = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      hooks.push({
        path: request.url ?? '',
        contentType: request.headers['content-type'] ?? '',
        json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
      });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => http.close(() => resolve())));

  return {
    mails,
    hooks,
    smtpUrl: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
    webhookUrl: `http://127.0.0.1:${(http.address() as AddressInfo).port}/hooks/import`,
  };
}

type ImportEnv = Awaited<ReturnType<typeof startImportEnv>>;

/** One import; the progress query is answered after the end, while the worker still runs. */
async function importWithProgress(env: ImportEnv, input: ImportInputOptions, workflowId: string) {
  return env.withImportWorker(async () => {
    const handle = await env.client.workflow.start(importEmployees, {
      taskQueue: env.taskQueue,
      workflowId,
      args: [input],
    });
    const report: ImportReport = await handle.result();
    return { report, progress: await handle.query(progressQuery) };
  });
}

/** Everything that would identify an employee: their emails and full names. */
function personalData(env: ImportEnv, employees: number): string[] {
  const values: string[] = [];
  for (let id = 1001; id < 1001 + employees; id++) {
    const record = env.personio.data.get(id);
    if (!record) continue;
    if (record.email?.trim()) values.push(record.email.trim().toLowerCase());
    if (record.firstName.trim() && record.lastName.trim())
      values.push(`${record.firstName.trim()} ${record.lastName.trim()}`.toLowerCase());
  }
  return values;
}

function assertNoPersonalData(text: string, personal: string[], where: string) {
  const lower = text.toLowerCase();
  const leaked = personal.filter((value) => lower.includes(value));
  assert.deepEqual(leaked, [], `${where} names no employee`);
}

test('"always" emails the summary over SMTP and posts it to the webhook, without personal data', async (t) => {
  const EMPLOYEES = 50;
  const receivers = await startReceivers(t);
  const env = await startImportEnv(t, {
    personio: { employees: EMPLOYEES, seed: 13, dirty: true },
    notify: { smtpUrl: receivers.smtpUrl },
  });
  const { report, progress } = await importWithProgress(
    env,
    { notify: { when: 'always', email: [RECIPIENT], webhookUrl: receivers.webhookUrl } },
    `${env.taskQueue}-import`,
  );

  assert.deepEqual(report.notified, { emailedTo: [RECIPIENT], webhook: true, skipped: [] });
  assert.equal(progress.phase, 'done');
  assert.deepEqual(progress.counts, report.counts);
  assert.equal(progress.employeesProcessed, totalOutcomes(report.counts));
  assert.ok(report.counts.skipped > 0, 'the dirty records give the summary a problems section');

  const personal = personalData(env, EMPLOYEES);
  assert.ok(personal.length > EMPLOYEES, 'the personal-data check has names and emails to look for');

  assert.equal(receivers.mails.length, 1, 'one email');
  const mail = receivers.mails[0]!;
  assert.deepEqual(mail.to, [RECIPIENT]);
  assert.equal(mail.subject, `Personio import finished: ${EMPLOYEES} employees (0 failed)`);
  assert.ok(
    mail.body.split('\n').includes(countsLine(report.counts)),
    `the counts line is in the body:\n${mail.body}`,
  );
  assert.match(mail.body, /Personio id \d+: skipped: /, 'problems are listed by Personio id');
  assertNoPersonalData(mail.body, personal, 'the email');

  assert.equal(receivers.hooks.length, 1, 'one webhook call');
  const hook = receivers.hooks[0]!;
  assert.equal(hook.path, '/hooks/import');
  assert.match(hook.contentType, /^application\/json/);
  assert.equal(typeof hook.json.text, 'string', 'Slack-compatible `text`');
  const text = hook.json.text as string;
  assert.ok(text.includes(mail.subject), 'the text starts with the subject');
  assert.ok(text.split('\n').includes(countsLine(report.counts)), 'the counts line is in the text');
  const summary = hook.json.summary as { counts: unknown; employeesTotal: number; workflowId: string };
  assert.deepEqual(summary.counts, report.counts);
  assert.equal(summary.employeesTotal, EMPLOYEES);
  assert.equal(summary.workflowId, `${env.taskQueue}-import`);
  assertNoPersonalData(JSON.stringify(hook.json), personal, 'the webhook');
});

test('"auto" notifies only past the threshold, and "never" never does', async (t) => {
  const receivers = await startReceivers(t);
  const auto = {
    when: 'auto' as const,
    threshold: 100,
    email: [RECIPIENT],
    webhookUrl: receivers.webhookUrl,
  };

  // 50 employees processed: not more than 100, so no notification.
  const small = await startImportEnv(
    { name: `${t.name} small`, after: (fn) => t.after(fn) },
    {
      personio: { employees: 50, seed: 17 },
      notify: { smtpUrl: receivers.smtpUrl },
    },
  );
  const quiet = await importWithProgress(small, { notify: auto }, `${small.taskQueue}-import`);
  assert.equal(totalOutcomes(quiet.report.counts), 50);
  assert.equal(quiet.report.notified, null);
  assert.equal(quiet.progress.phase, 'done');
  assert.deepEqual(quiet.progress.counts, quiet.report.counts);
  assert.equal(receivers.mails.length, 0, 'no email below the threshold');
  assert.equal(receivers.hooks.length, 0, 'no webhook below the threshold');

  // 120 employees processed: past the threshold, so both channels.
  const large = await startImportEnv(
    { name: `${t.name} large`, after: (fn) => t.after(fn) },
    {
      personio: { employees: 120, seed: 17 },
      notify: { smtpUrl: receivers.smtpUrl },
    },
  );
  const loud = await importWithProgress(large, { notify: auto }, `${large.taskQueue}-import-1`);
  assert.equal(totalOutcomes(loud.report.counts), 120);
  assert.deepEqual(loud.report.notified, { emailedTo: [RECIPIENT], webhook: true, skipped: [] });
  assert.equal(receivers.mails.length, 1, 'one email past the threshold');
  assert.equal(receivers.mails[0]!.subject, 'Personio import finished: 120 employees (0 failed)');
  assert.equal(receivers.hooks.length, 1, 'one webhook past the threshold');
  assert.deepEqual((receivers.hooks[0]!.json.summary as { counts: unknown }).counts, loud.report.counts);

  // "never", even with a threshold of 0 and recipients named: nothing is sent.
  const never = await importWithProgress(
    large,
    { notify: { ...auto, when: 'never', threshold: 0 } },
    `${large.taskQueue}-import-2`,
  );
  assert.equal(totalOutcomes(never.report.counts), 120);
  assert.equal(never.report.notified, null);
  assert.equal(never.progress.phase, 'done');
  assert.deepEqual(never.progress.counts, never.report.counts);
  assert.equal(receivers.mails.length, 1, 'no further email');
  assert.equal(receivers.hooks.length, 1, 'no further webhook');
});
