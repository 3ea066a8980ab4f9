/**
 * The import's approval and safeguards, in memory (test/workflows/helpers/harness.ts): a plan
 * that breaks a safeguard waits for a decision; approved it applies, rejected or expired it
 * writes nothing; a plan within the safeguards applies without asking.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { ImportInputOptions } from '../../domain/import-input.js';
import type { SafeguardRules } from '../../domain/safeguards.js';
import { importPhaseKey } from '../../domain/search-attributes.js';
import { approveUpdate, progressQuery, rejectUpdate, type ImportReport } from '../../workflows/import-api.js';
import { until } from '../helpers/wait.js';
import {
  pagesEnded,
  progressOf,
  VALID_SIGNATURE,
  withImport,
  type ImportHandle as Handle,
  type Scenario,
} from './helpers/harness.js';

/** The worker's rules: more than 2 suspensions needs a person's approval. */
const RULES: SafeguardRules = {
  maxSuspensions: 2,
  maxSuspensionsPercent: null,
  maxChangesPercent: null,
  minimumImportedUsers: 0,
  approvalTimeout: '1h',
};

/** 6 employees, 2 a page: employees 1–3 leave (suspended), the others are new. */
const LEAVERS: Scenario = {
  employees: 6,
  outcome: (id) => (id <= 3 ? 'suspended' : 'created'),
  safeguards: RULES,
};

const INPUT: ImportInputOptions = {
  pageSize: 2,
  notify: { when: 'never', email: ['admin@example.com'] },
};

async function awaitingApproval(handle: Handle) {
  return until('the import to wait for approval', async () => {
    const progress = await progressOf(handle);
    return progress?.phase === 'awaiting-approval' ? progress.awaitingApproval! : undefined;
  });
}

/** A decision as the CLI sends it, signed over the plan the run waits on. */
async function decision(handle: Handle, decide: 'approve' | 'reject', signature = VALID_SIGNATURE) {
  const { planDigest } = await awaitingApproval(handle);
  const { runId } = await handle.describe();
  return {
    by: 'ops@example.com',
    comment: `${decide}d in a test`,
    signed: {
      workflowId: handle.workflowId,
      runId,
      planDigest: planDigest!,
      decision: decide,
      at: new Date().toISOString(),
      signature,
    },
  };
}

test('approved: a plan past the safeguards waits, takes only a valid signed approval, then applies', async () => {
  await withImport('approved', LEAVERS, INPUT, async (handle, calls) => {
    const waiting = await awaitingApproval(handle);
    assert.deepEqual(waiting.reasons, ['would suspend 3 users (more than 2)']);
    assert.match(waiting.planDigest ?? '', /^[0-9a-f]{64}$/);
    // Nothing is written while it waits: groups only looked at, no employee staged.
    assert.deepEqual(calls.ensureGroups, [true]);
    assert.deepEqual(calls.staged, []);
    // The phase says "awaiting approval" as the request goes out: wait for the request itself.
    await until('the approval request to be sent', async () =>
      calls.notified.length > 0 ? true : undefined,
    );
    assert.equal(calls.notified.length, 1, 'the admin is asked once');
    assert.match(calls.notified[0]!.subject, /^Personio import needs approval: would suspend 3 users/);

    // A decision the worker's check refuses changes nothing.
    const refused = await handle
      .executeUpdate(approveUpdate, { args: [await decision(handle, 'approve', 'forged')] })
      .then(
        () => assert.fail('a forged approval was taken'),
        (err: unknown) => err,
      );
    assert.ok(refused instanceof WorkflowUpdateFailedError);
    assert.match(String(refused.cause?.message), /^refused: the signature is not valid/);
    assert.equal((await handle.query(progressQuery)).phase, 'awaiting-approval');

    const record = await handle.executeUpdate(approveUpdate, { args: [await decision(handle, 'approve')] });
    assert.equal(record.decision, 'approved');
    const report: ImportReport = await handle.result();
    assert.equal(report.applied, true);
    assert.equal(report.approval?.decision, 'approved');
    assert.equal(report.approval?.by, 'ops@example.com');
    assert.equal(report.approval?.keyId, 'test-key');
    assert.equal(report.approval?.comment, 'approved in a test');
    assert.deepEqual(report.plan?.safeguardBreaches, ['would suspend 3 users (more than 2)']);
    assert.equal(report.counts.suspended, 3);
    assert.equal(report.counts.created, 3);
    assert.deepEqual(calls.ensureGroups, [true, false], 'groups created only after the approval');
    assert.deepEqual(
      calls.staged.toSorted((a, b) => a - b),
      [1, 2, 3, 4, 5, 6],
    );
    assert.deepEqual(
      calls.verified.map((v) => v.signature),
      ['forged', VALID_SIGNATURE],
    );
    assert.equal(calls.bound, 1);
    await pagesEnded(calls, { COMPLETED: [...calls.pages.keys()] });
  });
});

