/**
 * Changes in Personio between imports reach JumpCloud: a new hire, a department move, an
 * email change, a name change, a termination, and a rehire with and without reactivation.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startImportEnv } from '../helpers/import-env.js';

interface StateUser extends Record<string, unknown> {
  _id: string;
  username: string;
  email: string;
  state: string;
  employeeIdentifier?: string;
}

async function userFor(url: string, personioId: number): Promise<StateUser | undefined> {
  const state = (await (await fetch(`${url}/_sandbox/state`)).json()) as { users: StateUser[] };
  return state.users.find((u) => u.employeeIdentifier === String(personioId));
}

const input = { notify: { when: 'never' as const } };

test('changed employees are applied: hire, move, email, name, termination, rehire', async (t) => {
  const env = await startImportEnv(t, { personio: { employees: 40, seed: 5 } });
  await env.runImport(input);

  // Pick active employees to change.
  const active: number[] = [];
  for (let id = 1001; id <= 1040; id++) if (env.personio.data.get(id)?.status === 'active') active.push(id);
  const [mover, renamed, emailChanged, leaver] = active;
  assert.ok(mover && renamed && emailChanged && leaver);
  const before = {
    mover: (await userFor(env.jumpcloud.url, mover))!,
    emailChanged: (await userFor(env.jumpcloud.url, emailChanged))!,
  };

  const hire = env.personio.data.hire({
    firstName: 'Zoë',
    lastName: "O'Neill-Łukasiewicz",
    email: 'zoe.oneill@acme.example.com',
    status: 'onboarding',
  });
  env.personio.data.moveDepartment(mover, 'Research Lab');
  env.personio.data.changeName(renamed, 'Renée', 'Dubois-Ünal');
  env.personio.data.changeEmail(emailChanged, 'New.Address@Acme.Example.com');
  env.personio.data.setStatus(leaver, 'inactive');

  const writesBefore = env.jumpcloud.stats.snapshot().writes;
  const { report } = await env.runImport(input);
  assert.equal(report.counts.created, 1, 'the new hire');
  assert.equal(report.counts.updated, 3, 'mover, renamed, email change');
  assert.equal(report.counts.suspended, 1, 'the leaver');

  const hired = (await userFor(env.jumpcloud.url, hire.id))!;
  assert.equal(hired.state, 'STAGED');
  assert.equal(hired.firstname, 'Zoë');
  assert.equal(hired.email, 'zoe.oneill@acme.example.com');
  assert.equal(hired.username, 'zoe.oneill');

  const moved = (await userFor(env.jumpcloud.url, mover))!;
  assert.equal(moved.department, 'Research Lab');
  assert.equal(moved._id, before.mover._id);

  const named = (await userFor(env.jumpcloud.url, renamed))!;
  assert.deepEqual(
    [named.firstname, named.lastname, named.displayname],
    ['Renée', 'Dubois-Ünal', 'Renée Dubois-Ünal'],
  );

  const emailed = (await userFor(env.jumpcloud.url, emailChanged))!;
  assert.equal(emailed._id, before.emailChanged._id, 'same user, matched by employeeIdentifier');
  assert.equal(emailed.email, 'new.address@acme.example.com');
  assert.equal(emailed.username, before.emailChanged.username, 'username never changes');

  assert.equal((await userFor(env.jumpcloud.url, leaver))!.state, 'SUSPENDED');
  const writes = env.jumpcloud.stats.snapshot().writes;
  assert.equal((writes.usersCreated ?? 0) - (writesBefore.usersCreated ?? 0), 1);
  assert.equal((writes.usersSuspended ?? 0) - (writesBefore.usersSuspended ?? 0), 1);

  // Rehire without reactivation allowed: stays suspended, reported as needing an admin.
  env.personio.data.rehire(leaver);
  const held = await env.runImport(input);
  assert.equal((await userFor(env.jumpcloud.url, leaver))!.state, 'SUSPENDED');
  assert.ok(
    held.report.problems.some(
      (p) => p.personioId === leaver && /reactivation not allowed \(needs an admin\)/.test(p.reason ?? ''),
    ),
  );

  // With reactivation allowed: back to ACTIVATED.
  const back = await env.runImport({ ...input, allowReactivation: true });
  assert.equal(back.report.counts.reactivated, 1);
  assert.equal((await userFor(env.jumpcloud.url, leaver))!.state, 'ACTIVATED');
});

test('an existing JumpCloud user with the same email is adopted, not duplicated', async (t) => {
  const env = await startImportEnv(t, { personio: { employees: 10, seed: 3 } });
  const record = env.personio.data.get(1001)!;
  env.jumpcloud.seedUsers([
    { username: 'preexisting.user', email: record.email!.toUpperCase(), firstname: 'Old', lastname: 'Name' },
  ]);
  const { report } = await env.runImport(input);
  const user = (await userFor(env.jumpcloud.url, 1001))!;
  assert.equal(user.username, 'preexisting.user', 'kept its username');
  assert.equal(user.firstname, record.firstName);
  const state = (await (await fetch(`${env.jumpcloud.url}/_sandbox/state`)).json()) as { users: unknown[] };
  assert.equal(state.users.length, report.counts.created + 1);
});
