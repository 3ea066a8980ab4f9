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
import { progressQuery } from '../../workflows/import-api.js';
import { until } from '../helpers/wait.js';
import { pagesEnded, progressOf, withImport } from './helpers/harness.js';

/**
 * The import's result, or a failure as soon as `stuck` holds: a cursor that does not carry
 * over makes the chain loop forever, and the test should say so, not wait for its timeout.
 */
async function resultBefore<T>(
  handle: { result(): Promise<T> },
  stuck: () => boolean,
  what: string,
): Promise<T> {
  let settled = false;
  const result = handle.result().finally(() => (settled = true));
  result.catch(() => undefined); // awaited below, or abandoned when stuck
  while (!settled) {
    if (stuck()) assert.fail(what);
    await Promise.race([result.catch(() => undefined), new Promise((r) => setTimeout(r, 200))]);
  }
  return result;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

test('continue-as-new: each step resumes at its cursor, so every page is planned, applied and linked once', async () => {
  // One employee a page and the smallest event budget the input takes. A page costs every step
  // at least 3 events in the import's history (the step sent, delivered, answered), so 36 pages
  // outgrow the budget in each step (plan, apply, link): each continues as new midway.
  const employees = 36;
  const input = {
    pageSize: 1,
    pagesInFlight: 4,
    continueAsNewAfterEvents: 100,
    notify: { when: 'never' as const },
  };
  await withImport('continue-as-new', { employees }, input, async (handle, calls) => {
    const report = await resultBefore(handle, () => calls.carried.length > 12, 'the chain passed 12 runs');

    // Each page once, in every step.
    const offsets = range(0, employees - 1);
    assert.deepEqual(
      calls.planned.toSorted((a, b) => a - b),
      offsets,
      'every page planned once',
    );
    assert.deepEqual(
      calls.staged.toSorted((a, b) => a - b),
      range(1, employees),
      'every employee staged once',
    );
    assert.deepEqual(
      calls.linked.toSorted((a, b) => a - b),
      offsets,
      'every page linked once',
    );
    assert.equal(report.counts.created, employees);
    assert.equal(report.plan?.pagesPlanned, employees);
    assert.equal(report.plan?.pagesToApply, employees);
    assert.equal(report.heldPages, employees);
    assert.equal(report.managers.unchanged, employees);
    assert.deepEqual(calls.ensureGroups, [true, false], 'groups looked at and created once across runs');
    assert.equal(calls.bound, 1);

    // What each run handed on: the step it was in and how far it got, nothing in flight.
    const carried = calls.carried;
    const midway = (cursor: (s: (typeof carried)[number]) => number) =>
      carried.some((s) => cursor(s) > 0 && cursor(s) < employees);
    assert.ok(
      midway((s) => s.held!.planned),
      'a run continued in the middle of planning',
    );
    assert.ok(
      midway((s) => s.plan!.applyStarted),
      'a run continued in the middle of applying',
    );
    assert.ok(
      midway((s) => s.nextManagerOffset),
      'a run continued in the middle of linking',
    );
    let last = { planned: 0, applied: 0, linked: 0 };
    for (const [i, s] of carried.entries()) {
      const at = {
        planned: s.held!.planned,
        applied: s.plan!.applyStarted,
        linked: s.nextManagerOffset,
      };
      // Each run got further than the one before (a run may only have entered the next step).
      const before = [last.planned, last.applied, last.linked];
      const now = [at.planned, at.applied, at.linked];
      assert.ok(
        now.every((n, k) => n >= before[k]!) && now.some((n, k) => n > before[k]!),
        `run ${i + 1} (${s.phase}) moved on from ${JSON.stringify(last)} to ${JSON.stringify(at)}`,
      );
      // Every page started was answered before the run continued: the counts match the cursors.
      assert.equal(s.plan!.pagesPlanned, at.planned, `run ${i + 1}: planned pages all answered`);
      if (s.phase !== 'planning')
        assert.equal(s.pagesDone, at.applied, `run ${i + 1}: applied pages all counted`);
      if (s.phase === 'linking-managers')
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
    await pagesEnded(calls, { COMPLETED: offsets });
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
    // Said where people look: the progress query and the phase search attribute.
    assert.equal((await handle.query(progressQuery)).phase, 'cancelled');
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
    assert.equal((await handle.query(progressQuery)).phase, 'cancelled');
    await pagesEnded(calls, { COMPLETED: [0, 2] });
    assert.deepEqual(calls.staged, []);
    assert.deepEqual(calls.ensureGroups, [true], 'no group created');
  });
});
