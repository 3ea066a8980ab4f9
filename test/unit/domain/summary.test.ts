// The import's summary as the notification, Temporal Web and the CLI show it: every line, for
// a preview and a finished run, with and without groups, refused groups, missing applications
// and problems (a long list cut, and said so).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyOutcomeCounts, type EmployeeResult } from '../../../domain/outcomes.js';
import { countsLine, summaryText, type SummaryFacts } from '../../../domain/summary.js';

const facts: SummaryFacts = {
  dryRun: false,
  employeesTotal: 12,
  counts: { ...emptyOutcomeCounts(), created: 3, updated: 2, failed: 1 },
  problems: [],
  truncated: false,
  managersLinked: 4,
  managerNotes: 1,
  groupsCreated: [],
  bindings: 0,
  missingApplications: [],
  durationMs: 61_600,
};
const countsText = countsLine(facts.counts);
const problem = (personioId: number, reason?: string): EmployeeResult => ({
  personioId,
  outcome: 'failed',
  ...(reason === undefined ? {} : { reason }),
});

describe('countsLine', () => {
  it('names every outcome with its count, in the report order', () => {
    assert.equal(
      countsLine({ ...emptyOutcomeCounts(), created: 3, skipped: 1 }),
      'created 3, updated 0, unchanged 0, suspended 0, reactivated 0, skipped 1, failed 0',
    );
  });
});

describe('summaryText', () => {
  /** The lines every finished run of `facts` starts with. */
  const finished = [
    'The Personio → JumpCloud import finished in 62 s: 12 employees read.',
    countsText,
    'managers linked or cleared: 4; manager notes: 1',
    'groups created: none; new application bindings: 0',
  ];
  const table: { what: string; facts: SummaryFacts; maxProblems?: number; lines: string[] }[] = [
    { what: 'a finished run with nothing more to say', facts, lines: finished },
    {
      what: 'a preview with groups, a refused group and missing applications',
      facts: {
        ...facts,
        dryRun: true,
        durationMs: 400,
        groupsCreated: ['All employees', 'Personio - Sales'],
        groupsRefused: [{ name: 'Sales', reason: 'group "Sales" exists and was not made by the import' }],
        bindings: 2,
        missingApplications: ['slack', 'github'],
      },
      lines: [
        'Preview of the Personio → JumpCloud import is ready in 0 s: 12 employees read.',
        countsText,
        'managers linked or cleared: 4; manager notes: 1',
        'groups created: All employees, Personio - Sales; new application bindings: 2',
        'group not used: group "Sales" exists and was not made by the import',
        'applications not found in JumpCloud (create them or fix the label): slack, github',
      ],
    },
  ];
  for (const { what, facts: f, maxProblems, lines } of table) {
    it(what, () => {
      assert.deepEqual(summaryText(f, maxProblems).split('\n'), lines);
    });
  }

  // A finished run with problems: the lines above, a blank line, the heading, the problems shown.
  const problems: {
    what: string;
    problems: EmployeeResult[];
    truncated?: boolean;
    maxProblems?: number;
    heading: string;
    shown: string[];
  }[] = [
    {
      what: 'problems, all shown',
      problems: [problem(7, 'email taken'), problem(9)],
      heading: 'Problems:',
      shown: ['  Personio id 7: failed: email taken', '  Personio id 9: failed: '],
    },
    {
      what: 'more problems than shown: the first ones, and it says so',
      problems: [problem(1, 'a'), problem(2, 'b'), problem(3, 'c')],
      maxProblems: 2,
      heading: 'Problems (first 2):',
      shown: ['  Personio id 1: failed: a', '  Personio id 2: failed: b'],
    },
    {
      what: 'exactly as many problems as shown, but the run kept only the first ones',
      problems: [problem(1, 'a'), problem(2, 'b')],
      truncated: true,
      maxProblems: 2,
      heading: 'Problems (first 2):',
      shown: ['  Personio id 1: failed: a', '  Personio id 2: failed: b'],
    },
    {
      what: 'exactly as many problems as the limit, all kept: no "first"',
      problems: [problem(1, 'a'), problem(2, 'b')],
      maxProblems: 2,
      heading: 'Problems:',
      shown: ['  Personio id 1: failed: a', '  Personio id 2: failed: b'],
    },
    {
      what: 'fewer problems than the limit, kept in full: no "first"',
      problems: [problem(1, 'a')],
      maxProblems: 2,
      heading: 'Problems:',
      shown: ['  Personio id 1: failed: a'],
    },
  ];
  for (const { what, problems: listed, truncated = false, maxProblems, heading, shown } of problems) {
    it(what, () => {
      assert.deepEqual(summaryText({ ...facts, problems: listed, truncated }, maxProblems).split('\n'), [
        ...finished,
        '',
        heading,
        ...shown,
      ]);
    });
  }

  it('shows at most 20 problems by default', () => {
    const many = Array.from({ length: 25 }, (_, i) => problem(i + 1, 'x'));
    const lines = summaryText({ ...facts, problems: many }).split('\n');
    assert.ok(lines.includes('Problems (first 20):'));
    assert.equal(lines.filter((line) => line.startsWith('  Personio id')).length, 20);
  });
});
