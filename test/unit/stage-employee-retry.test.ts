// A retry of stageEmployee reports what the import did, even when the attempt before it was
// killed right after its create and its heartbeat (the plan) never reached the server: the
// page's lookup, moments before the first attempt, is the witness that the user was absent.
// (The chaos test saw 220 "created" for 223 new users after three worker kills.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { JumpCloudClient } from '../../clients/jumpcloud.js';
import { createStageActivities } from '../../activities/stage-employee.js';
import type { StageRequest } from '../../domain/page-request.js';
import type { EmployeeResult } from '../../domain/outcomes.js';
import { createJumpCloudSandbox, SANDBOX_JUMPCLOUD_API_KEY } from '../../sandbox/jumpcloud/server.js';
import { employee } from './domain/employee-fixture.js';

describe('stageEmployee on a retry', () => {
  const sandbox = createJumpCloudSandbox();
  let jumpcloud: JumpCloudClient;
  let groupId: string;
  before(async () => {
    await sandbox.listen(0);
    jumpcloud = new JumpCloudClient({ baseUrl: sandbox.url, apiKey: SANDBOX_JUMPCLOUD_API_KEY });
    groupId = (await jumpcloud.ensureGroup('Personio Import', 'made by the import')).group.id;
  });
  after(() => sandbox.close());

  function request(personioId: number, knownAbsent: boolean): StageRequest {
    return {
      employee: employee({ personioId, email: `e${personioId}@example.com`, supervisorId: null }),
      idSuffixedUsername: false,
      groupIds: [groupId],
      createState: 'STAGED',
      allowReactivation: false,
      dryRun: false,
      groupRules: {
        allEmployeesGroupId: groupId,
        departmentGroupIds: {},
        departmentGroupPattern: 'Personio - {department}',
        removeLeavers: false,
        groupNames: { [groupId]: 'Personio Import' },
      },
      ...(knownAbsent ? { knownAbsent: true } : {}),
    };
  }
  const attempt = (n: number, stage: StageRequest, heartbeatDetails?: unknown) =>
    new MockActivityEnvironment({ attempt: n, heartbeatDetails }).run((): Promise<EmployeeResult> =>
      createStageActivities({ jumpcloud }).stageEmployee(stage),
    );
  const usersWith = async (personioId: number) =>
    (await jumpcloud.findUser('employeeIdentifier', String(personioId))) ? 1 : 0;

  it('the page saw no user and a retry finds ours: created, with its username and groups', async () => {
    const first = await attempt(1, request(2001, true));
    assert.equal(first.outcome, 'created');
    // The first attempt's result was lost with its worker (no heartbeat either): the retry.
    const retry = await attempt(2, request(2001, true));
    assert.equal(retry.outcome, 'created');
    assert.equal(retry.jumpcloudUserId, first.jumpcloudUserId);
    assert.equal(retry.username, first.username);
    assert.deepEqual(retry.changedFields, first.changedFields);
    assert.deepEqual(retry.groupsJoined, ['Personio Import']);
    assert.equal(await usersWith(2001), 1, 'created once');
  });

  it('a retry of an employee the page found already imported stays unchanged', async () => {
    await attempt(1, request(2002, true));
    const retry = await attempt(2, request(2002, false));
    assert.equal(retry.outcome, 'unchanged');
  });

  it('the heartbeat, when it arrived, still decides', async () => {
    await attempt(1, request(2003, false));
    const retry = await attempt(3, request(2003, true), { outcome: 'updated', changedFields: ['jobTitle'] });
    assert.equal(retry.outcome, 'updated');
    assert.deepEqual(retry.changedFields, ['jobTitle']);
  });
});
