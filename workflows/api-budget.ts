/**
 * `apiBudget`: the send times of one credential's requests, for every worker of a task queue
 * (workflows/api-budget-api.ts). Each `reserveSlot` update gets the earliest time at which its
 * rules (sliding windows) still hold, counting every time handed out before, in order; the
 * caller sleeps until then. Temporal serialises the updates, so no two workers get the same
 * slot, and no lock server is needed.
 *
 * The history stays small: the workflow continues as new every RESERVATIONS_PER_RUN updates,
 * carrying only the send times still inside the longest window, and ends when nobody asked for
 * IDLE (the next reservation starts it again, with an empty log: every window has passed).
 */
import { allHandlersFinished, condition, continueAsNew, setHandler } from '@temporalio/workflow';
import {
  MAX_BUDGET_LIMIT,
  MAX_BUDGET_RULES,
  MAX_BUDGET_WINDOW_MS,
  reserveSlotUpdate,
  type BudgetRule,
  type ReserveRequest,
} from './api-budget-api.js';

const RESERVATIONS_PER_RUN = 1000;
const IDLE = '1 hour';

export interface ApiBudgetState {
  /** Send times handed out (epoch ms, ascending) still inside the longest window. */
  granted: number[];
}

export async function apiBudget(carried?: ApiBudgetState): Promise<void> {
  // A forged carried state can only make callers wait (never send more): clamp it anyway.
  const granted = (Array.isArray(carried?.granted) ? carried.granted : [])
    .filter((t) => typeof t === 'number' && Number.isFinite(t) && t <= Date.now() + MAX_BUDGET_WINDOW_MS)
    .sort((a, b) => a - b)
    .slice(-MAX_BUDGET_LIMIT);
  let longestWindow = 0;
  let reservations = 0;
  let lastAsked = Date.now();

  setHandler(
    reserveSlotUpdate,
    ({ rules }: ReserveRequest) => {
      const now = Date.now();
      lastAsked = now;
      reservations++;
      // First in, first served: never before the last slot handed out.
      let at = Math.max(now, granted.at(-1) ?? now);
      for (const { limit, windowMs } of rules) {
        longestWindow = Math.max(longestWindow, windowMs);
        if (granted.length >= limit) at = Math.max(at, granted[granted.length - limit]! + windowMs);
      }
      granted.push(at);
      // Forget what left every window a caller may ask about.
      const horizon = now - Math.max(longestWindow, 1000);
      while (granted.length > 0 && granted[0]! < horizon) granted.shift();
      return at;
    },
    { validator: ({ rules }: ReserveRequest) => checkRules(rules) },
  );

  const idle = !(await condition(() => reservations >= RESERVATIONS_PER_RUN, IDLE));
  await condition(allHandlersFinished);
  // Quiet for longer than any window: nothing to carry, so end (the next caller starts a run).
  if (idle && Date.now() - lastAsked >= longestWindow) return;
  await continueAsNew<typeof apiBudget>({ granted: [...granted] });
}

function checkRules(rules: unknown): void {
  const fine =
    Array.isArray(rules) &&
    rules.length >= 1 &&
    rules.length <= MAX_BUDGET_RULES &&
    rules.every(
      (r: BudgetRule) =>
        Number.isInteger(r?.limit) &&
        r.limit >= 1 &&
        r.limit <= MAX_BUDGET_LIMIT &&
        typeof r.windowMs === 'number' &&
        r.windowMs > 0 &&
        r.windowMs <= MAX_BUDGET_WINDOW_MS,
    );
  if (!fine)
    throw new Error(
      `rules: 1 to ${MAX_BUDGET_RULES} of {limit: whole 1..${MAX_BUDGET_LIMIT}, windowMs: 1..${MAX_BUDGET_WINDOW_MS}}`,
    );
}
