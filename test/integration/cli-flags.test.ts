/**
 * The documented CLI flags and worker variables, through the real worker and CLI and observed
 * from outside (the sandboxes' side of the wire, files, mail, printed output): secrets from
 * `*_FILE` (NOTIFY_WEBHOOK_URL_FILE among them), JUMPCLOUD_ORG_ID, PERSONIO_APP_ID, the concurrency and rate variables, NOTIFY_FROM,
 * TEMPORAL_WEB_URL, IMPORT_POLICY_FILE; `ping`, `import` with --input, --create-state, --per-department-groups,
 * --page-size, --notify/--email, --report, --allow-reactivation; `report --format/--output`; `import --dry-run
 * --plan-output`; the `schedule` subcommands.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../../local-temporal/dev-server.js';
import { startProject, type RealProcesses } from '../helpers/real-processes.js';

/** Watches a sandbox from its side: requests in flight at once, arrival times, a header. */
function observe(
  app: {
    addHook: (
      name: 'onRequest' | 'onResponse',
      fn: (req: { headers: Record<string, unknown>; url: string }) => Promise<void>,
    ) => unknown;
  },
  header?: string,
) {
  const seen = { inFlight: 0, maxInFlight: 0, arrivals: [] as number[], headers: new Set<string>() };
  app.addHook('onRequest', async (req) => {
    if (req.url.startsWith('/_sandbox')) return;
    seen.inFlight++;
    seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
    seen.arrivals.push(performance.now());
    if (header) seen.headers.add(String(req.headers[header]));
  });
  app.addHook('onResponse', async (req) => {
    if (!req.url.startsWith('/_sandbox')) seen.inFlight--;
  });
  return seen;
}

