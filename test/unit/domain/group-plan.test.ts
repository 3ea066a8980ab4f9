// The groups an import keeps and the rules its pages apply with them: department groups only
// when asked, names from the pattern, and ids named so a plan reads as group names.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupPlanOf, groupRules } from '../../../domain/group-plan.js';
import { parseImportInput, type ImportInput } from '../../../domain/import-input.js';

function input(groups: Record<string, unknown>): ImportInput {
  const parsed = parseImportInput({ groups });
  assert.ok(parsed.ok, 'a valid input');
  return parsed.input;
}
const scan = { departments: ['Sales', 'Customer Support'] };

describe('groupPlanOf', () => {
  it('everyone’s group, and one per department only when asked', () => {
    assert.deepEqual(groupPlanOf(input({}), scan), {
      allEmployeesGroup: 'Personio Import',
      departmentGroups: [],
    });
    assert.deepEqual(groupPlanOf(input({ allEmployeesGroup: null, perDepartment: true }), scan), {
      allEmployeesGroup: null,
      departmentGroups: [
        { department: 'Sales', groupName: 'Personio - Sales' },
        { department: 'Customer Support', groupName: 'Personio - Customer Support' },
      ],
    });
    const pattern = input({ perDepartment: true, departmentGroupPattern: 'Team {department}' });
    assert.deepEqual(
      groupPlanOf(pattern, scan).departmentGroups.map((g) => g.groupName),
      ['Team Sales', 'Team Customer Support'],
    );
  });
});

describe('groupRules', () => {
  const ids = { allEmployeesGroupId: 'g-all', departmentGroupIds: { sales: 'g-sales' } };

  it('names each group the import has an id for; the pattern only with department groups', () => {
    const perDepartment = input({ perDepartment: true, removeLeavers: true });
    assert.deepEqual(groupRules(perDepartment, ids, groupPlanOf(perDepartment, scan)), {
      allEmployeesGroupId: 'g-all',
      departmentGroupIds: { sales: 'g-sales' },
      departmentGroupPattern: 'Personio - {department}',
      removeLeavers: true,
      // Customer Support has no group id (not created, say): it is not named.
      groupNames: { 'g-all': 'Personio Import', 'g-sales': 'Personio - Sales' },
    });
    const plain = input({});
    assert.deepEqual(groupRules(plain, ids, groupPlanOf(plain, scan)), {
      allEmployeesGroupId: 'g-all',
      departmentGroupIds: { sales: 'g-sales' },
      departmentGroupPattern: null,
      removeLeavers: false,
      groupNames: { 'g-all': 'Personio Import' },
    });
  });

  it('names no all-employees group without its id or without one in the plan', () => {
    const plain = input({});
    const noId = { ...ids, allEmployeesGroupId: null };
    assert.deepEqual(groupRules(plain, noId, groupPlanOf(plain, scan)).groupNames, {});
    const none = input({ allEmployeesGroup: null });
    assert.deepEqual(groupRules(none, ids, groupPlanOf(none, scan)).groupNames, {});
  });
});
