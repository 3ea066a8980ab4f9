// The preview as the CLI prints it and writes it: counts, the safeguards' verdict, a diff of
// the changes (fields old → new, groups, manager), and complete JSON and CSV files.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { planDiffText, writePlanFiles } from '../../../client/plan-output.js';
import type { ReportRow } from '../../../client/report-command.js';
import { emptyOutcomeCounts } from '../../../domain/outcomes.js';
import type { ImportReport } from '../../../workflows/import-api.js';

const row = (over: Partial<ReportRow>): ReportRow => ({
  personioId: 1,
  outcome: 'unchanged',
  reason: '',
  changedFields: '',
  changes: '',
  groupsJoined: '',
  groupsLeft: '',
  manager: '',
  username: '',
  jumpcloudUserId: '',
  managerNote: '',
  activation: '',
  warnings: '',
  ...over,
});

const rows: ReportRow[] = [
  row({ personioId: 1001, outcome: 'unchanged' }),
  row({
    personioId: 1002,
    outcome: 'updated',
    changedFields: 'department',
    changes: 'department: Sales → Research Lab',
    groupsJoined: 'Personio - Research Lab',
    groupsLeft: 'Personio - Sales',
  }),
  row({ personioId: 1003, outcome: 'created', username: 'ada.nakamura', changes: 'email: ∅ → ada@x.test' }),
  row({ personioId: 1004, outcome: 'suspended' }),
  row({ personioId: 1005, outcome: 'unchanged', manager: '∅ → 64b0c0ffee' }),
  row({
    personioId: 1006,
    outcome: 'skipped',
    reason: 'email missing in Personio, with "quotes", and commas',
  }),
];

function report(breaches: string[]): ImportReport {
  return {
    counts: { ...emptyOutcomeCounts(), unchanged: 2, updated: 1, created: 1, suspended: 1, skipped: 1 },
    employeesTotal: 6,
    plan: {
      counts: emptyOutcomeCounts(),
      importedUsers: 4,
      pagesPlanned: 1,
      pagesToApply: 0,
      safeguardBreaches: breaches,
    },
  } as unknown as ImportReport;
}

describe('the preview in the CLI', () => {
  it('shows counts, the safeguards verdict and a diff of every change', () => {
    const text = planDiffText(report(['would suspend 30 users (more than 25)']), rows);
    assert.match(text, /^Plan \(nothing was written\): 6 employees read\./);
    assert.match(text, /created 1, updated 1, unchanged 2, suspended 1/);
    assert.match(text, /A real run would pause for approval: would suspend 30 users \(more than 25\)\./);
    assert.match(
      text,
      /~ updated +Personio 1002\n {6}department: Sales → Research Lab\n {6}joins: Personio - Research Lab\n {6}leaves: Personio - Sales/,
    );
    assert.match(text, /\+ created +Personio 1003 as ada\.nakamura/);
    assert.match(text, /- suspended +Personio 1004/);
    assert.match(text, /= unchanged +Personio 1005\n {6}manager: ∅ → 64b0c0ffee/);
    assert.doesNotMatch(text, /Personio 1001/, 'unchanged employees with nothing to do are not listed');
    assert.match(text, /Skipped: 1/);
  });

  it('says when no safeguard is exceeded, and how many more changes the files hold', () => {
    const many = Array.from({ length: 30 }, (_, i) => row({ personioId: 2000 + i, outcome: 'created' }));
    const text = planDiffText(report([]), many, 5);
    assert.match(text, /would not need approval/);
    assert.match(text, /… and 25 more \(see the plan files\)/);
  });

  it('writes the whole plan as JSON and CSV', () => {
    const prefix = join(mkdtempSync(join(tmpdir(), 'plan-')), 'plan');
    assert.deepEqual(writePlanFiles(prefix, report([]), rows), [`${prefix}.json`, `${prefix}.csv`]);
    const json = JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as { employees: ReportRow[] };
    assert.equal(json.employees.length, rows.length);
    const csv = readFileSync(`${prefix}.csv`, 'utf8').trim().split('\n');
    assert.equal(
      csv[0],
      'personioId,outcome,reason,changedFields,changes,groupsJoined,groupsLeft,manager,username,jumpcloudUserId,managerNote,activation,warnings',
    );
    assert.equal(csv.length, rows.length + 1);
    assert.ok(
      csv.includes('1006,skipped,"email missing in Personio, with ""quotes"", and commas",,,,,,,,,,'),
    );
  });
});