test('rejected: nothing is written, the report carries the plan and who rejected it', async () => {
  await withImport('rejected', LEAVERS, INPUT, async (handle, calls) => {
    await awaitingApproval(handle);
    const record = await handle.executeUpdate(rejectUpdate, { args: [await decision(handle, 'reject')] });
    assert.equal(record.decision, 'rejected');
    const report = await handle.result();
    assert.equal(report.applied, false);
    assert.equal(report.approval?.decision, 'rejected');
    assert.equal(report.approval?.by, 'ops@example.com');
    // The plan's counts: what it would have done.
    assert.equal(report.counts.suspended, 3);
    assert.deepEqual(report.groups.created, []);
    assert.deepEqual(calls.ensureGroups, [true], 'no group created');
    assert.deepEqual(calls.staged, [], 'no employee staged');
    assert.equal(calls.bound, 0);
    // The phase as Temporal Web shows it.
    assert.equal((await handle.describe()).typedSearchAttributes.get(importPhaseKey), 'rejected');
    // The held pages are told to end: none waits out its idle timeout.
    await pagesEnded(calls, { COMPLETED: [...calls.pages.keys()] });
  });
});

test('expired: an undecided request rejects itself after the worker’s approval timeout', async () => {
  // The input asks for 72 hours; the worker's verdict (its policy) says 1 second, and rules.
  const scenario = { ...LEAVERS, safeguards: { ...RULES, approvalTimeout: '1s' } };
  const input = { ...INPUT, safeguards: { approvalTimeout: '72h' } };
  await withImport('expired', scenario, input, async (handle, calls) => {
    const report = await handle.result();
    assert.equal(report.applied, false);
    assert.equal(report.approval?.decision, 'expired');
    assert.equal(report.approval?.by, null);
    const { requestedAt, expiresAt } = report.approval;
    assert.equal(Date.parse(expiresAt) - Date.parse(requestedAt), 1000);
    assert.ok(Date.parse(report.approval.at!) >= Date.parse(expiresAt), 'expired no earlier than announced');
    assert.deepEqual(calls.staged, []);
    assert.deepEqual(calls.ensureGroups, [true]);
    assert.deepEqual(calls.verified, [], 'nobody decided');
    await pagesEnded(calls, { COMPLETED: [...calls.pages.keys()] });
  });
});

test('safeguards: a plan within the rules applies without asking anyone', async () => {
  // Exactly the maximum: 2 suspensions of 6.
  const scenario: Scenario = { ...LEAVERS, outcome: (id) => (id <= 2 ? 'suspended' : 'updated') };
  await withImport('within-safeguards', scenario, INPUT, async (handle, calls) => {
    const report = await handle.result();
    assert.equal(report.applied, true);
    assert.equal(report.approval, null);
    assert.deepEqual(report.plan?.safeguardBreaches, []);
    assert.equal(calls.digests, 0, 'no approval opened');
    assert.deepEqual(calls.notified, []);
    assert.deepEqual(calls.ensureGroups, [true, false]);
    assert.equal(calls.staged.length, 6);
    assert.deepEqual(report.counts, { ...report.counts, suspended: 2, updated: 4 });
  });
});

test('safeguards: the worker’s rules hold even when the input switches them off', async () => {
  // The input asks for no safeguards; the worker's policy verdict keeps them.
  const input: ImportInputOptions = { ...INPUT, safeguards: null };
  await withImport('input-switches-off', LEAVERS, input, async (handle, calls) => {
    const waiting = await awaitingApproval(handle);
    assert.deepEqual(waiting.reasons, ['would suspend 3 users (more than 2)']);
    assert.deepEqual(calls.staged, []);
    await handle.cancel();
    await assert.rejects(handle.result());
  });
});

test('safeguards: the percentage rules count from the imported users on', async () => {
  // 6 matched users, 2 suspended = 33 %: over a 30 % rule once 5 users are imported.
  const rules: SafeguardRules = {
    ...RULES,
    maxSuspensions: null,
    maxSuspensionsPercent: 30,
    minimumImportedUsers: 5,
  };
  const scenario: Scenario = {
    employees: 6,
    outcome: (id) => (id <= 2 ? 'suspended' : 'unchanged'),
    safeguards: rules,
  };
  await withImport('percent-rule', scenario, { ...INPUT, dryRun: true }, async (handle, calls) => {
    // A dry run says which rules the plan breaks, and waits for nobody.
    const report = await handle.result();
    assert.deepEqual(report.plan?.safeguardBreaches, [
      'would suspend 33.3% of 6 imported users (more than 30%)',
    ]);
    assert.equal(report.applied, false);
    assert.equal(report.approval, null);
    assert.deepEqual(calls.staged, []);
    assert.equal(calls.digests, 0);
  });
});
