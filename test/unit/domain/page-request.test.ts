// One shape for what a page is asked: a plan only reads and carries what its manager changes
// need; an apply carries the page's rules; each employee's stage request carries only that
// employee's answers (held back, id-suffixed username, groups, known absent).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseImportInput, type ImportInput } from '../../../domain/import-input.js';
import type { GroupRules } from '../../../domain/page-groups.js';
import { pageRequest, stageRequests } from '../../../domain/page-request.js';
import { employee } from './employee-fixture.js';

function input(raw: Record<string, unknown> = {}): ImportInput {
  const parsed = parseImportInput({ pageSize: 50, ...raw });
  assert.ok(parsed.ok, JSON.stringify(parsed));
  return parsed.input;
}
const scan = {
  heldBack: [{ personioId: 2, reason: 'email shared with 3' }],
  idSuffixedUsernames: [3],
  supervisorCycle: [4],
  supervisorsNotImported: [9],
};
const groups = { allEmployeesGroupId: 'all', departmentGroupIds: { sales: 'g-sales' } };
const rules: GroupRules = {
  ...groups,
  departmentGroupPattern: 'Personio - {department}',
  removeLeavers: true,
  groupNames: { all: 'Everyone', 'g-sales': 'Personio - Sales' },
};

describe('pageRequest', () => {
  it('a plan only reads and gets the supervisor facts; an apply gets neither', () => {
    const plan = pageRequest(input(), scan, rules, { offset: 100, groupRules: rules, mode: 'plan' });
    assert.equal(plan.dryRun, true);
    assert.equal(plan.mode, 'plan');
    assert.deepEqual(plan.supervisorCycle, [4]);
    assert.deepEqual(plan.supervisorsNotImported, [9]);
    assert.equal(plan.limit, 50);
    assert.equal(plan.offset, 100);

    const apply = pageRequest(input(), scan, groups, { offset: 0, groupRules: rules });
    assert.equal(apply.dryRun, false);
    assert.equal(apply.mode, undefined);
    assert.equal(apply.supervisorCycle, undefined);
    assert.deepEqual(apply.groupRules, rules);
  });

  it('a delta run reads only what changed; activation on the hire date travels with it', () => {
    const request = pageRequest(
      input({ activation: { onHireDate: true, localTime: '07:00', timeZone: 'Europe/Berlin' } }),
      scan,
      groups,
      { offset: 0, updatedSince: '2026-01-01T00:00:00Z' },
    );
    assert.equal(request.updatedSince, '2026-01-01T00:00:00Z');
    assert.deepEqual(request.activation, { localTime: '07:00', timeZone: 'Europe/Berlin' });
    assert.equal('updatedSince' in pageRequest(input(), scan, groups, { offset: 0 }), false);
  });
});

describe('stageRequests', () => {
  it("narrows the page's request to each employee's own answers", () => {
    const request = pageRequest(input(), scan, groups, { offset: 0, groupRules: rules });
    const employees = [1, 2, 3].map((personioId) => employee({ personioId, department: 'Sales' }));
    const [one, two, three] = stageRequests(request, employees, [1]);
    assert.equal(one!.knownAbsent, true);
    assert.equal(two!.heldBackReason, 'email shared with 3');
    assert.equal(three!.idSuffixedUsername, true);
    assert.equal(three!.knownAbsent, undefined);
    assert.deepEqual(one!.groupIds, ['all', 'g-sales']);
    assert.deepEqual(one!.groupRules, rules);
    // The directory-wide lists stay on the page: each employee's activity is small.
    assert.equal('heldBack' in one!, false);
    assert.equal('idSuffixedUsernames' in one!, false);
  });
});
