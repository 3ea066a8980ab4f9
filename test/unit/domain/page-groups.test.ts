// Which of the import's groups a user joins and leaves: movers leave the old department's
// group (by id, or by name when that department is gone), leavers leave all of the import's
// groups only when asked, and nobody leaves a group the import does not own.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupNameForDepartment } from '../../../domain/import-input.js';
import { groupIdsFor, groupsToLeave, type GroupRules } from '../../../domain/page-groups.js';

const rules: GroupRules = {
  allEmployeesGroupId: 'all',
  departmentGroupIds: { sales: 'g-sales', 'research lab': 'g-research' },
  departmentGroupPattern: 'Personio - {department}',
  removeLeavers: false,
  groupNames: {},
};
const leave = (
  change: { outcome: string; leftDepartment: string | null; userDepartment: string | null },
  department: string | null,
  over: Partial<GroupRules> = {},
) => groupsToLeave(change, { department }, { ...rules, ...over }, groupNameForDepartment);

describe('groups', () => {
  it('joins the all-employees group and the department group', () => {
    assert.deepEqual(groupIdsFor({ department: 'Sales' }, rules), ['all', 'g-sales']);
    assert.deepEqual(groupIdsFor({ department: null }, rules), ['all']);
  });

  it('joins no group the import does not have', () => {
    assert.deepEqual(groupIdsFor({ department: 'Sales' }, { ...rules, allEmployeesGroupId: null }), [
      'g-sales',
    ]);
    assert.deepEqual(groupIdsFor({ department: 'Old Team' }, rules), ['all']);
    assert.deepEqual(groupIdsFor({ department: 'Old Team' }, { ...rules, allEmployeesGroupId: null }), []);
  });

  it('a mover leaves the old department group only', () => {
    const change = { outcome: 'updated', leftDepartment: 'Sales', userDepartment: 'Sales' };
    assert.deepEqual(leave(change, 'Research Lab'), { ids: ['g-sales'], names: [] });
  });

  it('a mover from a department gone from Personio leaves its group by name', () => {
    const change = { outcome: 'updated', leftDepartment: 'Old Team', userDepartment: 'Old Team' };
    assert.deepEqual(leave(change, 'Sales'), { ids: [], names: ['Personio - Old Team'] });
  });

  it('without department groups, a mover leaves nothing', () => {
    const change = { outcome: 'updated', leftDepartment: 'Sales', userDepartment: 'Sales' };
    assert.deepEqual(leave(change, 'Research Lab', { departmentGroupPattern: null }), { ids: [], names: [] });
  });

  it('a leaver keeps their groups unless removeLeavers, then leaves all of the import’s', () => {
    const change = { outcome: 'suspended', leftDepartment: null, userDepartment: 'Sales' };
    assert.deepEqual(leave(change, 'Sales'), { ids: [], names: [] });
    assert.deepEqual(leave(change, 'Sales', { removeLeavers: true }), { ids: ['all', 'g-sales'], names: [] });
  });

  it('a leaver who also moved leaves both department groups; one without a department, only the all-employees group', () => {
    const removeLeavers = { removeLeavers: true };
    const moved = { outcome: 'suspended', leftDepartment: 'Research Lab', userDepartment: 'Sales' };
    assert.deepEqual(leave(moved, 'Sales', removeLeavers), {
      ids: ['all', 'g-sales', 'g-research'],
      names: [],
    });
    for (const userDepartment of [null, '', '  ']) {
      const change = { outcome: 'suspended', leftDepartment: null, userDepartment };
      assert.deepEqual(leave(change, null, removeLeavers), { ids: ['all'], names: [] }, `${userDepartment}`);
    }
    const noAllGroup = { ...removeLeavers, allEmployeesGroupId: null };
    const change = { outcome: 'suspended', leftDepartment: null, userDepartment: 'Sales' };
    assert.deepEqual(leave(change, 'Sales', noAllGroup), { ids: ['g-sales'], names: [] });
  });

  it('an employee who stays stays in every group', () => {
    const change = { outcome: 'updated', leftDepartment: null, userDepartment: 'Sales' };
    assert.deepEqual(leave(change, 'Sales', { removeLeavers: true }), { ids: [], names: [] });
  });
});
