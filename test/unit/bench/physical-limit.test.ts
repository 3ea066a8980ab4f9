import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { physicalLimit, secondsUnderRules } from '../../../bench/physical-limit.js';

describe('the physical limit of a run', () => {
  it("Personio's documented rules: a burst of 15, then 15 a second, then the minute's 300", () => {
    assert.equal(secondsUnderRules(1, [{ limit: 15, windowMs: 1000 }]), 0);
    assert.equal(secondsUnderRules(15, [{ limit: 15, windowMs: 1000 }]), 0, 'the burst goes at once');
    assert.equal(secondsUnderRules(16, [{ limit: 15, windowMs: 1000 }]), 1);
    const documented = [
      { limit: 15, windowMs: 1000 },
      { limit: 300, windowMs: 60_000 },
    ];
    // 300 in 20 s (15 a second), the 301st when the first is a minute old.
    assert.equal(secondsUnderRules(300, documented), 19);
    assert.equal(secondsUnderRules(301, documented), 60);
    // 20,000 employees in pages of 100: 200 reads.
    assert.ok(Math.abs(secondsUnderRules(200, documented) - 13) < 1e-9);
  });

  it('the larger of the two APIs; JumpCloud needs the writes and one listing of what it held', () => {
    const first = physicalLimit(
      { personioPages: 200, jumpcloudWrites: 60_000, jumpcloudUsersAtStart: 0 },
      50,
    );
    assert.deepEqual(first.needed, { personio: 200, jumpcloud: 60_001 });
    assert.equal(first.jumpcloudSeconds, 60_001 / 50);
    assert.equal(first.seconds, first.jumpcloudSeconds);
    const rerun = physicalLimit(
      { personioPages: 200, jumpcloudWrites: 0, jumpcloudUsersAtStart: 19_000 },
      50,
    );
    assert.equal(rerun.needed.jumpcloud, 190);
    assert.equal(rerun.seconds, Math.max(13, 190 / 50));
    const unlimited = physicalLimit(
      { personioPages: 10, jumpcloudWrites: 500, jumpcloudUsersAtStart: 0 },
      null,
    );
    assert.equal(unlimited.jumpcloudSeconds, 0);
  });

  it('Personio v2: the listing (50 a request) and the employments, each from its own bucket of 100 at 30/s', () => {
    const first = physicalLimit(
      {
        personioPages: 0,
        jumpcloudWrites: 0,
        jumpcloudUsersAtStart: 0,
        personioV2: { persons: 2_000, employmentReads: 2_000 },
      },
      null,
    );
    assert.deepEqual(first.needed.personio, 40 + 2_000);
    assert.equal(first.personioSeconds, (2_000 - 100) / 30, 'the employments set the pace');
    const rerun = physicalLimit(
      {
        personioPages: 0,
        jumpcloudWrites: 0,
        jumpcloudUsersAtStart: 2_000,
        personioV2: { persons: 2_000, employmentReads: 0 },
      },
      50,
    );
    assert.equal(rerun.personioSeconds, 0, '40 listing requests fit the bucket');
    assert.equal(rerun.seconds, 20 / 50);
  });
});
