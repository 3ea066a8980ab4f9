import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  groupNameForDepartment,
  GROUP_NAME_MAX_LENGTH,
  parseImportInput,
  type ImportInput,
  type InputProblem,
} from '../../../domain/import-input.js';

function problems(raw: unknown): InputProblem[] {
  const result = parseImportInput(raw);
  assert.ok(!result.ok, 'expected the input to be rejected');
  return result.problems;
}

function input(raw: unknown): ImportInput {
  const result = parseImportInput(raw);
  assert.ok(result.ok, `expected the input to parse, got ${JSON.stringify(result)}`);
  return result.input;
}

describe('parseImportInput', () => {
  it('fills every default from {}', () => {
    assert.deepEqual(input({}), {
      pageSize: 100,
      createState: 'STAGED',
      allowReactivation: false,
      groups: {
        allEmployeesGroup: 'Personio Import',
        perDepartment: false,
        departmentGroupPattern: 'Personio - {department}',
        removeLeavers: false,
      },
      applications: ['Personio Import'],
      notify: { when: 'auto', threshold: 100, email: [], webhookUrl: null },
      pagesInFlight: 4,
      continueAsNewAfterEvents: 6000,
      dryRun: false,
      safeguards: {
        maxSuspensions: 25,
        maxSuspensionsPercent: 10,
        maxChangesPercent: 30,
        minimumImportedUsers: 20,
        approvalTimeout: '72h',
      },
      sync: { mode: 'full', updatedSince: null, fullReconcileEvery: '24h' },
      activation: { onHireDate: false, localTime: '09:00', timeZone: 'Europe/Berlin' },
    });
  });

  it('treats a missing input as {}', () => {
    assert.deepEqual(input(undefined), input({}));
  });

  it('fills defaults inside a partly given nested object', () => {
    const parsed = input({ groups: { perDepartment: true }, notify: { email: ['it@example.com'] } });
    assert.equal(parsed.groups.allEmployeesGroup, 'Personio Import');
    assert.equal(parsed.groups.perDepartment, true);
    assert.deepEqual(parsed.notify, {
      when: 'auto',
      threshold: 100,
      email: ['it@example.com'],
      webhookUrl: null,
    });
  });

  it('accepts every option set explicitly', () => {
    const options = {
      pageSize: 50,
      createState: 'ACTIVATED',
      allowReactivation: true,
      groups: {
        allEmployeesGroup: null,
        perDepartment: true,
        departmentGroupPattern: 'Dept {department}',
        removeLeavers: true,
      },
      applications: [],
      notify: {
        when: 'always',
        threshold: 0,
        email: ['a@example.com'],
        webhookUrl: 'https://hooks.example.com/x',
      },
      pagesInFlight: 20,
      continueAsNewAfterEvents: 500,
      dryRun: true,
      safeguards: null,
      sync: { mode: 'delta', updatedSince: '2026-11-01T08:00:00Z', fullReconcileEvery: '7d' },
      activation: { onHireDate: true, localTime: '08:30', timeZone: 'America/New_York' },
    };
    assert.deepEqual(input(options), options);
  });

  it('names each bad safeguard, sync and activation field with its rule', () => {
    assert.deepEqual(
      problems({
        safeguards: { approvalTimeout: '3 days', maxChangesPercent: 120 },
        sync: { mode: 'hourly', updatedSince: 'yesterday' },
        activation: { localTime: '9', timeZone: 'Mars/Base' },
      }).map((p) => p.message),
      [
        'safeguards.maxChangesPercent: must be a percentage between 0 and 100, or null (rule off); got 120',
        'safeguards.approvalTimeout: must be a duration like "30s", "15m", "24h" or "7d"; got "3 days"',
        'sync.mode: must be "full", "delta" or "auto"; got "hourly"',
        'sync.updatedSince: must be an ISO 8601 date or date-time like "2026-11-01" or "2026-11-01T08:00:00Z"; got "yesterday"',
        'activation.localTime: must be a time of day like "09:00" (24-hour clock); got "9"',
        'activation.timeZone: must be an IANA time zone like "Europe/Berlin" or "UTC"; got "Mars/Base"',
      ],
    );
  });

  it('names the field, the rule and the rejected value', () => {
    assert.deepEqual(problems({ pageSize: 1000 }), [
      { path: 'pageSize', message: "pageSize: must be between 1 and 100 (Personio's maximum); got 1000" },
    ]);
  });

  it('says "whole number" for a fractional or textual number', () => {
    assert.deepEqual(problems({ pagesInFlight: 2.5 }), [
      { path: 'pagesInFlight', message: 'pagesInFlight: must be a whole number between 1 and 20; got 2.5' },
    ]);
    assert.match(
      problems({ pageSize: '50' })[0]?.message ?? '',
      /^pageSize: must be a whole number .*; got "50"$/,
    );
  });

  it('rejects unknown fields, top-level and nested, by name', () => {
    assert.deepEqual(
      problems({ dryrun: true, groups: { perDept: true } })
        .map((p) => p.path)
        .sort(),
      ['dryrun', 'groups.perDept'],
    );
    assert.match(
      problems({ dryrun: true })[0]?.message ?? '',
      /^dryrun: unknown field; remove it or check the spelling$/,
    );
  });

  it('reports every problem at once, each with its own path', () => {
    const found = problems({
      createState: 'SUSPENDED',
      allowReactivation: 'yes',
      notify: {
        when: 'sometimes',
        threshold: -1,
        email: ['it@example.com', 'nope'],
        webhookUrl: 'ftp://example.com',
      },
      pageSize: 0,
    });
    assert.deepEqual(found.map((p) => p.path).sort(), [
      'allowReactivation',
      'createState',
      'notify.email[1]',
      'notify.threshold',
      'notify.webhookUrl',
      'notify.when',
      'pageSize',
    ]);
    for (const problem of found) assert.ok(problem.message.startsWith(`${problem.path}: `), problem.message);
    assert.ok(
      found.some((p) => p.message === 'createState: must be "STAGED" or "ACTIVATED"; got "SUSPENDED"'),
    );
    assert.ok(
      found.some(
        (p) => p.message === 'notify.email[1]: must be an e-mail address like admin@example.com; got "nope"',
      ),
    );
  });

  it('requires {department} exactly once in the group pattern', () => {
    for (const pattern of ['Personio', '{department} / {department}']) {
      const [problem] = problems({ groups: { departmentGroupPattern: pattern } });
      assert.equal(problem?.path, 'groups.departmentGroupPattern');
      assert.match(problem?.message ?? '', /must contain \{department\} exactly once/);
    }
  });

  it('keeps the fixed part of the group pattern short enough for a 200-character name', () => {
    const [problem] = problems({ groups: { departmentGroupPattern: `${'x'.repeat(101)}{department}` } });
    assert.match(problem?.message ?? '', /at most 100 characters besides \{department\}/);
    assert.ok(input({ groups: { departmentGroupPattern: `${'x'.repeat(100)}{department}` } }));
  });

  it('rejects empty group names and application labels', () => {
    assert.equal(problems({ groups: { allEmployeesGroup: '  ' } })[0]?.path, 'groups.allEmployeesGroup');
    assert.equal(problems({ applications: ['ok', ''] })[0]?.path, 'applications[1]');
  });

  it('rejects input that is not an object', () => {
    assert.deepEqual(problems([]), [{ path: '', message: 'input: must be an object of import options' }]);
    assert.deepEqual(problems({ groups: null }), [
      { path: 'groups', message: 'groups: must be an object; got null' },
    ]);
  });
});

describe('groupNameForDepartment', () => {
  it('puts the department name into the pattern', () => {
    assert.equal(
      groupNameForDepartment('Personio - {department}', 'Customer Support'),
      'Personio - Customer Support',
    );
  });

  it('collapses whitespace in the department name', () => {
    assert.equal(
      groupNameForDepartment('Personio - {department}', '  Sales \t EMEA '),
      'Personio - Sales EMEA',
    );
  });

  it('takes $ in a department name literally', () => {
    assert.equal(groupNameForDepartment('{department} team', "R$&D $'"), "R$&D $' team");
  });

  it('cuts a long department name so the group name has at most 200 characters', () => {
    const name = groupNameForDepartment('Personio - {department} (staff)', 'x'.repeat(500));
    assert.equal(name.length, GROUP_NAME_MAX_LENGTH);
    assert.ok(name.startsWith('Personio - xxx') && name.endsWith('x (staff)'));
  });
});
