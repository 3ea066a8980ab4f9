/**
 * The preview and the approval safeguards, end to end against the dev server and sandboxes:
 * a dry run writes nothing and shows exactly what applying right after it does; a run that
 * would suspend too many users pauses before writing anything and waits for an `approve` or
 * `reject` update (or expires and rejects itself), with who decided in the report.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { collectPlanSoFar, collectReport, type ReportRow } from '../../client/report-command.js';
import { approveUpdate, progressQuery, rejectUpdate, type ImportReport } from '../../workflows/import-api.js';
import { importEmployees } from '../../workflows/index.js';
import { startImportEnv } from '../helpers/import-env.js';
import { signedDecision } from '../helpers/approvers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface StateUser extends Record<string, unknown> {
  _id: string;
  employeeIdentifier?: string;
  state: string;
}
interface SandboxState {
  users: StateUser[];
  groups: { id: string; name: string; members: string[] }[];
}
const stateOf = async (url: string) => (await (await fetch(`${url}/_sandbox/state`)).json()) as SandboxState;

function activeIds(env: Awaited<ReturnType<typeof startImportEnv>>, count: number): number[] {
  const ids: number[] = [];
  for (let id = 1001; ids.length < count; id++) {
    const e = env.personio.data.get(id);
    if (!e) break;
    if (e.status === 'active' && e.email) ids.push(id);
  }
  return ids;
}

test('a preview writes nothing and shows exactly what applying right after it does', async (t) => {
  const env = await startImportEnv(t, { personio: { employees: 60, seed: 31 } });
  const base = { groups: { perDepartment: true }, notify: { when: 'never' as const }, safeguards: null };
  await env.runImport(base);

  const [mover, renamed, emailChanged, leaver] = activeIds(env, 4);
  assert.ok(mover && renamed && emailChanged && leaver);
  const hire = env.personio.data.hire({
    firstName: 'Ada',
    lastName: 'Nakamura',
    email: 'ada.nakamura@acme.example.com',
    status: 'onboarding',
  });
  // A supervisor on leave is never imported: applying leaves the manager empty, and the
  // preview must not show a manager change either.
  const onLeave = env.personio.data.hire({
    firstName: 'Sam',
    lastName: 'Away',
    email: 'sam.away@acme.example.com',
    status: 'leave',
  });
  env.personio.data.setSupervisor(hire.id, onLeave.id);
  env.personio.data.moveDepartment(mover, 'Research Lab');
  env.personio.data.changeName(renamed, 'Renée', 'Dubois');
  env.personio.data.changeEmail(emailChanged, 'Fresh.Address@Acme.Example.com');
  env.personio.data.setStatus(leaver, 'inactive');

  const before = await stateOf(env.jumpcloud.url);
  const writesBefore = env.jumpcloud.stats.snapshot().writes;
  const preview = await env.runImport({ ...base, dryRun: true });
  assert.deepEqual(env.jumpcloud.stats.snapshot().writes, writesBefore, 'the preview writes nothing');
  assert.equal(preview.report.applied, false);
  const plan = await collectReport(env.client, preview.workflowId);
  const planned = new Map(plan.rows.map((r) => [r.personioId, r]));
  assert.equal(plan.rows.length, preview.report.employeesTotal, 'every employee once in the plan');

  // What the plan says, field by field, for the changed employees.
  assert.equal(planned.get(hire.id)?.outcome, 'created');
  assert.match(planned.get(hire.id)!.changes, /email: ∅ → ada\.nakamura@acme\.example\.com/);
  assert.equal(planned.get(hire.id)!.username, 'ada.nakamura');
  assert.equal(planned.get(hire.id)!.manager, '', 'no manager change: the supervisor is on leave');
  const moverBefore = before.users.find((u) => u.employeeIdentifier === String(mover))!;
  assert.equal(planned.get(mover)!.outcome, 'updated');
  assert.ok(
    planned.get(mover)!.changes.includes(`department: ${String(moverBefore.department)} → Research Lab`),
    planned.get(mover)!.changes,
  );
  assert.equal(planned.get(mover)!.groupsJoined, 'Personio - Research Lab');
  assert.equal(planned.get(mover)!.groupsLeft, `Personio - ${String(moverBefore.department)}`);
  assert.match(
    planned.get(renamed)!.changes,
    /firstname: .* → Renée; lastname: .* → Dubois; displayname: .* → Renée Dubois/,
  );
  assert.match(planned.get(emailChanged)!.changes, /email: .* → fresh\.address@acme\.example\.com/);
  assert.equal(planned.get(leaver)!.outcome, 'suspended');
  assert.equal(preview.report.counts.created, 1);
  assert.equal(preview.report.counts.suspended, 1);

  // Apply right after: the same outcomes, the same fields, and JumpCloud holds the planned values.
  const applied = await env.runImport(base);
  assert.deepEqual(applied.report.counts, preview.report.counts, 'the counts the preview showed');
  const done = await collectReport(env.client, applied.workflowId);
  const key = (r: ReportRow) => `${r.personioId} ${r.outcome} ${r.changedFields}`;
  assert.deepEqual(done.rows.map(key).sort(), plan.rows.map(key).sort(), 'each employee as planned');
  const after = await stateOf(env.jumpcloud.url);
  for (const row of plan.rows.filter((r) => r.outcome === 'updated' || r.outcome === 'created')) {
    const user = after.users.find((u) => u.employeeIdentifier === String(row.personioId))!;
    for (const change of row.changes.split('; ')) {
      const [, field, to] = /^(\w+): .* → (.*)$/.exec(change)!;
      assert.equal(
        (user[field!] as string | undefined) ?? '',
        to === '∅' ? '' : to,
        `${row.personioId}.${field}`,
      );
    }
  }
  const membersOf = (name: string) => after.groups.find((g) => g.name === name)!.members;
  const moverUser = after.users.find((u) => u.employeeIdentifier === String(mover))!;
  assert.ok(membersOf('Personio - Research Lab').includes(moverUser._id), 'joined the new group');
  assert.ok(
    !membersOf(`Personio - ${String(moverBefore.department)}`).includes(moverUser._id),
    'left the old department group',
  );
  assert.equal(after.users.find((u) => u.employeeIdentifier === String(leaver))!.state, 'SUSPENDED');
  const plannedManagers = plan.rows.filter((r) => r.manager !== '').length;
  assert.equal(applied.report.managers.linked + applied.report.managers.cleared, plannedManagers);
});

/** Imports, then terminates `count` employees: the next run would suspend them. */
async function directoryWithLeavers(t: Parameters<typeof startImportEnv>[0], count: number) {
  const env = await startImportEnv(t, { personio: { employees: 40, seed: 37 } });
  await env.runImport({ notify: { when: 'never' }, safeguards: null });
  const leavers = activeIds(env, count);
  for (const id of leavers) env.personio.data.setStatus(id, 'inactive');
  return { env, leavers };
}

