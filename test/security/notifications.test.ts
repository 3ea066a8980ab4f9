/**
 * Outbound notification calls through the real worker and CLI: a webhook an input names that
 * resolves to a loopback or link-local address is refused unless the policy names its host, a
 * redirect is never followed, a failing webhook is retried a bounded number of times without
 * re-sending the email, and the run completes with the failure in its result and the CLI.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../../local-temporal/dev-server.js';
import { httpSink, startSecurityEnv, type SecurityEnv, type Sink } from '../helpers/security-env.js';

describe('notification destinations from the input', () => {
  let env: SecurityEnv;
  let sink: Sink;
  const mails: string[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, done) {
      let text = '';
      stream.on('data', (c: Buffer) => (text += c.toString()));
      stream.on('end', () => {
        mails.push(text);
        done();
      });
    },
  });
  let runs = 0;
  const notifyRun = (webhookUrl: string) =>
    env.cli([
      'import',
      '--dry-run',
      '--id',
      `${env.taskQueue}-${++runs}`,
      '--notify',
      'always',
      '--plan-output',
      `${env.dir}/plan-${runs}`,
      '--input-json',
      JSON.stringify({ notify: { webhookUrl } }),
    ]);

  before(async () => {
    sink = await httpSink();
    const smtpPort = await freePort();
    await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', resolve));
    env = await startSecurityEnv('notifications', {
      workerEnv: (dir) => {
        const policy = `${dir}/policy.json`;
        // Any public host, and the loopback sink's /named/ path by name (the tests' destination).
        writeFileSync(
          policy,
          JSON.stringify({ notify: { webhookUrlPrefixes: ['http://*/', `${sink.url}/named/`] } }),
        );
        return {
          IMPORT_POLICY_FILE: policy,
          SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
          NOTIFY_EMAIL: 'it@example.test',
        };
      },
    });
  });
  after(async () => {
    await env?.close();
    await sink?.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('refuses a host that resolves to loopback, and a link-local address, and still completes', async () => {
    for (const url of [
      `${sink.url.replace('127.0.0.1', 'localhost')}/x`,
      'http://169.254.169.254/latest/meta-data/',
      `http://[::1]:${new URL(sink.url).port}/x`,
    ]) {
      const mailsBefore = mails.length;
      const { code, out } = await notifyRun(url);
      assert.equal(code, 0, out);
      assert.match(out, /Notification failed: webhook: .*(non-public|not public).*refused/);
      assert.equal(mails.length, mailsBefore + 1, 'the email still went, once');
    }
    assert.equal(sink.received.length, 0, 'no request reached the loopback sink');
  });

  it('never follows a redirect (the POST is not re-sent)', async () => {
    sink.answer = (_req, res) => res.writeHead(302, { location: `${sink.url}/named/elsewhere` }).end();
    const before = sink.received.length;
    const { code, out } = await notifyRun(`${sink.url}/named/redirect`);
    assert.equal(code, 0, out);
    assert.match(
      out,
      /Notification failed: webhook: the webhook answered 302 \(a redirect: redirects are not followed\)/,
    );
    assert.deepEqual(
      sink.received.slice(before).map((r) => r.path),
      ['/named/redirect'],
      'one request, not followed',
    );
  });

  it('retries a failing webhook a bounded number of times and sends the email once', async () => {
    sink.answer = (_req, res) => res.writeHead(500).end('down');
    const before = sink.received.length;
    const mailsBefore = mails.length;
    const { code, out } = await notifyRun(`${sink.url}/named/down`);
    assert.equal(code, 0, out);
    assert.match(out, /Notification failed: webhook: .*500/);
    assert.equal(sink.received.length - before, 4, 'four attempts, then given up');
    assert.equal(mails.length - mailsBefore, 1, 'the email once, not once per webhook attempt');
  });
});
