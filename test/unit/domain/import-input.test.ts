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

  it('leaves no space where a department name was cut or is blank', () => {
    const cutAtSpace = groupNameForDepartment('{department}!', `${'x'.repeat(198)} y`);
    assert.equal(cutAtSpace, `${'x'.repeat(198)}!`);
    assert.equal(groupNameForDepartment('Personio - {department}', '  '), 'Personio -');
  });

  it('cuts a long department name so the group name has at most 200 characters', () => {
    const name = groupNameForDepartment('Personio - {department} (staff)', 'x'.repeat(500));
    assert.equal(name.length, GROUP_NAME_MAX_LENGTH);
    assert.ok(name.startsWith('Personio - xxx') && name.endsWith('x (staff)'));
  });
});

describe('what a caller is told about each field: the rule, and the value it gave', () => {
  // One bad field per input; the message is exactly what the CLI and a failed start show.
  const table: [raw: Record<string, unknown>, message: string][] = [
    [{ pageSize: 0 }, "pageSize: must be between 1 and 100 (Personio's maximum); got 0"],
    [{ pageSize: 101 }, "pageSize: must be between 1 and 100 (Personio's maximum); got 101"],
    [{ pageSize: 1.5 }, "pageSize: must be a whole number between 1 and 100 (Personio's maximum); got 1.5"],
    [{ pageSize: null }, "pageSize: must be a whole number between 1 and 100 (Personio's maximum); got null"],
    [{ pageSize: true }, "pageSize: must be a whole number between 1 and 100 (Personio's maximum); got true"],
    [
      { pageSize: [1] },
      "pageSize: must be a whole number between 1 and 100 (Personio's maximum); got a list",
    ],
    [
      { pageSize: {} },
      "pageSize: must be a whole number between 1 and 100 (Personio's maximum); got an object",
    ],
    [
      { pageSize: 'x'.repeat(61) },
      `pageSize: must be a whole number between 1 and 100 (Personio's maximum); got "${'x'.repeat(60)}…"`,
    ],
    [
      { pageSize: 'x'.repeat(60) },
      `pageSize: must be a whole number between 1 and 100 (Personio's maximum); got "${'x'.repeat(60)}"`,
    ],
    [{ createState: 5 }, 'createState: must be "STAGED" or "ACTIVATED"; got 5'],
    [{ allowReactivation: 'yes' }, 'allowReactivation: must be true or false; got "yes"'],
    [{ groups: 'x' }, 'groups: must be an object; got "x"'],
    [
      { groups: { allEmployeesGroup: 5 } },
      'groups.allEmployeesGroup: must be a non-empty group name of at most 200 characters; got 5',
    ],
    [
      // The value as checked, i.e. after trimming.
      { groups: { allEmployeesGroup: ' ' } },
      'groups.allEmployeesGroup: must be a non-empty group name of at most 200 characters; got ""',
    ],
    [
      { groups: { allEmployeesGroup: 'x'.repeat(201) } },
      `groups.allEmployeesGroup: must be a non-empty group name of at most 200 characters; got "${'x'.repeat(60)}…"`,
    ],
    [{ groups: { perDepartment: 1 } }, 'groups.perDepartment: must be true or false; got 1'],
    [
      { groups: { departmentGroupPattern: 5 } },
      'groups.departmentGroupPattern: must be text containing {department}; got 5',
    ],
    [
      { groups: { departmentGroupPattern: 'Personio' } },
      'groups.departmentGroupPattern: must contain {department} exactly once, e.g. "Personio - {department}"; got "Personio"',
    ],
    [
      { groups: { departmentGroupPattern: `${'x'.repeat(101)}{department}` } },
      `groups.departmentGroupPattern: must have at most 100 characters besides {department}, leaving room in the 200-character group name; got "${'x'.repeat(60)}…"`,
    ],
    [{ groups: { removeLeavers: 'no' } }, 'groups.removeLeavers: must be true or false; got "no"'],
    [{ applications: 'Slack' }, 'applications: must be a list of application display labels; got "Slack"'],
    [
      { applications: [5] },
      'applications[0]: must be a non-empty application display label of at most 200 characters; got 5',
    ],
    [{ notify: 'x' }, 'notify: must be an object; got "x"'],
    [
      { notify: { when: 'x' } },
      'notify.when: must be "auto" (when more than `threshold` employees were processed), "always" or "never"; got "x"',
    ],
    [{ notify: { threshold: -1 } }, 'notify.threshold: must be ≥ 0; got -1'],
    [{ notify: { threshold: 0.5 } }, 'notify.threshold: must be a whole number ≥ 0; got 0.5'],
    [
      { notify: { email: 'a@b.example' } },
      'notify.email: must be a list of e-mail addresses; got "a@b.example"',
    ],
    [
      { notify: { webhookUrl: 'ftp://x.example/' } },
      'notify.webhookUrl: must be an http(s) URL or null; got "ftp://x.example/"',
    ],
    [{ pagesInFlight: 21 }, 'pagesInFlight: must be between 1 and 20; got 21'],
    [{ pagesInFlight: 0 }, 'pagesInFlight: must be between 1 and 20; got 0'],
    [{ continueAsNewAfterEvents: 99 }, 'continueAsNewAfterEvents: must be between 100 and 40000; got 99'],
    [
      { continueAsNewAfterEvents: 40_001 },
      'continueAsNewAfterEvents: must be between 100 and 40000; got 40001',
    ],
    [{ dryRun: 1 }, 'dryRun: must be true or false; got 1'],
    [{ safeguards: 'x' }, 'safeguards: must be an object, or null to turn the safeguards off; got "x"'],
    [{ safeguards: { maxSuspensions: -1 } }, 'safeguards.maxSuspensions: must be ≥ 0; got -1'],
    [
      { safeguards: { maxSuspensionsPercent: 'x' } },
      'safeguards.maxSuspensionsPercent: must be a percentage between 0 and 100, or null (rule off); got "x"',
    ],
    [
      { safeguards: { maxSuspensionsPercent: -1 } },
      'safeguards.maxSuspensionsPercent: must be a percentage between 0 and 100, or null (rule off); got -1',
    ],
    [
      { safeguards: { minimumImportedUsers: null } },
      'safeguards.minimumImportedUsers: must be a whole number ≥ 0; got null',
    ],
    [
      { safeguards: { approvalTimeout: 5 } },
      'safeguards.approvalTimeout: must be a duration like "30s", "15m", "24h" or "7d"; got 5',
    ],
    [
      { safeguards: { maxChangesPercent: 100.5 } },
      'safeguards.maxChangesPercent: must be a percentage between 0 and 100, or null (rule off); got 100.5',
    ],
    [{ sync: 'x' }, 'sync: must be an object; got "x"'],
    [
      { sync: { updatedSince: 5 } },
      'sync.updatedSince: must be an ISO 8601 date or date-time like "2026-11-01" or "2026-11-01T08:00:00Z"; got 5',
    ],
    [
      { sync: { fullReconcileEvery: '1w' } },
      'sync.fullReconcileEvery: must be a duration like "30s", "15m", "24h" or "7d"; got "1w"',
    ],
    [{ activation: 'x' }, 'activation: must be an object; got "x"'],
    [{ activation: { onHireDate: 'x' } }, 'activation.onHireDate: must be true or false; got "x"'],
    [{ activation: { localTime: 9 } }, 'activation.localTime: must be a time of day like "09:00"; got 9'],
    [
      { activation: { timeZone: 5 } },
      'activation.timeZone: must be an IANA time zone like "Europe/Berlin"; got 5',
    ],
    [{ activation: { extra: 1 } }, 'activation.extra: unknown field; remove it or check the spelling'],
  ];
  for (const [raw, message] of table) {
    it(JSON.stringify(raw).slice(0, 100), () => {
      const [path] = message.split(': ', 1);
      assert.deepEqual(problems(raw), [{ path, message }]);
    });
  }

  it('a value JSON cannot carry is named by its type; an item left out is "nothing"', () => {
    assert.deepEqual(problems({ pageSize: 10n })[0]?.message.split('; got ')[1], 'a value of type bigint');
    assert.deepEqual(problems({ applications: [undefined] })[0]?.message.split('; got ')[1], 'nothing');
  });

  it('lists every unknown field of one object', () => {
    assert.deepEqual(
      problems({ groups: { perDept: true, removeLeaver: true } }).map((p) => p.message),
      [
        'groups.perDept: unknown field; remove it or check the spelling',
        'groups.removeLeaver: unknown field; remove it or check the spelling',
      ],
    );
  });
});