/** A loopback webhook that keeps what it is sent. */
async function webhookSink(t: { after(fn: () => Promise<void>): void }) {
  const received: { text: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body) as { text: string });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/hook`, received };
}

async function waitForApproval(handle: { query: (q: typeof progressQuery) => Promise<unknown> }) {
  for (let i = 0; i < 600; i++) {
    const p = (await handle.query(progressQuery).catch(() => null)) as { phase: string } | null;
    if (p?.phase === 'awaiting-approval') return;
    await sleep(50);
  }
  assert.fail('the run never paused for approval');
}

test('a threshold breach pauses before any write; approve applies, with who decided in the report', async (t) => {
  const { env, leavers } = await directoryWithLeavers(t, 4);
  const hook = await webhookSink(t);
  const writesBefore = env.jumpcloud.stats.snapshot().writes;
  const input = {
    notify: { when: 'never' as const, webhookUrl: hook.url },
    safeguards: { maxSuspensions: 2 },
  };
  const report = await env.withImportWorker(async () => {
    const handle = await env.client.workflow.start(importEmployees, {
      taskQueue: env.taskQueue,
      workflowId: `${env.taskQueue}-approve`,
      args: [input],
    });
    await waitForApproval(handle);
    assert.deepEqual(env.jumpcloud.stats.snapshot().writes, writesBefore, 'nothing written while waiting');
    const progress = await handle.query(progressQuery);
    assert.match(progress.awaitingApproval!.reasons[0]!, /would suspend 4 users \(more than 2\)/);
    // The plan can be read while the run waits (what the approver looks at).
    const waitingPlan = await collectPlanSoFar(env.client, handle.workflowId);
    assert.deepEqual(
      waitingPlan
        .filter((r) => r.outcome === 'suspended')
        .map((r) => r.personioId)
        .sort((a, b) => a - b),
      [...leavers].sort((a, b) => a - b),
    );
    await assert.rejects(
      handle.executeUpdate(approveUpdate, { args: [{ by: ' ' }] }),
      (err: Error) => /`by` must name who decides/.test(String((err.cause as Error | undefined)?.message)),
      'an approval must say who decides',
    );
    const record = await handle.executeUpdate(approveUpdate, {
      args: [await signedDecision(handle, 'approve', 'ops@example.com', { comment: 'planned offboarding' })],
    });
    assert.equal(record.decision, 'approved');
    return handle.result();
  });
  assert.equal(report.applied, true);
  assert.equal(report.counts.suspended, leavers.length);
  assert.equal(report.approval?.decision, 'approved');
  assert.equal(report.approval?.by, 'ops@example.com');
  assert.equal(report.approval?.comment, 'planned offboarding');
  assert.ok(report.approval?.at, 'when it was decided');
  const users = (await stateOf(env.jumpcloud.url)).users;
  for (const id of leavers)
    assert.equal(users.find((u) => u.employeeIdentifier === String(id))!.state, 'SUSPENDED');
  assert.equal(hook.received.length, 1, 'the approval request was sent');
  assert.match(hook.received[0]!.text, /waiting for approval/);
  assert.match(hook.received[0]!.text, /approve .* --by/);
});

test('reject writes nothing, and an undecided request expires and rejects itself', async (t) => {
  const { env, leavers } = await directoryWithLeavers(t, 3);
  const writesBefore = env.jumpcloud.stats.snapshot().writes;
  const input = { notify: { when: 'never' as const }, safeguards: { maxSuspensions: 1 } };

  const rejected: ImportReport = await env.withImportWorker(async () => {
    const handle = await env.client.workflow.start(importEmployees, {
      taskQueue: env.taskQueue,
      workflowId: `${env.taskQueue}-reject`,
      args: [input],
    });
    await waitForApproval(handle);
    await handle.executeUpdate(rejectUpdate, {
      args: [await signedDecision(handle, 'reject', 'security@example.com')],
    });
    return handle.result();
  });
  assert.equal(rejected.applied, false);
  assert.equal(rejected.approval?.decision, 'rejected');
  assert.equal(rejected.approval?.by, 'security@example.com');
  assert.equal(rejected.counts.suspended, leavers.length, 'the report shows what the plan would have done');
  assert.deepEqual(env.jumpcloud.stats.snapshot().writes, writesBefore, 'a rejected run writes nothing');

  const expired = await env.runImport({ ...input, safeguards: { maxSuspensions: 1, approvalTimeout: '2s' } });
  assert.equal(expired.report.applied, false);
  assert.equal(expired.report.approval?.decision, 'expired');
  assert.equal(expired.report.approval?.by, null);
  assert.deepEqual(env.jumpcloud.stats.snapshot().writes, writesBefore, 'an expired run writes nothing');
  const users = (await stateOf(env.jumpcloud.url)).users;
  for (const id of leavers)
    assert.notEqual(users.find((u) => u.employeeIdentifier === String(id))!.state, 'SUSPENDED');
});

test('leavers leave only this import’s groups when asked; a hand-added membership stays', async (t) => {
  const env = await startImportEnv(t, { personio: { employees: 30, seed: 41 } });
  const input = {
    groups: { perDepartment: true, removeLeavers: true },
    notify: { when: 'never' as const },
    safeguards: null,
  };
  await env.runImport(input);
  const [leaver] = activeIds(env, 1);
  let state = await stateOf(env.jumpcloud.url);
  const user = state.users.find((u) => u.employeeIdentifier === String(leaver))!;
  assert.equal(state.groups.filter((g) => g.members.includes(user._id)).length, 2, 'all + department');
  // An admin puts the user into a group of their own, by hand.
  const seeded = await fetch(`${env.jumpcloud.url}/_sandbox/groups`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Hand-made VPN group', members: [user._id] }),
  });
  assert.equal(seeded.status, 200);

  env.personio.data.setStatus(leaver!, 'inactive');
  const { report } = await env.runImport(input);
  assert.equal(report.counts.suspended, 1);
  state = await stateOf(env.jumpcloud.url);
  const inGroups = state.groups.filter((g) => g.members.includes(user._id)).map((g) => g.name);
  assert.deepEqual(inGroups, ['Hand-made VPN group'], 'only the hand-made membership is left');
});
