/**
 * A real run's report says what happened to each employee, through the real worker and CLI
 * processes: the username a new user got, the groups joined and left, the manager change;
 * two employees sharing a username base both get the id-suffixed form; a starter imported on
 * their hire date after its activation time is activated at once, and the report says so; a
 * page whose only change is a group membership is applied.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SANDBOX_JUMPCLOUD_API_KEY } from '../../sandbox/jumpcloud/server.js';
import { jumpcloudState, startRealProcesses, usersByPersonioId } from '../helpers/real-processes.js';
import { until } from '../helpers/wait.js';

type Row = Record<string, string>;

/** The report CSV as rows keyed by header (quoted cells with commas and quotes handled). */
function readCsv(file: string): Map<number, Row> {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const columns = header!.split(',');
  const rows = new Map<number, Row>();
  for (const line of lines) {
    const cells = [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)]
      .map(([, cell]) => cell!)
      .slice(0, columns.length)
      .map((c) => (c.startsWith('"') ? c.slice(1, -1).replace(/""/g, '"') : c));
    const row = Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']));
    rows.set(Number(row.personioId), row);
  }
  return rows;
}

test('the real run’s report fills username, groups and manager; late starters and shared username bases', async (t) => {
  const env = await startRealProcesses(t, { personio: { employees: 20, seed: 83 } });
  const dir = mkdtempSync(join(tmpdir(), 'report-fields-'));
  // Two employees whose emails give one username base: both get `<base>.<personio id>`.
  const annaA = env.personio.data.hire({
    firstName: 'Anna',
    lastName: 'Schmidt',
    email: 'anna.schmidt@acme.example.com',
  });
  const annaB = env.personio.data.hire({
    firstName: 'Anna',
    lastName: 'Schmidt',
    email: 'Anna.Schmidt@acme-labs.example.com',
  });
  // Hired today, imported after today's activation time (00:00 UTC has passed).
  const today = new Date().toISOString().slice(0, 10);
  const lena = env.personio.data.hire({
    firstName: 'Lena',
    lastName: 'Late',
    email: 'lena.late@acme.example.com',
    hireDate: today,
  });
  const input = JSON.stringify({
    groups: { perDepartment: true },
    activation: { onHireDate: true, localTime: '00:00', timeZone: 'UTC' },
    notify: { when: 'never' },
  });

  const first = await env.cli(['import', '--input-json', input, '--report', join(dir, 'first.csv')]);
  assert.equal(first.code, 0, first.output);
  const created = readCsv(join(dir, 'first.csv'));
  let users = await usersByPersonioId(env.jumpcloud.url);
  for (const [id, row] of created) {
    if (row.outcome !== 'created') continue;
    assert.equal(row.username, users.get(id)?.username, `${id}: the username JumpCloud has`);
    assert.match(row.groupsJoined!, /Personio Import/, `${id} joined the all-employees group`);
    assert.match(row.groupsJoined!, /Personio - /, `${id} joined a department group`);
  }
  assert.equal(created.get(annaA.id)?.username, `anna.schmidt.${annaA.id}`);
  assert.equal(created.get(annaB.id)?.username, `anna.schmidt.${annaB.id}`);
  assert.match(created.get(lena.id)?.activation ?? '', /^at once \(/, 'the report says: activated at once');
  await until(
    'the late starter activated',
    async () =>
      (await usersByPersonioId(env.jumpcloud.url)).get(lena.id)?.state === 'ACTIVATED' ? true : undefined,
    60_000,
  );

  // A mover with a new manager, and a user an admin took out of the import's group.
  const mover = [...created].find(([id, r]) => r.outcome === 'created' && id !== lena.id && id < 1020)![0];
  const oldDepartment = users.get(mover)!.department as string;
  env.personio.data.moveDepartment(mover, 'Research Lab');
  env.personio.data.setSupervisor(mover, lena.id);
  const removed = [...created].find(
    ([id, r]) => r.outcome === 'created' && id !== mover && id !== lena.id,
  )![0];
  const state = await jumpcloudState(env.jumpcloud.url);
  const allEmployees = state.groups.find((g) => g.name === 'Personio Import')!;
  const removal = await fetch(`${env.jumpcloud.url}/api/v2/usergroups/${allEmployees.id}/members`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': SANDBOX_JUMPCLOUD_API_KEY },
    body: JSON.stringify({ op: 'remove', type: 'user', id: users.get(removed)!._id }),
  });
  assert.ok(removal.ok, `removed by hand: ${removal.status}`);

  const second = await env.cli(['import', '--input-json', input, '--report', join(dir, 'second.csv')]);
  assert.equal(second.code, 0, second.output);
  const changed = readCsv(join(dir, 'second.csv'));
  users = await usersByPersonioId(env.jumpcloud.url);
  const moved = changed.get(mover)!;
  assert.equal(moved.outcome, 'updated');
  assert.equal(moved.groupsJoined, 'Personio - Research Lab');
  assert.equal(moved.groupsLeft, `Personio - ${oldDepartment}`);
  assert.match(moved.manager!, new RegExp(`→ ${users.get(lena.id)!._id}$`), 'the new manager');
  assert.equal(users.get(mover)!.manager, users.get(lena.id)!._id);
  // The page whose only change was that membership was applied: the user is back.
  const back = (await jumpcloudState(env.jumpcloud.url)).groups.find((g) => g.name === 'Personio Import')!;
  assert.ok(back.members.includes(users.get(removed)!._id), 'the membership taken away is restored');
  assert.equal(changed.get(removed)?.groupsJoined, 'Personio Import');
});
