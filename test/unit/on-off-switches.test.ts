/**
 * Every on/off switch reads the same words (on, off, any case; unset for the default) and
 * answers a wrong one with the same line: the variable, the fix, an example.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadApprovalSettings } from '../../config/approver-keys.js';
import { ConfigError } from '../../config/config-error.js';
import { loadWorkerTuning } from '../../config/env.js';

const switches = [
  {
    name: 'APPROVAL_FOUR_EYES',
    read: (v: string) => loadApprovalSettings({ APPROVAL_FOUR_EYES: v }).fourEyes,
  },
  {
    name: 'PERSONIO_SHARED_BUDGET',
    read: (v: string) => loadWorkerTuning({ PERSONIO_SHARED_BUDGET: v }).personioSharedBudget,
  },
];

for (const { name, read } of switches) {
  test(`${name}: on, off, any case; empty means the default (on)`, () => {
    assert.equal(read('on'), true);
    assert.equal(read(' OFF '), false);
    assert.equal(read(''), true);
  });

  test(`${name}: a wrong word is one line naming the variable and the fix`, () => {
    assert.throws(
      () => read('yes'),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.deepEqual(err.problems, [`${name} must be on or off, e.g. ${name}=on; got "yes"`]);
        return true;
      },
    );
  });
}
