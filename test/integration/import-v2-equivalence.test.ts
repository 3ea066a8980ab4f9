/**
 * PERSONIO_API_VERSION=v2 gives the same JumpCloud as v1: two sandbox pairs with the same
 * seeded, dirty company (and the same changes made to it), one real worker reading v1 and one
 * reading v2, each import started with the real CLI; afterwards every user's fields, state,
 * manager and group memberships are compared.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { createJumpCloudSandbox } from '../../sandbox/jumpcloud/server.js';
import {
  createPersonioSandbox,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  type PersonioSandbox,
} from '../../sandbox/personio/server.js';
import { SANDBOX_JUMPCLOUD_API_KEY } from '../../sandbox/jumpcloud/server.js';
import { taskQueueFor, testTemporal } from '../helpers/temporal.js';
import { runProject } from '../helpers/worker-process.js';

interface StateUser extends Record<string, unknown> {
  _id: string;
  employeeIdentifier?: string;
  state: string;
  manager?: string | null;
}
interface DirectoryState {
  users: StateUser[];
  groups: { id: string; name: string; members: string[] }[];
}

/** The same company in both sandboxes, with the same changes on top of the dirty records. */
function company(): PersonioSandbox {
  const personio = createPersonioSandbox({ employees: 140, seed: 23, dirty: true });
  personio.data.moveDepartment(1020, 'Finance');
  personio.data.terminate(1021, '2020-01-31');
  personio.data.setStatus(1022, 'leave');
  personio.data.setSupervisor(1023, 1030);
  personio.data.changeName(1024, 'Zoë', 'Ünal-Öztürk');
  return personio;
}

/** Users keyed by Personio id, with the manager and groups by Personio id instead of JumpCloud ids. */
function comparable(state: DirectoryState) {
  const personioOf = new Map(state.users.map((u) => [u._id, u.employeeIdentifier ?? `?${u._id}`]));
  const groupsOf = new Map<string, string[]>();
  for (const g of state.groups)
    for (const member of g.members) groupsOf.set(member, [...(groupsOf.get(member) ?? []), g.name]);
  const users = new Map<string, Record<string, unknown>>();
  for (const u of state.users) {
    // JumpCloud's own ids, creation time and uid numbers depend on the order users were created.
    const { _id, id: _ignored, created: _created, unix_uid: _uid, unix_guid: _gid, manager, ...fields } = u;
    users.set(u.employeeIdentifier ?? `?${_id}`, {
      ...fields,
      manager: manager ? (personioOf.get(manager) ?? 'unknown') : null,
      groups: (groupsOf.get(_id) ?? []).sort(),
    });
  }
  return users;
}

test('a v1 and a v2 import of the same dirty company leave the same JumpCloud', async (t) => {
  const { address } = await testTemporal();
  const payloadKey = randomBytes(32).toString('base64');
  const results: DirectoryState[] = [];
  for (const version of ['v1', 'v2'] as const) {
    const personio = company();
    const jumpcloud = createJumpCloudSandbox();
    await personio.listen(0);
    await jumpcloud.listen(0);
    t.after(async () => {
      await personio.close();
      await jumpcloud.close();
    });
    const common = {
      TEMPORAL_ADDRESS: address,
      TEMPORAL_TASK_QUEUE: taskQueueFor(`import-equivalence-${version}`),
      PAYLOAD_KEYS: `test:${payloadKey}`,
    };
    const worker = runProject('worker/main.ts', [], {
      ...common,
      PERSONIO_API_VERSION: version,
      PERSONIO_BASE_URL: personio.url,
      PERSONIO_CLIENT_ID: SANDBOX_CLIENT_ID,
      PERSONIO_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
      JUMPCLOUD_BASE_URL: jumpcloud.url,
      JUMPCLOUD_API_KEY: SANDBOX_JUMPCLOUD_API_KEY,
    });
    t.after(() => worker.stop().then(() => undefined));
    await worker.waitFor(/worker started/);
    const cli = runProject(
      'client/cli.ts',
      ['import', '--page-size', '30', '--per-department-groups'],
      common,
    );
    assert.equal(await cli.exited, 0, cli.output.join('\n'));
    const requests = Object.keys(personio.stats.snapshot().requests);
    assert.ok(
      requests.some((r) => r.includes(`/${version}/`)),
      `read through ${version}: ${requests.join(', ')}`,
    );
    if (version === 'v2') assert.ok(!requests.some((r) => r.includes('/v1/')), 'v2 reads no v1 endpoint');
    results.push((await (await fetch(`${jumpcloud.url}/_sandbox/state`)).json()) as DirectoryState);
    await worker.stop();
  }
  const [v1, v2] = results.map(comparable) as [
    Map<string, Record<string, unknown>>,
    Map<string, Record<string, unknown>>,
  ];
  assert.ok(v1.size > 100, `v1 created ${v1.size} users`);
  assert.deepEqual([...v2.keys()].sort(), [...v1.keys()].sort(), 'the same people');
  for (const [id, user] of v1) assert.deepEqual(v2.get(id), user, `user for Personio id ${id}`);
  assert.deepEqual(
    results[1]!.groups.map((g) => g.name).sort(),
    results[0]!.groups.map((g) => g.name).sort(),
    'the same groups',
  );
});
