/**
 * One API budget shared by every worker of a task queue (issue 12): the `apiBudget` workflow
 * hands out send times for one credential's requests, so several workers together keep to the
 * limit each would keep alone. Names only here: the worker's clients import them.
 */
import { defineUpdate } from '@temporalio/workflow';

export interface BudgetRule {
  /** At most this many requests … */
  limit: number;
  /** … in any window this long (ms). */
  windowMs: number;
}

export interface ReserveRequest {
  /** The caller's rules (its worker's configuration); each reservation keeps to its own. */
  rules: BudgetRule[];
}

/** A send time (epoch ms) for one request; the caller waits until then. */
export const reserveSlotUpdate = defineUpdate<number, [ReserveRequest]>('reserveSlot');

/** The budget workflow of one credential of one system on one task queue. */
export function apiBudgetWorkflowId(taskQueue: string, system: string, credential: string): string {
  return `api-budget-${taskQueue}-${system}-${credential}`;
}

/** Bounds on a reservation's rules: anyone on the namespace can send one. */
export const MAX_BUDGET_RULES = 4;
export const MAX_BUDGET_LIMIT = 100_000;
export const MAX_BUDGET_WINDOW_MS = 3_600_000;
