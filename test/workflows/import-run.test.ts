/**
 * The import's run, in memory (test/workflows/helpers/harness.ts): continue-as-new carries its
 * cursors (no page planned, applied or linked twice, none left out), and a cancelled import
 * stops its pages and says so.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Context } from '@temporalio/activity';
import { CancelledFailure, WorkflowFailedError } from '@temporalio/client';
import type { EmployeeResult } from '../../domain/outcomes.js';
import { importPhaseKey } from '../../domain/search-attributes.js';
import { until } from '../helpers/wait.js';
import { pagesEnded, progressOf, withImport } from './helpers/harness.js';

/**
 * The import's result, or a failure as soon as `stuck` names why it never comes (a cursor that
 * does not carry over makes the chain loop forever): the test says so, not its timeout. The
 * test's `signal` ends the wait too, so a timed-out test leaves nothing polling.
 */
async function resultBefore<T>(
  handle: { result(): Promise<T> },
  stuck: () => string | null,
  signal: AbortSignal,
): Promise<T> {
  let settled = false;
  const result = handle.result().finally(() => (settled = true));
  result.catch(() => undefined); // awaited below, or abandoned when stuck
  while (!settled) {
    const why = stuck();
    if (why !== null) assert.fail(why);
    signal.throwIfAborted();
    await Promise.race([result.catch(() => undefined), new Promise((r) => setTimeout(r, 200))]);
  }
  return result;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

test('continue-as-new: each step resumes at its cursor, so every page is planned, applied and linked once', async (t) => {
  // One employee a page and the smallest event budget the input takes (100 events). A page
  // costs a step at least 3 events in the import's history (the step sent, delivered,
  // answered), and a run stops starting pages once past the budget: so 72 pages outgrow the
  // preview (40 pages at once), and the 40 pages with something to write (employees 1–40: an
  // update and a new manager) outgrow the apply and the link step. Each continues midway.
  const employees = 72;
  const writers = 40;
  const scenario = {
    employees,
    outcome: (id: number) => (id <= writers ? ('updated' as const) : ('unchanged' as const)),
    managerChange: (id: number) => id <= writers,
    // Changing 40 of 72 users breaks the default safeguards: this run is not about approval.
    safeguards: null,
  };
  const input = {
    pageSize: 1,
    pagesInFlight: 4,
    continueAsNewAfterEvents: 100,
    notify: { when: 'never' as const },
  };
  await withImport('continue-as-new', scenario, input, async (handle, calls) => {
    const stuck = () =>
      calls.digests > 0
        ? 'the import asks for approval (it would wait for it)'
        : calls.carried.length > 16
          ? 'the chain passed 16 runs'
          : null;
    const report = await resultBefore(handle, stuck, t.signal);

    // Each page once, in every step it takes part in.
    const sorted = (list: number[]) => list.toSorted((a, b) => a - b);
    assert.deepEqual(sorted(calls.planned), range(0, employees - 1), 'every page planned once');
    assert.deepEqual(sorted(calls.staged), range(1, writers), 'every employee with a change staged once');
    assert.deepEqual(
      sorted(calls.linked),
      range(0, writers - 1),
      'every page with a new manager linked once',
    );
    assert.deepEqual(report.counts, { ...report.counts, updated: writers, unchanged: employees - writers });
    assert.equal(report.plan?.pagesPlanned, employees);
    assert.equal(report.plan?.pagesToApply, writers);
    assert.equal(report.heldPages, employees);
    assert.equal(report.managers.unchanged, writers);
    assert.deepEqual(calls.ensureGroups, [true, false], 'groups looked at and created once across runs');
    assert.equal(calls.bound, 1);

    // What each run handed on: the step it was in and how far it got, nothing in flight.
    const carried = calls.carried;
    const midway = (cursor: (s: (typeof carried)[number]) => number, end: number) =>
      carried.some((s) => cursor(s) > 0 && cursor(s) < end);
    assert.ok(
      midway((s) => s.held!.planned, employees),
      'a run continued in the middle of planning',
    );
    assert.ok(
      midway((s) => s.plan!.applyStarted, writers),
      'a run continued in the middle of applying',
    );
    assert.ok(
      midway((s) => s.nextManagerOffset, writers),
      'a run continued in the middle of linking',
    );
    let last = { planned: 0, applied: 0, linked: 0 };
    for (const [i, s] of carried.entries()) {
      const at = { planned: s.held!.planned, applied: s.plan!.applyStarted, linked: s.nextManagerOffset };
      // Each run got further than the one before (a run may only have entered the next step).
      const before = [last.planned, last.applied, last.linked];
      const now = [at.planned, at.applied, at.linked];
      assert.ok(
        now.every((n, k) => n >= before[k]!) && now.some((n, k) => n > before[k]!),
        `run ${i + 1} (${s.phase}) moved on from ${JSON.stringify(last)} to ${JSON.stringify(at)}`,
      );
      // Every page started was answered before the run continued: the counts match the cursors
      // (a page with nothing to write is done once planned).
      const plan = s.plan!;
      assert.equal(plan.pagesPlanned, at.planned, `run ${i + 1}: planned pages all answered`);
      assert.equal(
        s.pagesDone,
        at.planned - plan.pagesToApply + at.applied,
        `run ${i + 1}: pages all counted`,
      );
      assert.equal(s.managers.unchanged, at.linked, `run ${i + 1}: linked pages all counted`);
      last = at;
    }

    // The chain as Temporal sees it: every run but the last continued as new.
    const runs = carried.length + 1;
    const { runId: lastRunId } = await handle.describe();
    const first = await handle.client.getHandle(handle.workflowId, report.firstRunId).describe();
    assert.equal(first.status.name, 'CONTINUED_AS_NEW');
    assert.notEqual(lastRunId, report.firstRunId);
    assert.ok(runs >= 4, `${runs} runs`);
    await pagesEnded(calls, { COMPLETED: range(0, employees - 1) });
  });
});

test('cancelled mid-apply: the page in flight is cancelled, the others released, nothing more is written', async () => {
  let heard = false;
  let held!: () => void;
  const holding = new Promise<void>((resolve) => (held = resolve));
  const scenario = {
    employees: 3,
    // Employee 2 (the second page) is staged until the import is cancelled.
    stage: async (personioId: number): Promise<EmployeeResult | undefined> => {
      if (personioId !== 2) return undefined;
      const context = Context.current();
      held();
      // A cancellation reaches an activity with the answer to a heartbeat.
      const beat = setInterval(() => context.heartbeat(), 50);
      try {
        await context.cancelled;
      } catch (err) {
        heard = true;
        throw err;
      } finally {
        clearInterval(beat);
      }
      throw new Error('unreachable: cancelled never resolves');
    },
  };
  const input = { pageSize: 1, pagesInFlight: 1, notify: { when: 'never' as const } };
  await withImport('cancelled', scenario, input, async (handle, calls) => {
    await holding;
    assert.equal((await progressOf(handle))?.phase, 'staging');
    await handle.cancel();

    const failure = await handle.result().then(
      () => assert.fail('a cancelled import completed'),
      (err: unknown) => err,
    );
    assert.ok(failure instanceof WorkflowFailedError);
    assert.ok(failure.cause instanceof CancelledFailure, `cause: ${String(failure.cause)}`);
    // Said where people look: the phase search attribute (Temporal Web, `status`); the replay
    // every run gets after its test (harness.ts) covers what a query to a closed run would.
    const { typedSearchAttributes, status } = await handle.describe();
    assert.equal(status.name, 'CANCELLED');
    assert.equal(typedSearchAttributes.get(importPhaseKey), 'cancelled');

    // Page 1 (in flight) is cancelled, and so is its activity; pages 0 and 2 are released.
    await pagesEnded(calls, { COMPLETED: [0, 2], CANCELLED: [1] });
    await until('the staging activity to hear of the cancellation', async () => (heard ? true : undefined));
    assert.deepEqual(calls.staged, [1, 2], 'nothing staged after the cancellation');
    assert.deepEqual(calls.linked, [], 'no managers linked');
    assert.equal(calls.bound, 0, 'no groups bound');
  });
});

test('cancelled while waiting for approval: nothing is written and every page is released', async () => {
  const scenario = {
    employees: 4,
    outcome: () => 'suspended' as const,
    safeguards: {
      maxSuspensions: 0,
      maxSuspensionsPercent: null,
      maxChangesPercent: null,
      minimumImportedUsers: 0,
      approvalTimeout: '1h',
    },
  };
  const input = { pageSize: 2, notify: { when: 'never' as const } };
  await withImport('cancelled-awaiting', scenario, input, async (handle, calls) => {
    await until('the import to wait for approval', async () =>
      (await progressOf(handle))?.phase === 'awaiting-approval' ? true : undefined,
    );
    await handle.cancel();
    const failure = await handle.result().then(
      () => assert.fail('a cancelled import completed'),
      (err: unknown) => err,
    );
    assert.ok(failure instanceof WorkflowFailedError && failure.cause instanceof CancelledFailure);
    assert.equal((await handle.describe()).typedSearchAttributes.get(importPhaseKey), 'cancelled');
    await pagesEnded(calls, { COMPLETED: [0, 2] });
    assert.deepEqual(calls.staged, []);
    assert.deepEqual(calls.ensureGroups, [true], 'no group created');
  });
});