/** Most requests that arrived within any one second. */
function peakPerSecond(arrivals: number[]): number {
  let peak = 0;
  for (let i = 0, j = 0; i < arrivals.length; i++) {
    while (arrivals[i]! - arrivals[j]! >= 1000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

describe('documented flags and variables, through the real processes', () => {
  const orgId = '5f1b2c3d4e5f6a7b8c9d0e1f';
  const secret = `secret-${randomBytes(6).toString('hex')}`;
  const apiKey = `key-${randomBytes(6).toString('hex')}`;
  const mails: string[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
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
  const hooks: string[] = [];
  const hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      hooks.push(body);
      res.writeHead(200).end('ok');
    });
  });
  let env: RealProcesses;
  let personio: RealProcesses['personio'];
  let jumpcloud: RealProcesses['jumpcloud'];
  let dir: string;
  let common: Record<string, string>;
  let personioSeen: ReturnType<typeof observe>;
  let jumpcloudSeen: ReturnType<typeof observe>;

  async function cli(args: string[], extra: Record<string, string> = {}) {
    const run = env.startCli(args, extra);
    const code = await run.exited;
    return { code, out: run.output.join('\n'), stdout: run.output };
  }

  before(async () => {
    const smtpPort = await freePort();
    await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', resolve));
    const hookPort = await freePort();
    await new Promise<void>((resolve) => hook.listen(hookPort, '127.0.0.1', resolve));
    // Every secret as a *_FILE variable (PAYLOAD_KEYS_FILE, PERSONIO_CLIENT_ID_FILE,
    // PERSONIO_CLIENT_SECRET_FILE, JUMPCLOUD_API_KEY_FILE, and the two below).
    env = await startProject('cli-flags', {
      personio: { employees: 30, seed: 41, clientSecret: secret },
      jumpcloud: { apiKey, orgId },
      beforeListen: (sandboxes) => {
        personioSeen = observe(sandboxes.personio.app, 'x-personio-app-id');
        jumpcloudSeen = observe(sandboxes.jumpcloud.app);
      },
      secretsInFiles: true,
      testPolicy: false,
      workerEnv: (folder) => {
        const file = (name: string, text: string) => {
          writeFileSync(join(folder, name), `${text}\n`, { mode: 0o600 });
          return join(folder, name);
        };
        return {
          PERSONIO_APP_ID: 'FLAGS_TEST_APP',
          JUMPCLOUD_ORG_ID: orgId,
          JUMPCLOUD_MAX_CONCURRENCY: '2',
          JUMPCLOUD_REQUESTS_PER_SECOND: '25',
          PERSONIO_MAX_CONCURRENCY: '1',
          PERSONIO_REQUESTS_PER_SECOND: '5',
          WORKER_MAX_CONCURRENT_ACTIVITIES: '4',
          SMTP_URL_FILE: file('smtp', `smtp://127.0.0.1:${smtpPort}`),
          NOTIFY_FROM: 'Flags Test <flags@example.test>',
          NOTIFY_WEBHOOK_URL_FILE: file('webhook', `http://127.0.0.1:${hookPort}/hooks/flags`),
          IMPORT_POLICY_FILE: file(
            'policy.json',
            JSON.stringify({
              notify: { emailDomains: ['example.test'] },
              groups: { allEmployeesGroups: ['Personio Import', 'Flags Everyone'] },
            }),
          ),
        };
      },
    });
    ({ personio, jumpcloud, dir, common } = env);
    for (const variable of [
      'PAYLOAD_KEYS',
      'PERSONIO_CLIENT_ID',
      'PERSONIO_CLIENT_SECRET',
      'JUMPCLOUD_API_KEY',
    ])
      assert.ok(
        env.workerEnv[`${variable}_FILE`] && !(variable in env.workerEnv),
        `the worker gets ${variable}_FILE only`,
      );
  });

  after(async () => {
    await env?.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await new Promise<void>((resolve) => hook.close(() => resolve()));
  });

  it('ping: a worker answers on the task queue', async () => {
    const ping = await cli(['ping', 'hello']);
    assert.equal(ping.code, 0, ping.out);
    assert.match(ping.out, /pong "hello" from worker .* on task queue/);
  });

  it('import with --input, --create-state, --per-department-groups, --page-size, --notify, --email, --report', async () => {
    const input = join(dir, 'options.json');
    writeFileSync(input, JSON.stringify({ groups: { allEmployeesGroup: 'Flags Everyone' } }));
    const report = join(dir, 'report.json');
    const run = await cli([
      'import',
      '--input',
      input,
      '--create-state',
      'ACTIVATED',
      '--per-department-groups',
      '--page-size',
      '10',
      '--notify',
      'always',
      '--email',
      'it@example.test',
      '--report',
      report,
    ]);
    assert.equal(run.code, 0, run.out);
    const { summary, employees } = JSON.parse(readFileSync(report, 'utf8')) as {
      summary: { pages: number; counts: { created: number } };
      employees: { outcome: string }[];
    };
    assert.ok(summary.counts.created > 20, 'users created');
    assert.ok(summary.pages >= 3, `30 employees in pages of 10: ${summary.pages} pages`);
    assert.equal(employees.length, 30);
    const state = (await (await fetch(`${jumpcloud.url}/_sandbox/state`)).json()) as {
      users: { employeeIdentifier?: string; state?: string }[];
      groups?: { name: string }[];
      userGroups?: { name: string }[];
    };
    const imported = state.users.filter((u) => u.employeeIdentifier);
    assert.ok(imported.length > 20);
    assert.ok(
      imported.every((u) => u.state === 'ACTIVATED'),
      '--create-state ACTIVATED',
    );
    const groups = JSON.stringify(state);
    assert.match(groups, /Flags Everyone/, '--input: the all-employees group from the file');
    assert.match(groups, /Personio - /, '--per-department-groups');
    // Mail through SMTP_URL_FILE, from NOTIFY_FROM, to --email.
    assert.equal(mails.length, 1);
    assert.match(mails[0]!, /^From: Flags Test <flags@example\.test>/m);
    assert.match(mails[0]!, /^To: it@example\.test/m);
    // And the summary to the worker's own webhook, from NOTIFY_WEBHOOK_URL_FILE.
    assert.equal(hooks.length, 1, 'one webhook call');
    assert.match(hooks[0]!, /"text"/);
  });

  it('the worker honoured its variables: org id, app id, concurrency and rate caps', () => {
    assert.deepEqual([...personioSeen.headers], ['FLAGS_TEST_APP'], 'PERSONIO_APP_ID sent on every request');
    assert.ok(
      personioSeen.maxInFlight <= 1,
      `PERSONIO_MAX_CONCURRENCY=1: ${personioSeen.maxInFlight} at once`,
    );
    assert.ok(
      jumpcloudSeen.maxInFlight <= 2,
      `JUMPCLOUD_MAX_CONCURRENCY=2: ${jumpcloudSeen.maxInFlight} at once`,
    );
    // A limiter may let one second's worth through at once on top of the steady rate.
    const peak = peakPerSecond(jumpcloudSeen.arrivals);
    assert.ok(peak <= 50, `JUMPCLOUD_REQUESTS_PER_SECOND=25: ${peak} requests within one second`);
    assert.ok(jumpcloudSeen.arrivals.length > 50, 'enough requests to tell');
    const personioPeak = peakPerSecond(personioSeen.arrivals);
    assert.ok(personioPeak <= 10, `PERSONIO_REQUESTS_PER_SECOND=5: ${personioPeak} within one second`);
  });

  it('report --format csv --output F, and --format json on stdout', async () => {
    const csvFile = join(dir, 'again.csv');
    const csv = await cli(['report', '--format', 'csv', '--output', csvFile]);
    assert.equal(csv.code, 0, csv.out);
    const rows = readFileSync(csvFile, 'utf8').trim().split('\n');
    assert.match(rows[0]!, /^personioId,outcome,/);
    assert.equal(rows.length, 31);
    const json = await cli(['report', '--format', 'json']);
    assert.equal(json.code, 0, json.out);
    const body = json.stdout.filter((l) => !l.startsWith('{"level"')).join('\n');
    assert.equal((JSON.parse(body) as { employees: unknown[] }).employees.length, 30);
  });

  it('--allow-reactivation brings back a user suspended as a leaver', async () => {
    const state = async () =>
      (
        (await (await fetch(`${jumpcloud.url}/_sandbox/state`)).json()) as {
          users: { employeeIdentifier?: string; state?: string; suspended?: boolean }[];
        }
      ).users;
    const someone = (await state()).find((u) => u.employeeIdentifier)!.employeeIdentifier!;
    personio.data.setStatus(Number(someone), 'inactive');
    const leave = await cli(['import', '--notify', 'never']);
    assert.equal(leave.code, 0, leave.out);
    assert.equal((await state()).find((u) => u.employeeIdentifier === someone)!.state, 'SUSPENDED');
    personio.data.setStatus(Number(someone), 'active');
    const report = join(dir, 'reactivation.csv');
    const back = await cli(['import', '--notify', 'never', '--allow-reactivation', '--report', report]);
    assert.equal(back.code, 0, back.out);
    assert.notEqual((await state()).find((u) => u.employeeIdentifier === someone)!.state, 'SUSPENDED');
    assert.match(readFileSync(report, 'utf8'), new RegExp(`^${someone},reactivated,`, 'm'));
  });

  it('import --dry-run --plan-output P writes P.json and P.csv and nothing to JumpCloud', async () => {
    const prefix = join(dir, 'march-plan');
    jumpcloud.stats.clear();
    const run = await cli(['import', '--dry-run', '--plan-output', prefix, '--notify', 'never']);
    assert.equal(run.code, 0, run.out);
    assert.ok(existsSync(`${prefix}.json`) && existsSync(`${prefix}.csv`), run.out);
    assert.deepEqual(jumpcloud.stats.snapshot().writes, {});
  });

  it('import --no-wait prints the workflow id and a link under TEMPORAL_WEB_URL', async () => {
    const run = await cli(['import', '--no-wait', '--notify', 'never'], {
      TEMPORAL_WEB_URL: 'https://temporal.example.test',
    });
    assert.equal(run.code, 0, run.out);
    assert.match(
      run.out,
      /Temporal Web: https:\/\/temporal\.example\.test\/namespaces\/default\/workflows\//,
    );
    assert.match(run.out, new RegExp(`^personio-import-${common.TEMPORAL_TASK_QUEUE}$`, 'm'));
  });

  it('schedule create, list, pause, unpause, trigger, delete', async () => {
    const create = await cli([
      'schedule',
      'create',
      '--every',
      '1h',
      '--paused',
      '--input-json',
      '{"notify":{"when":"never"}}',
    ]);
    assert.equal(create.code, 0, create.out);
    const list = await cli(['schedule', 'list']);
    assert.equal(list.code, 0, list.out);
    assert.match(list.out, /personio-sync-/);
    assert.match(list.out, /paused/i);
    for (const step of [['pause', '--note', 'migration'], ['unpause'], ['trigger']]) {
      const r = await cli(['schedule', ...step]);
      assert.equal(r.code, 0, `${step.join(' ')}: ${r.out}`);
    }
    const del = await cli(['schedule', 'delete']);
    assert.equal(del.code, 0, del.out);
    const gone = await cli(['schedule', 'list']);
    assert.doesNotMatch(gone.out, new RegExp(`personio-sync-${common.TEMPORAL_TASK_QUEUE}\\b`));
  });
});
