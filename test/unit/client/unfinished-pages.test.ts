import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withUnfinishedPages } from '../../../client/run-facts.js';
import { emptyOutcomeCounts } from '../../../domain/outcomes.js';

test('the unfinished pages add what they finished to the import’s counts, once each', () => {
  const counted = { ...emptyOutcomeCounts(), created: 100, skipped: 3 };
  const pages = [
    {
      results: [
        { personioId: 1, outcome: 'created' as const },
        { personioId: 2, outcome: 'updated' as const },
      ],
    },
    { results: [{ personioId: 3, outcome: 'created' as const }] },
    { results: [] },
  ];
  const live = withUnfinishedPages(counted, pages);
  assert.deepEqual(live.counts, { ...emptyOutcomeCounts(), created: 102, updated: 1, skipped: 3 });
  assert.equal(live.employeesProcessed, 106);
  // The import's own counts are not changed in place (the next poll starts from them again).
  assert.equal(counted.created, 100);
});

test('no unfinished page: the import’s counts as they are', () => {
  const counted = { ...emptyOutcomeCounts(), unchanged: 7 };
  assert.deepEqual(withUnfinishedPages(counted, []), { counts: counted, employeesProcessed: 7 });
});
