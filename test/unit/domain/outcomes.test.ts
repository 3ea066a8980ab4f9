import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addOutcomeCounts,
  collectProblems,
  countOutcomes,
  emptyOutcomeCounts,
  MAX_REPORTED_PROBLEMS,
  totalOutcomes,
  withWarnings,
  type EmployeeResult,
} from '../../../domain/outcomes.js';

describe('outcome counts', () => {
  it('start at zero for every outcome', () => {
    assert.equal(totalOutcomes(emptyOutcomeCounts()), 0);
    assert.equal(Object.keys(emptyOutcomeCounts()).length, 7);
  });

  it('count results and add up without mutating their inputs', () => {
    const page1 = countOutcomes([{ outcome: 'created' }, { outcome: 'created' }, { outcome: 'failed' }]);
    const page2 = countOutcomes([{ outcome: 'created' }, { outcome: 'skipped' }]);
    const sum = addOutcomeCounts(page1, page2);
    assert.deepEqual(sum, { ...emptyOutcomeCounts(), created: 3, failed: 1, skipped: 1 });
    assert.equal(page1.created, 2);
    assert.equal(totalOutcomes(sum), 5);
  });
});

describe('collectProblems', () => {
  const result = (personioId: number, outcome: EmployeeResult['outcome']): EmployeeResult => ({
    personioId,
    outcome,
    ...(outcome === 'skipped' || outcome === 'failed' ? { reason: 'why' } : {}),
  });

  it('keeps only skipped and failed employees', () => {
    const collected = collectProblems({ problems: [], truncated: false }, [
      result(1, 'created'),
      result(2, 'skipped'),
      result(3, 'failed'),
      result(4, 'unchanged'),
    ]);
    assert.deepEqual(
      collected.problems.map((p) => p.personioId),
      [2, 3],
    );
    assert.equal(collected.truncated, false);
  });

  it(`keeps at most ${MAX_REPORTED_PROBLEMS} and says it left some out`, () => {
    const many = Array.from({ length: 150 }, (_, i) => result(i + 1, 'failed'));
    const first = collectProblems({ problems: [], truncated: false }, many);
    assert.equal(first.truncated, false);
    const second = collectProblems(first, many);
    assert.equal(second.problems.length, MAX_REPORTED_PROBLEMS);
    assert.equal(second.truncated, true);
    const third = collectProblems(second, []);
    assert.equal(third.truncated, true, 'once truncated, always truncated');
  });

  it('is not truncated when the last one exactly fills the report', () => {
    const exact = Array.from({ length: MAX_REPORTED_PROBLEMS }, (_, i) => result(i + 1, 'skipped'));
    assert.equal(collectProblems({ problems: [], truncated: false }, exact).truncated, false);
  });
});

describe('withWarnings', () => {
  const result: EmployeeResult = { personioId: 1, outcome: 'updated' };
  it('adds the employee’s parse warnings as a copy, and nothing when there are none', () => {
    const warnings = ['position: cut to 64 characters (was 80)'];
    const withThem = withWarnings(result, { warnings });
    assert.deepEqual(withThem, { ...result, warnings });
    assert.notEqual(withThem.warnings, warnings);
    assert.deepEqual(withWarnings(result, { warnings: [] }), result);
    assert.ok(!('warnings' in withWarnings(result, {})));
  });
});
