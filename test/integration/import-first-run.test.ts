/**
 * A first import of a dirty directory leaves JumpCloud in exactly the expected state, the
 * report accounts for every employee once, and a second run writes nothing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectReport } from '../../client/report-command.js';
import { dirtyCases } from '../../sandbox/personio/generate.js';
import type { EmployeeRecord } from '../../sandbox/personio/model.js';
import { comparableUser, expectedUsers } from '../helpers/expected-directory.js';
import { startImportEnv } from '../helpers/import-env.js';

const EMPLOYEES = 160;
const CYCLE = new Set(dirtyCases.filter((c) => c.kind === 'supervisor-cycle').map((c) => c.id));

interface StateUser extends Record<string, unknown> {
  _id: string;
  username: string;
  state: string;
  employeeIdentifier?: string;
}
interface DirectoryState {
  users: StateUser[];
  groups: { id: string; name: string; members: string[] }[];
  applications: { _id: string; displayLabel: string; associations: { type: string; id: string }[] }[];
}

async function directoryState(url: string): Promise<DirectoryState> {
  return (await (await fetch(`${url}/_sandbox/state`)).json()) as DirectoryState;
}

test('a dirty-data import leaves JumpCloud exactly as expected and reports every employee once', async (t) => {
  const env = await startImportEnv(t, { personio: { employees: EMPLOYEES, seed: 11, dirty: true } });
  const { report, workflowId } = await env.runImport({
    pageSize: 25,
    groups: { perDepartment: true },
    notify: { when: 'never' },
  });

  const records: EmployeeRecord[] = [];
  for (let id = 1001; id < 1001 + EMPLOYEES; id++) records.push(env.personio.data.get(id)!);
  const expected = expectedUsers(records, CYCLE);
  const state = await directoryState(env.jumpcloud.url);

  // Users: exactly the expected ones, with the expected fields, STAGED, usernames by the rules.
  const personioIdByUserId = new Map(state.users.map((u) => [u._id, Number(u.employeeIdentifier)]));
  assert.equal(state.users.length, expected.size);
  for (const user of state.users) {
    const want = expected.get(Number(user.employeeIdentifier));
    assert.ok(want, `unexpected user for Personio id ${user.employeeIdentifier}`);
    assert.deepEqual(comparableUser(user, personioIdByUserId), want);
    assert.equal(user.state, 'STAGED');
    assert.match(user.username, /^[a-z][a-z0-9._-]{0,29}$/);
  }
  assert.equal(new Set(state.users.map((u) => u.username)).size, state.users.length, 'usernames are unique');

  // Report: every employee read exactly once; the dirty records with their reasons.
  const { rows } = await collectReport(env.client, workflowId);
  assert.deepEqual(
    rows.map((r) => r.personioId).sort((a, b) => a - b),
    records.map((r) => r.id),
  );
  const outcome = new Map(rows.map((r) => [r.personioId, r]));
  assert.match(outcome.get(1003)!.reason, /email missing/);
  assert.match(outcome.get(1004)!.reason, /email missing/);
  assert.match(outcome.get(1005)!.reason, /email invalid/);
  assert.match(outcome.get(1006)!.reason, /email invalid/);
  assert.match(outcome.get(1007)!.reason, /email shared with Personio employee 1008/);
  assert.match(outcome.get(1008)!.reason, /email shared with Personio employee 1007/);
  for (const id of [1009, 1010, 1011, 1012])
    assert.equal(outcome.get(id)!.outcome, 'created', `dirty shape ${id} still imports`);
  // 1013 → 1014 → 1013; 1014 is inactive (not imported), 1013 gets no manager and a note.
  assert.match(outcome.get(1013)!.managerNote, /supervisor cycle/);
  assert.equal(expected.get(1013)?.managerPersonioId, null);
  assert.equal(report.counts.created, expected.size);
  assert.equal(report.counts.skipped, EMPLOYEES - expected.size);
  assert.equal(report.counts.failed, 0);

  // Groups: one for everyone, one per department, each bound to the application.
  const all = state.groups.find((g) => g.name === 'Personio Import');
  assert.ok(all);
  assert.equal(all.members.length, expected.size);
  const departments = new Set([...expected.values()].map((u) => u.department).filter(Boolean));
  for (const department of departments) {
    const group = state.groups.find((g) => g.name === `Personio - ${department}`);
    assert.ok(group, `group for ${department}`);
    const want = [...expected.values()].filter((u) => u.department === department).length;
    assert.equal(group.members.length, want, `members of ${department}`);
  }
  const app = state.applications.find((a) => a.displayLabel === 'Personio Import')!;
  assert.deepEqual(new Set(app.associations.map((a) => a.id)), new Set(state.groups.map((g) => g.id)));

  // A second run with no changes writes nothing.
  const before = env.jumpcloud.stats.snapshot().writes;
  const second = await env.runImport({
    pageSize: 25,
    groups: { perDepartment: true },
    notify: { when: 'never' },
  });
  assert.deepEqual(env.jumpcloud.stats.snapshot().writes, before, 'no JumpCloud write on a re-run');
  assert.equal(second.report.counts.unchanged, expected.size);
  assert.equal(second.report.counts.created, 0);
});
