/**
 * Hostile inputs against the real worker process, started from the real CLI: without a policy
 * file the worker is strict; a policy file loosens only what it names. Every refused run fails
 * as InvalidImportInput naming the field, before anything is read or written.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { runProject } from '../helpers/worker-process.js';
import { httpSink, startSecurityEnv, type SecurityEnv, type Sink } from '../helpers/security-env.js';

let runs = 0;
const importWith = (env: SecurityEnv, input: unknown, ...flags: string[]) =>
  env.cli([
    'import',
    '--id',
    `${env.taskQueue}-${++runs}`,
    '--input',
    env.file(`input-${runs}.json`, JSON.stringify(input)),
    ...flags,
  ]);

describe('a worker without IMPORT_POLICY_FILE refuses inputs that ask for more than its defaults', () => {
  let env: SecurityEnv;
  let sink: Sink;
  before(async () => {
    sink = await httpSink();
    env = await startSecurityEnv('policy-strict', { workerEnv: { NOTIFY_WEBHOOK_URL: `${sink.url}/own` } });
  });
  after(async () => {
    await env?.close();
    await sink?.close();
  });

  const attempts: [string, unknown, RegExp][] = [
    ['safeguards switched off', { safeguards: null }, /safeguards: may not be switched off/],
    [
      'a looser safeguard',
      { safeguards: { maxSuspensions: 100_000 } },
      /safeguards\.maxSuspensions: 100000 is looser than the policy allows: at most 25/,
    ],
    [
      'a cloud metadata webhook',
      { notify: { webhookUrl: 'http://169.254.169.254/latest/meta-data/' } },
      /notify\.webhookUrl: http:\/\/169\.254\.169\.254\/… is not an allowed destination/,
    ],
    [
      '10,000 recipients',
      { notify: { email: Array.from({ length: 10_000 }, (_, i) => `victim${i}@example.com`) } },
      /notify\.email\[0\]: "victim0@example\.com" is not an allowed recipient.*notify\.email: 9997 more recipients are not allowed.*notify\.email: 10000 recipients are more than the 10 allowed/,
    ],
    [
      'an admin group as the all-employees group',
      { groups: { allEmployeesGroup: 'Administrators' } },
      /groups\.allEmployeesGroup: "Administrators" is not a group this import may create or join users to/,
    ],
    [
      'another department pattern',
      { groups: { perDepartment: true, departmentGroupPattern: 'VPN {department}' } },
      /groups\.departmentGroupPattern/,
    ],
    [
      'an application binding',
      { applications: ['AWS root console'] },
      /applications\[0\]: "AWS root console" is not an application/,
    ],
  ];
  for (const [what, input, refusal] of attempts) {
    it(`refuses ${what}, naming the field, and writes nothing`, async () => {
      const writesBefore = env.jumpcloud.stats.snapshot().writes;
      const { code, out } = await importWith(env, input);
      assert.equal(code, 1, out);
      assert.match(out, /The import stopped: The import input is invalid/);
      assert.match(out, refusal);
      assert.match(out, /IMPORT_POLICY_FILE/, 'says where the limits are set');
      assert.doesNotMatch(out, /\n\s+at /, 'no stack trace');
      assert.deepEqual(env.jumpcloud.stats.snapshot().writes, writesBefore);
    });
  }

  it('takes its own destination, and an input that tightens the safeguards', async () => {
    const { code, out } = await importWith(
      env,
      {
        dryRun: true,
        safeguards: { maxSuspensions: 1 },
        notify: { when: 'always', webhookUrl: `${sink.url}/own` },
      },
      '--plan-output',
      `${env.dir}/plan`,
    );
    assert.equal(code, 0, out);
    assert.equal(sink.received.length, 1, 'the worker’s own webhook got the summary');
    assert.equal(sink.received[0]!.path, '/own');
  });
});

describe('a worker with IMPORT_POLICY_FILE', () => {
  it('lists every problem of a bad policy file at start and exits', async (t) => {
    const env = await startSecurityEnv('policy-bad-file');
    t.after(() => env.close());
    // Beside the good worker, one like it with a bad policy file.
    const bad = runProject('worker/main.ts', [], {
      ...env.workerEnv,
      IMPORT_POLICY_FILE: env.file(
        'policy.json',
        JSON.stringify({
          safeguards: { maxSuspensions: 'many' },
          groupz: [],
          // Reads as a wildcard, would match nothing: refused.
          notify: { webhookUrlPrefixes: ['https://*hooks.example/'] },
        }),
      ),
    });
    assert.equal(await bad.exited, 1);
    const out = bad.output.join('\n');
    assert.match(out, /IMPORT_POLICY_FILE=.*policy\.json: groupz: unknown field/);
    assert.match(out, /IMPORT_POLICY_FILE=.*policy\.json: safeguards\.maxSuspensions: must be a number/);
    assert.match(
      out,
      /IMPORT_POLICY_FILE=.*policy\.json: notify\.webhookUrlPrefixes\.0: must be an http\(s\) URL prefix .*"\*" as the host: any public host\); got "https:\/\/\*hooks\.example\/"/,
    );
    assert.doesNotMatch(out, /\n\s+at /, 'no stack trace');
  });

  it('lets an input loosen what the operator loosened, and nothing else', async (t) => {
    const env = await startSecurityEnv('policy-loose', {
      workerEnv: (dir) => {
        const path = `${dir}/policy.json`;
        writeFileSync(
          path,
          JSON.stringify({ safeguards: null, groups: { allEmployeesGroups: ['Everyone'] } }),
        );
        return { IMPORT_POLICY_FILE: path };
      },
    });
    t.after(() => env.close());
    const loose = await importWith(
      env,
      { dryRun: true, safeguards: null, groups: { allEmployeesGroup: 'Everyone' } },
      '--plan-output',
      `${env.dir}/plan`,
    );
    assert.equal(loose.code, 0, loose.out);
    const refused = await importWith(env, { applications: ['Admin console'] });
    assert.equal(refused.code, 1, refused.out);
    assert.match(refused.out, /applications\[0\]/);
  });
});
