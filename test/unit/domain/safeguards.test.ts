// When a planned run pauses for approval: each rule, its message, the percentage floor, off.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyOutcomeCounts } from '../../../domain/outcomes.js';
import { safeguardBreaches, type SafeguardRules } from '../../../domain/safeguards.js';

const rules: SafeguardRules = {
  maxSuspensions: 25,
  maxSuspensionsPercent: 10,
  maxChangesPercent: 30,
  minimumImportedUsers: 20,
  approvalTimeout: '72h',
};
const plan = (counts: Partial<ReturnType<typeof emptyOutcomeCounts>>, importedUsers: number) => ({
  counts: { ...emptyOutcomeCounts(), ...counts },
  importedUsers,
});

describe('safeguardBreaches', () => {
  it('passes a run within every limit, and a first import (creates are not changes)', () => {
    assert.deepEqual(safeguardBreaches(plan({ suspended: 2, updated: 10 }, 100), rules), []);
    assert.deepEqual(safeguardBreaches(plan({ created: 5000 }, 0), rules), []);
  });

  it('names each broken rule with its numbers', () => {
    assert.deepEqual(safeguardBreaches(plan({ suspended: 30, updated: 10 }, 100), rules), [
      'would suspend 30 users (more than 25)',
      'would suspend 30% of 100 imported users (more than 10%)',
      'would change 40% of 100 imported users (more than 30%)',
    ]);
  });

  it('counts reactivations and updates as changes', () => {
    assert.deepEqual(safeguardBreaches(plan({ updated: 20, reactivated: 15 }, 100), rules), [
      'would change 35% of 100 imported users (more than 30%)',
    ]);
  });

  it('passes a plan exactly at each limit and pauses one over it', () => {
    // maxSuspensions 25: 25 passes, 26 pauses (1000 imported users keep the percentages quiet).
    assert.deepEqual(safeguardBreaches(plan({ suspended: 25 }, 1000), rules), []);
    assert.deepEqual(safeguardBreaches(plan({ suspended: 26 }, 1000), rules), [
      'would suspend 26 users (more than 25)',
    ]);
    // maxSuspensionsPercent 10: 10 of 100 passes, 11 pauses.
    assert.deepEqual(safeguardBreaches(plan({ suspended: 10 }, 100), rules), []);
    assert.deepEqual(safeguardBreaches(plan({ suspended: 11 }, 100), rules), [
      'would suspend 11% of 100 imported users (more than 10%)',
    ]);
    // maxChangesPercent 30: 30 of 100 passes, 31 pauses.
    assert.deepEqual(safeguardBreaches(plan({ updated: 30 }, 100), rules), []);
    assert.deepEqual(safeguardBreaches(plan({ updated: 31 }, 100), rules), [
      'would change 31% of 100 imported users (more than 30%)',
    ]);
    // minimumImportedUsers 20: at 19 the percentages are off, at exactly 20 they apply.
    assert.deepEqual(safeguardBreaches(plan({ suspended: 3 }, 19), rules), []);
    assert.equal(safeguardBreaches(plan({ suspended: 3 }, 20), rules).length, 1);
  });

  it('applies the percentages only from minimumImportedUsers on', () => {
    assert.deepEqual(safeguardBreaches(plan({ suspended: 3 }, 10), rules), []);
    assert.deepEqual(safeguardBreaches(plan({ suspended: 3 }, 20), rules), [
      'would suspend 15% of 20 imported users (more than 10%)',
    ]);
  });

  it('treats null rules as off, and no safeguards at all as never pausing', () => {
    const off = { ...rules, maxSuspensions: null, maxSuspensionsPercent: null, maxChangesPercent: null };
    assert.deepEqual(safeguardBreaches(plan({ suspended: 90 }, 100), off), []);
    assert.deepEqual(safeguardBreaches(plan({ suspended: 90 }, 100), null), []);
  });
});
