/**
 * Which existing JumpCloud groups the import adopts (domain/group-ownership.ts) and the groups
 * activity that applies it: a group the import did not make, or a name outside the worker's
 * policy (an input that got past the input check, or a direct activity call), is never
 * created, joined or returned; it is reported with the fix.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { JumpCloudClient } from '../../../clients/jumpcloud.js';
import { createGroupActivities, type EnsuredGroups } from '../../../activities/groups.js';
import {
  allEmployeesGroupAllowed,
  departmentGroupAllowed,
  IMPORT_GROUP_DESCRIPTION,
  madeByImport,
  notMadeByImport,
} from '../../../domain/group-ownership.js';
import { groupNameForDepartment } from '../../../domain/import-input.js';
import { STRICT_POLICY, type ImportPolicy } from '../../../domain/import-policy.js';

describe('group ownership rules', () => {
  it('a group is the import’s only with the description the import writes', () => {
    assert.equal(madeByImport({ description: IMPORT_GROUP_DESCRIPTION }), true);
    assert.equal(madeByImport({ description: ` ${IMPORT_GROUP_DESCRIPTION}\n` }), true);
    for (const description of [
      undefined,
      null,
      '',
      'sudo on every server',
      `${IMPORT_GROUP_DESCRIPTION}!`,
      42,
    ])
      assert.equal(madeByImport({ description }), false, String(description));
  });

  it('the policy’s names and patterns, compared ignoring case', () => {
    assert.equal(allEmployeesGroupAllowed('personio import', STRICT_POLICY), true);
    assert.equal(allEmployeesGroupAllowed('Administrators', STRICT_POLICY), false);
    const allowed = (name: string, department: string, policy: ImportPolicy = STRICT_POLICY) =>
      departmentGroupAllowed(name, department, policy, groupNameForDepartment);
    assert.equal(allowed('Personio - Sales', 'Sales'), true);
    assert.equal(allowed('Administrators', 'Administrators'), false);
    assert.equal(
      allowed('Personio - Sales', 'Engineering'),
      false,
      'the name must come from that department',
    );
    const any = { ...STRICT_POLICY, groups: { allEmployeesGroups: ['*'], departmentGroupPatterns: ['*'] } };
    assert.equal(allowed('Administrators', 'Administrators', any), true);
  });

  it('any one of several allowed names or patterns is enough', () => {
    const two = {
      ...STRICT_POLICY,
      groups: {
        allEmployeesGroups: ['Personio Import', 'Staff'],
        departmentGroupPatterns: ['Personio - {department}', 'Team {department}'],
      },
    };
    assert.equal(allEmployeesGroupAllowed('staff', two), true);
    assert.equal(allEmployeesGroupAllowed('Personio Import', two), true);
    assert.equal(departmentGroupAllowed('Team Sales', 'Sales', two, groupNameForDepartment), true);
    assert.equal(departmentGroupAllowed('Personio - Sales', 'Sales', two, groupNameForDepartment), true);
  });

  it('a refused group says how to let the import manage it', () => {
    const { name, reason } = notMadeByImport('Staff');
    assert.equal(name, 'Staff');
    assert.match(reason, /^group "Staff" already exists in JumpCloud and was not created by this import/);
    assert.ok(reason.endsWith(`set its description in JumpCloud to "${IMPORT_GROUP_DESCRIPTION}"`), reason);
  });
});

describe('ensureGroups', () => {
  const groups = new Map<string, { id: string; name: string; description?: string }>([
    ['personio import', { id: 'g-hand', name: 'Personio Import' }],
    ['personio - admins', { id: 'g-admins', name: 'Personio - Admins', description: 'sudo on every server' }],
    ['personio - sales', { id: 'g-sales', name: 'Personio - Sales', description: IMPORT_GROUP_DESCRIPTION }],
  ]);
  const calls: string[] = [];
  const jumpcloud = {
    findGroup: async (name: string) => {
      calls.push(`find ${name}`);
      return groups.get(name.toLowerCase()) ?? null;
    },
    ensureGroup: async (name: string, description: string) => {
      calls.push(`ensure ${name}`);
      const found = groups.get(name.toLowerCase());
      if (found) return { group: found, created: false };
      const group = { id: `g-${groups.size}`, name, description };
      groups.set(name.toLowerCase(), group);
      return { group, created: true };
    },
  } as unknown as JumpCloudClient;
  const run = (
    plan: Parameters<ReturnType<typeof createGroupActivities>['ensureGroups']>[0],
    dryRun: boolean,
  ) =>
    new MockActivityEnvironment().run((): Promise<EnsuredGroups> =>
      createGroupActivities({ jumpcloud }).ensureGroups(plan, dryRun),
    );
  const plan = {
    allEmployeesGroup: 'Personio Import',
    departmentGroups: [
      { department: 'Admins', groupName: 'Personio - Admins' },
      { department: 'Sales', groupName: 'Personio - Sales' },
      { department: 'Support', groupName: 'Personio - Support' },
    ],
  };

  for (const dryRun of [true, false]) {
    it(`${dryRun ? 'previews' : 'applies'}: adopts its own groups, refuses the others with the fix`, async () => {
      const ensured = await run(plan, dryRun);
      assert.equal(ensured.allEmployeesGroupId, null);
      assert.equal(ensured.departmentGroupIds.sales, 'g-sales');
      assert.ok(ensured.departmentGroupIds.support, 'a missing group is (or would be) created');
      assert.equal(ensured.departmentGroupIds.admins, undefined);
      assert.deepEqual(ensured.created, ['Personio - Support']);
      assert.deepEqual(
        ensured.refused?.map((r) => r.name),
        ['Personio Import', 'Personio - Admins'],
      );
      assert.match(
        ensured.refused[1]!.reason,
        /already exists in JumpCloud and was not created by this import/,
      );
      assert.match(ensured.refused[1]!.reason, /Fix: choose another name/);
      if (!dryRun) groups.delete('personio - support');
    });
  }

  it('never creates or looks up a name outside the policy (an input that got past the check)', async () => {
    calls.length = 0;
    const ensured = await run(
      {
        allEmployeesGroup: 'Administrators',
        departmentGroups: [{ department: 'Ops', groupName: 'Domain Admins' }],
      },
      false,
    );
    assert.deepEqual(calls, [], 'JumpCloud was not asked');
    assert.equal(ensured.allEmployeesGroupId, null);
    assert.deepEqual(ensured.departmentGroupIds, {});
    assert.deepEqual(
      ensured.refused?.map((r) => r.name),
      ['Administrators', 'Domain Admins'],
    );
    assert.match(ensured.refused[0]!.reason, /not one the worker's import policy allows.*IMPORT_POLICY_FILE/);
  });
});
