/**
 * The import policy's rules, as pure functions: what an input may tighten, what it may never
 * loosen, which destinations, groups and applications it may name (the worker process runs the
 * same code: test/security/policy-worker.test.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseImportInput } from '../../domain/import-input.js';
import {
  checkInputAgainstPolicy,
  matchWebhook,
  parseImportPolicy,
  STRICT_POLICY,
  type ImportPolicy,
} from '../../domain/import-policy.js';

const own = { recipients: ['it@corp.example'], webhookUrl: 'https://hooks.slack.com/services/T0/B0/own' };

function check(raw: unknown, policy: ImportPolicy = STRICT_POLICY) {
  const parsed = parseImportInput(raw);
  assert.ok(parsed.ok, 'a valid input');
  return checkInputAgainstPolicy(raw, parsed.input, policy, own);
}
const paths = (raw: unknown, policy?: ImportPolicy) => check(raw, policy).problems.map((p) => p.path);

test('safeguards: null or a looser rule is refused by field; tighter is taken; unset means the floor', () => {
  assert.deepEqual(paths({ safeguards: null }), ['safeguards']);
  assert.match(
    check({ safeguards: null }).problems[0]!.message,
    /may not be switched off.*IMPORT_POLICY_FILE/,
  );
  assert.deepEqual(paths({ safeguards: { maxSuspensions: 1000 } }), ['safeguards.maxSuspensions']);
  assert.deepEqual(paths({ safeguards: { maxChangesPercent: null } }), ['safeguards.maxChangesPercent']);
  assert.deepEqual(paths({ safeguards: { minimumImportedUsers: 5000 } }), [
    'safeguards.minimumImportedUsers',
  ]);
  assert.deepEqual(check({ safeguards: { maxSuspensions: 3 } }).safeguards?.maxSuspensions, 3);
  const strict = parseImportPolicy(JSON.stringify({ safeguards: { maxSuspensions: 5 } }), 'p');
  assert.ok(strict.ok);
  // Not set by the input: the policy's floor (5), not the input default (25).
  assert.equal(check({}, strict.policy).safeguards?.maxSuspensions, 5);
  assert.deepEqual(paths({ safeguards: { maxSuspensions: 6 } }, strict.policy), [
    'safeguards.maxSuspensions',
  ]);
  const off = parseImportPolicy('{"safeguards": null}', 'p');
  assert.ok(off.ok);
  assert.deepEqual(paths({ safeguards: null }, off.policy), [], 'the operator may allow switching them off');
});

test('notification destinations: only the worker’s own without a policy; prefixes, domains and a cap with one', () => {
  assert.deepEqual(paths({ notify: { webhookUrl: own.webhookUrl, email: ['IT@corp.example'] } }), []);
  assert.deepEqual(paths({ notify: { webhookUrl: 'http://169.254.169.254/latest/meta-data' } }), [
    'notify.webhookUrl',
  ]);
  assert.deepEqual(paths({ notify: { email: ['attacker@evil.example'] } }), ['notify.email[0]']);
  const policy = parseImportPolicy(
    JSON.stringify({
      notify: {
        webhookUrlPrefixes: ['https://hooks.slack.com/services/', 'https://*.chat.example/'],
        emailDomains: ['corp.example'],
        maxRecipients: 2,
      },
    }),
    'p',
  );
  assert.ok(policy.ok);
  const p = policy.policy;
  assert.equal(matchWebhook('https://hooks.slack.com/services/T1/B1/x', p, own), 'named');
  assert.equal(matchWebhook('https://team.chat.example/hook', p, own), 'wildcard');
  assert.equal(matchWebhook('https://hooks.slack.com@evil.example/services/', p, own), null, 'user info');
  assert.equal(matchWebhook('https://hooks.slack.com.evil.example/services/', p, own), null);
  assert.equal(matchWebhook('https://hooks.slack.com/other', p, own), null, 'outside the path');
  assert.equal(matchWebhook('http://hooks.slack.com/services/x', p, own), null, 'another scheme');
  const many = Array.from({ length: 10_000 }, (_, i) => `u${i}@corp.example`);
  assert.deepEqual(paths({ notify: { email: many } }, p), ['notify.email']);
  assert.deepEqual(paths({ notify: { email: ['a@corp.example', 'b@sub.corp.example'] } }, p), [
    'notify.email[1]',
  ]);
});

test('groups and applications: the configured ones by default; "*" in the policy allows any', () => {
  assert.deepEqual(paths({ groups: { allEmployeesGroup: 'Administrators' } }), ['groups.allEmployeesGroup']);
  assert.deepEqual(
    paths({ groups: { perDepartment: true, departmentGroupPattern: 'Admins {department}' } }),
    ['groups.departmentGroupPattern'],
  );
  assert.deepEqual(paths({ groups: { allEmployeesGroup: null, perDepartment: true } }), []);
  assert.deepEqual(paths({ applications: ['AWS root console'] }), ['applications[0]']);
  assert.deepEqual(paths({ applications: [] }), []);
  const any = parseImportPolicy('{"groups":{"allEmployeesGroups":["*"]},"applications":["*"]}', 'p');
  assert.ok(any.ok);
  assert.deepEqual(
    paths({ groups: { allEmployeesGroup: 'Everyone' }, applications: ['Slack'] }, any.policy),
    [],
  );
});

test('a bad policy file: every problem named with the file and the field', () => {
  const bad = parseImportPolicy(
    JSON.stringify({
      safeguards: { maxSuspensions: -1, maxSuspensionPercent: 5 },
      notify: { webhookUrlPrefixes: ['ftp://x', 'https://user:pw@hooks.example/'], maxRecipients: 1.5 },
      groups: 'all',
    }),
    'IMPORT_POLICY_FILE=/etc/p.json',
  );
  assert.ok(!bad.ok);
  const text = bad.problems.join('\n');
  assert.match(text, /IMPORT_POLICY_FILE=\/etc\/p\.json: safeguards\.maxSuspensionPercent: unknown field/);
  assert.match(text, /safeguards\.maxSuspensions: must be 0 or more/);
  assert.match(text, /notify\.webhookUrlPrefixes\.0: must be an http\(s\) URL prefix/);
  assert.match(text, /notify\.webhookUrlPrefixes\.1: must be an http\(s\) URL prefix without user info/);
  assert.match(text, /notify\.maxRecipients: must be a whole number/);
  assert.match(text, /groups: must be an object/);
  const json = parseImportPolicy('{', 'X');
  assert.ok(!json.ok);
  assert.match(json.problems[0]!, /^X: not valid JSON/);
});
