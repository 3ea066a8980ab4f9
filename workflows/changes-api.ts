/**
 * The webhook changes workflow's public surface, shared by the workflow and the receiver:
 * its name and id (one per task queue), the signal a webhook becomes, and the query.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ImportInputOptions } from '../domain/import-input.js';

export const CHANGES_WORKFLOW_TYPE = 'personioChanges';

/** One long-running changes workflow per task queue (one Personio/JumpCloud pair). */
export function changesWorkflowId(taskQueue: string): string {
  return `personio-changes-${taskQueue}`;
}

/** One webhook, reduced to what the workflow needs: ids and times only, no personal data. */
export interface PersonChange {
  /** `payload.person.id`; null when the event named none (then the time alone drives the delta). */
  personId: string | null;
  eventName: string;
  /** The event's `occurred_at`. */
  occurredAt: string;
}

export const personChangedSignal = defineSignal<[PersonChange]>('personChanged');

/** Most changes one `personsChanged` signal may carry; the rest of a longer list is ignored. */
export const MAX_CHANGES_PER_SIGNAL = 1000;

/**
 * Several webhooks in one signal: the receiver gathers those that arrive while a hand-off is
 * under way (receiver/handoff-batcher.ts), so a burst costs a few signals, not one each.
 */
export const personsChangedSignal = defineSignal<[PersonChange[]]>('personsChanged');

export interface ChangesInput {
  taskQueue: string;
  /** How long to gather changes after the first one before importing them (ms). */
  debounceMs?: number;
  /** Options for each batch's import (its `sync` is set by the workflow). */
  importOptions?: ImportInputOptions;
  /** Carried across continue-as-new: changes not yet imported, key → earliest time (ms). */
  pending?: Record<string, number>;
  /** Carried across continue-as-new: batches imported so far. */
  batches?: number;
}

export interface ChangesProgress {
  pending: number;
  batches: number;
  /** The last batch: how many changes it held, the delta it imported, and how it ended. */
  lastBatch: { changes: number; updatedSince: string; outcome: 'imported' | 'failed'; detail: string } | null;
}

export const changesProgressQuery = defineQuery<ChangesProgress>('changesProgress');