describe('the values each rule takes and refuses', () => {
  const table: [raw: Record<string, unknown>, accepted: boolean][] = [
    [{ pageSize: 1 }, true],
    [{ pageSize: 100 }, true],
    [{ pagesInFlight: 1 }, true],
    [{ continueAsNewAfterEvents: 100 }, true],
    [{ continueAsNewAfterEvents: 40_000 }, true],
    [{ notify: { threshold: 0 } }, true],
    [{ notify: { webhookUrl: 'http://hooks.example/x' } }, true],
    [{ notify: { webhookUrl: 'https://hooks.example/x' } }, true],
    [{ notify: { webhookUrl: 'ws://hooks.example/x' } }, false],
    [{ notify: { webhookUrl: 'xhttps://hooks.example/x' } }, false],
    [{ notify: { webhookUrl: 'httpsx://hooks.example/x' } }, false],
    [{ notify: { email: ['a@b.example'] } }, true],
    [{ notify: { email: ['@b.example'] } }, false],
    [{ safeguards: { maxSuspensionsPercent: 0, maxChangesPercent: 100 } }, true],
    [{ safeguards: { maxChangesPercent: 100.5 } }, false],
    [{ safeguards: { maxSuspensions: 0, minimumImportedUsers: 0 } }, true],
    [{ safeguards: { minimumImportedUsers: -1 } }, false],
    [{ groups: { allEmployeesGroup: 'x'.repeat(200) } }, true],
    [{ groups: { allEmployeesGroup: '' } }, false],
    [{ applications: ['x'.repeat(200)] }, true],
    [{ applications: ['x'.repeat(201)] }, false],
    [{ groups: { departmentGroupPattern: '{department}' } }, true],
    [{ groups: { departmentGroupPattern: '{department} / {department}' } }, false],
    [{ safeguards: { approvalTimeout: '100ms' } }, true],
    [{ safeguards: { approvalTimeout: '30s' } }, true],
    [{ safeguards: { approvalTimeout: '15m' } }, true],
    [{ safeguards: { approvalTimeout: '999999d' } }, true],
    [{ safeguards: { approvalTimeout: '1000000d' } }, false],
    [{ safeguards: { approvalTimeout: '0s' } }, false],
    [{ safeguards: { approvalTimeout: '05m' } }, false],
    [{ safeguards: { approvalTimeout: '15' } }, false],
    [{ safeguards: { approvalTimeout: 'x15m' } }, false],
    [{ safeguards: { approvalTimeout: '15mx' } }, false],
    [{ safeguards: { approvalTimeout: '1.5h' } }, false],
    [{ sync: { updatedSince: '2026-11-01' } }, true],
    [{ sync: { updatedSince: '2026-11-01T08:00:00+01:00' } }, true],
    [{ sync: { updatedSince: '2026-13-45' } }, false],
    [{ sync: { updatedSince: 'x2026-11-01' } }, false],
    [{ sync: { updatedSince: '2026-11-01x' } }, false],
    // Dates that Date.parse reads but that are not ISO 8601.
    [{ sync: { updatedSince: 'Sun 2026-11-01' } }, false],
    [{ sync: { updatedSince: '2026-11-01 08:00' } }, false],
    [{ sync: { updatedSince: '2026-11-01T' } }, false],
    [{ sync: { updatedSince: '26-11-01' } }, false],
    [{ sync: { updatedSince: '2026-1-01' } }, false],
    [{ sync: { mode: 'full' } }, true],
    [{ sync: { mode: 'auto' } }, true],
    [{ createState: 'STAGED' }, true],
    [{ notify: { when: 'auto' } }, true],
    [{ notify: { when: 'never' } }, true],
    [{ activation: { localTime: '00:00' } }, true],
    [{ activation: { localTime: '19:05' } }, true],
    [{ activation: { localTime: '23:59:59' } }, true],
    [{ activation: { localTime: '24:00' } }, false],
    [{ activation: { localTime: '09:60' } }, false],
    [{ activation: { localTime: '9:00' } }, false],
    [{ activation: { localTime: '09:00:60' } }, false],
    [{ activation: { localTime: '09:00:5' } }, false],
    [{ activation: { localTime: '09:00:5x' } }, false],
    [{ activation: { localTime: 'x09:00' } }, false],
    [{ activation: { localTime: '09:00x' } }, false],
    [{ activation: { timeZone: 'UTC' } }, true],
    [{ activation: { timeZone: 'Mars/Base' } }, false],
  ];
  for (const [raw, accepted] of table) {
    it(`${JSON.stringify(raw).slice(0, 100)}: ${accepted ? 'accepted' : 'refused'}`, () => {
      assert.equal(parseImportInput(raw).ok, accepted);
    });
  }

  it('trims names, labels, patterns and durations', () => {
    const parsed = input({
      groups: { allEmployeesGroup: ' All ', departmentGroupPattern: '  P {department}  ' },
      applications: [' Slack '],
      safeguards: { approvalTimeout: ' 15m ' },
      sync: { fullReconcileEvery: ' 7d ' },
    });
    assert.equal(parsed.groups.allEmployeesGroup, 'All');
    assert.equal(parsed.groups.departmentGroupPattern, 'P {department}');
    assert.deepEqual(parsed.applications, ['Slack']);
    assert.equal(parsed.safeguards?.approvalTimeout, '15m');
    assert.equal(parsed.sync.fullReconcileEvery, '7d');
  });
});
