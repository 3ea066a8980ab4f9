/**
 * The webhook changes workflow: one per task queue, started (and then signalled) by the
 * receiver with signal-with-start. It gathers the people Personio says changed for a short
 * debounce window, then imports exactly the window of time they changed in, as a delta run
 * of the ordinary import (a child `importEmployees` with `sync: {mode: "delta", updatedSince}`):
 * the same preview and apply, safeguards, report and metrics as any import. The import always
 * re-reads Personio, so duplicate and reordered events are harmless: a later import of the same
 * person finds nothing to change.
 *
 * The child takes the import's own workflow id, so it never runs beside another import of the
 * same task queue; while one runs, the batch waits and tries again. The workflow continues as
 * new when its history grows, carrying what is still pending.
 *
 * Signals are untrusted input (they carry what a webhook said): ids and times are checked here.
 */
import {
  condition,
  continueAsNew,
  executeChild,
  log,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { importWorkflowId } from './import-api.js';
import { importEmployees } from './import-employees.js';
import {
  changesProgressQuery,
  MAX_CHANGES_PER_SIGNAL,
  personChangedSignal,
  personsChangedSignal,
  type ChangesInput,
  type ChangesProgress,
  type PersonChange,
} from './changes-api.js';

/** Changes are imported from this long before the earliest event (clock skew, write lag). */
const MARGIN_MS = 10_000;
/** An event older than this is left to the scheduled delta sync. */
const MAX_AGE_MS = 24 * 3_600_000;
const DEFAULT_DEBOUNCE_MS = 1000;
const RETRY_BUSY_MS = 5000;
const HISTORY_LIMIT = 2000;
const ID = /^[A-Za-z0-9._-]{1,64}$/;

const isoSeconds = (ms: number) =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');

export async function personioChanges(input: ChangesInput): Promise<void> {
  const debounceMs = Math.min(Math.max(input.debounceMs ?? DEFAULT_DEBOUNCE_MS, 0), 60_000);
  const pending = new Map<string, number>(Object.entries(input.pending ?? {}));
  let batches = input.batches ?? 0;
  let anonymous = 0;
  let lastBatch: ChangesProgress['lastBatch'] = null;

  const note = (change: PersonChange) => {
    const now = Date.now();
    const at = typeof change?.occurredAt === 'string' ? Date.parse(change.occurredAt) : NaN;
    // Never later than now, never older than a day: a wrong clock cannot widen the delta at will.
    const when = Number.isNaN(at) ? now : Math.min(Math.max(at, now - MAX_AGE_MS), now);
    const key =
      typeof change?.personId === 'string' && ID.test(change.personId)
        ? `person:${change.personId}`
        : `event:${++anonymous}`;
    pending.set(key, Math.min(pending.get(key) ?? when, when));
  };
  setHandler(personChangedSignal, note);
  setHandler(personsChangedSignal, (changes: PersonChange[]) => {
    if (Array.isArray(changes)) for (const change of changes.slice(0, MAX_CHANGES_PER_SIGNAL)) note(change);
  });
  setHandler(changesProgressQuery, () => ({ pending: pending.size, batches, lastBatch }));

  for (;;) {
    await condition(() => pending.size > 0);
    // Gather what arrives in the debounce window into the same batch.
    if (debounceMs > 0) await sleep(debounceMs);
    const batch = new Map(pending);
    pending.clear();
    const since = isoSeconds(Math.min(...batch.values()) - MARGIN_MS);
    const options = { ...input.importOptions, sync: { mode: 'delta' as const, updatedSince: since } };
    for (;;) {
      try {
        const report = await executeChild(importEmployees, {
          workflowId: importWorkflowId(input.taskQueue),
          taskQueue: input.taskQueue,
          args: [options],
        });
        lastBatch = {
          changes: batch.size,
          updatedSince: since,
          outcome: 'imported',
          detail: JSON.stringify(report.counts),
        };
        break;
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) {
          // Another import of this task queue is running: this batch waits its turn.
          await sleep(RETRY_BUSY_MS);
          continue;
        }
        // A failed or rejected import: the scheduled delta sync picks these people up.
        lastBatch = {
          changes: batch.size,
          updatedSince: since,
          outcome: 'failed',
          detail: (err as Error).message,
        };
        log.warn('webhook changes import failed', {
          changes: batch.size,
          updatedSince: since,
          error: (err as Error).message,
        });
        break;
      }
    }
    batches++;
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > HISTORY_LIMIT) {
      await continueAsNew<typeof personioChanges>({
        ...input,
        pending: Object.fromEntries(pending),
        batches,
      });
    }
  }
}
