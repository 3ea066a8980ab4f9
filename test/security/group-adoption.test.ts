/**
 * Point 1 of issue 14, "an existing group outside the policy's groups is never adopted, it is
 * reported": JumpCloud groups made by hand whose names the import's own names collide with
 * (the all-employees group, and a Personio department named so its group lands on an admin
 * group) are not joined, not left and not changed; the real CLI reports each with the fix.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { SANDBOX_JUMPCLOUD_API_KEY } from '../../sandbox/jumpcloud/server.js';
import { IMPORT_GROUP_DESCRIPTION } from '../../domain/group-ownership.js';
import { startSecurityEnv, type SecurityEnv } from '../helpers/security-env.js';

interface State {
  users: { _id: string; employeeIdentifier?: string }[];
  groups: { id: string; name: string; description: string; members: string[] }[];
}

describe('existing groups the import did not make', () => {
  let env: SecurityEnv;
  let runs = 0;
  const state = async () => (await (await fetch(`${env.jumpcloud.url}/_sandbox/state`)).json()) as State;
  const group = async (name: string) => (await state()).groups.find((g) => g.name === name)!;
  const importWith = (input: unknown, ...flags: string[]) =>
    env.cli([
      'import',
      '--id',
      `${env.taskQueue}-${++runs}`,
      '--input',
      env.file(`input-${runs}.json`, JSON.stringify(input)),
      ...flags,
    ]);
  const input = { groups: { perDepartment: true }, safeguards: null, notify: { when: 'never' } };
  let insider = 0;

  before(async () => {
    env = await startSecurityEnv('group-adoption', {
      workerEnv: (dir) => {
        writeFileSync(`${dir}/policy.json`, JSON.stringify({ safeguards: null }));
        return { IMPORT_POLICY_FILE: `${dir}/policy.json` };
      },
    });
    // Someone in Personio names a department so that its group is the admins' group.
    for (let id = 1001; !insider; id++) {
      const e = env.personio.data.get(id)!;
      if (e.status === 'active' && e.email) insider = id;
    }
    env.personio.data.moveDepartment(insider, 'Admins');
    const seeded = await fetch(`${env.jumpcloud.url}/_sandbox/groups`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { name: 'Personio - Admins', description: 'sudo on every server' },
        { name: 'Personio Import' },
      ]),
    });
    assert.equal(seeded.status, 200, await seeded.text());
  });
  after(() => env?.close());

  it('a preview reports them with the fix and writes nothing', async () => {
    const writesBefore = env.jumpcloud.stats.snapshot().writes;
    const { code, out } = await importWith({ ...input, dryRun: true }, '--plan-output', `${env.dir}/plan`);
    assert.equal(code, 0, out);
    assert.match(
      out,
      /group not used: group "Personio - Admins" already exists in JumpCloud and was not created by this import/,
    );
    assert.match(out, /group not used: group "Personio Import" already exists/);
    assert.match(
      out,
      /Fix: choose another name \(groups\.allEmployeesGroup or groups\.departmentGroupPattern\)/,
    );
    assert.deepEqual(env.jumpcloud.stats.snapshot().writes, writesBefore);
  });

  it('an import joins nobody to them, reports them, and creates and fills its own groups', async () => {
    const { code, out } = await importWith(input);
    assert.equal(code, 0, out);
    assert.match(out, /group not used: group "Personio - Admins" already exists in JumpCloud/);
    assert.match(out, /group not used: group "Personio Import" already exists in JumpCloud/);
    assert.match(out, new RegExp(`set its description in JumpCloud to "${IMPORT_GROUP_DESCRIPTION}"`));
    assert.deepEqual((await group('Personio - Admins')).members, [], 'nobody joined the admins’ group');
    assert.deepEqual((await group('Personio Import')).members, [], 'nobody joined the hand-made group');
    const own = (await state()).groups.filter((g) => g.description === IMPORT_GROUP_DESCRIPTION);
    assert.ok(own.length > 1, 'the other department groups were created');
    assert.ok(
      own.every((g) => g.members.length > 0),
      'and filled',
    );
    assert.doesNotMatch(out, /\n\s+at /, 'no stack trace');
  });

  it('a mover out of that department never leaves a group the import did not make', async () => {
    const { users } = await state();
    const user = users.find((u) => u.employeeIdentifier === String(insider))!;
    const admins = await group('Personio - Admins');
    // An administrator puts the user into the admins' group by hand.
    const added = await fetch(`${env.jumpcloud.url}/api/v2/usergroups/${admins.id}/members`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': SANDBOX_JUMPCLOUD_API_KEY },
      body: JSON.stringify({ op: 'add', type: 'user', id: user._id }),
    });
    assert.equal(added.status, 204);
    // The department goes away in Personio: the import looks for its group by name.
    env.personio.data.moveDepartment(insider, 'Engineering');
    const { code, out } = await importWith(input);
    assert.equal(code, 0, out);
    assert.deepEqual(
      (await group('Personio - Admins')).members,
      [user._id],
      'the hand-made membership stays',
    );
  });
});
