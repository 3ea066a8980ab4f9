/**
 * Which employees a run reads: all of them (full) or only those Personio changed since a
 * watermark (delta). Deterministic and free of Node built-ins: workflow code imports this.
 *
 * The watermark lives in Temporal itself. A scheduled run receives the result of the
 * schedule's last SUCCESSFUL run as `workflowInfo().lastResult` (a failed run does not replace
 * it), and that result carries `sync.watermark`. So the watermark moves only when a run
 * succeeds, and a failed run loses no change: the next run reads again from the old mark.
 */
import { z } from 'zod';
import type { ImportInput } from '../domain/import-input.js';

/**
 * Personio stamps `last_modified_at` with its own clock; ours may differ. The watermark is the
 * run's start minus this margin, so a clock up to 5 minutes behind ours loses no change (a few
 * unchanged employees read twice cost nothing: the import writes only differences).
 */
export const SKEW_MARGIN_MS = 5 * 60_000;

export type SyncMode = 'full' | 'delta';

export interface SyncWindow {
  mode: SyncMode;
  /** Personio's `updated_since` for this run; null for a full run. */
  updatedSince: string | null;
  /** Why this mode, in words for the report and Temporal Web. */
  why: string;
  /** When the last full reconcile started, carried through deltas; null when unknown. */
  lastFullReconcileAt: string | null;
}

/** The `sync` part of the import's report: what the next scheduled run starts from. */
export interface SyncState {
  mode: SyncMode;
  updatedSince: string | null;
  /** The next delta reads employees changed since this instant. */
  watermark: string;
  /** When the last full reconcile started (this run's start when it was one); null: unknown. */
  lastFullReconcileAt: string | null;
  why: string;
}

/** A duration as the input and the CLI write it: "90s", "15m", "24h", "7d" (and "500ms"). */
const DURATION = /^([1-9][0-9]{0,5})(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds, or null when the text is not such a duration. */
export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/**
 * The previous result is untrusted (an older version of this code, or another workflow type,
 * may have produced it): only the fields read here are checked, anything else is ignored.
 */
const instant = z.string().refine((text) => !Number.isNaN(Date.parse(text)));
const previousResultSchema = z.object({
  dryRun: z.boolean().optional(),
  sync: z.object({
    watermark: instant,
    lastFullReconcileAt: instant.nullable().optional(),
  }),
});
type PreviousResult = z.output<typeof previousResultSchema>;

function readPrevious(lastResult: unknown): PreviousResult | null {
  const parsed = previousResultSchema.safeParse(lastResult);
  return parsed.success ? parsed.data : null;
}

export interface SyncWindowRequest {
  sync: ImportInput['sync'];
  /** `workflowInfo().lastResult`: the schedule's last successful run's report, if any. */
  lastResult: unknown;
  /** Workflow time (Date.now() in workflow code), epoch ms. */
  now: number;
  /** This run is a dry run: a dry run's watermark may serve it, a real run needs a real one. */
  dryRun?: boolean;
}

export function resolveSyncWindow({ sync, lastResult, now, dryRun = false }: SyncWindowRequest): SyncWindow {
  const previous = lastResult === undefined || lastResult === null ? null : readPrevious(lastResult);
  const full = (why: string): SyncWindow => ({
    mode: 'full',
    updatedSince: null,
    why,
    lastFullReconcileAt: null,
  });
  const delta = (updatedSince: string, why: string): SyncWindow => ({
    mode: 'delta',
    updatedSince,
    why,
    lastFullReconcileAt: previous?.sync.lastFullReconcileAt ?? null,
  });

  if (sync.mode === 'full') return full('full import requested');
  if (sync.mode === 'delta' && sync.updatedSince !== null) {
    return delta(sync.updatedSince, `changes since ${sync.updatedSince}, as requested`);
  }

  // From here on the previous run decides; first rule out one that cannot serve as a basis.
  const unusable = unusableReason(lastResult, previous, now, dryRun);
  if (unusable) return full(unusable);
  const { watermark, lastFullReconcileAt } = previous!.sync;

  if (sync.mode === 'auto') {
    const every = parseDuration(sync.fullReconcileEvery);
    if (every === null)
      return full(`fullReconcileEvery ${JSON.stringify(sync.fullReconcileEvery)} is unreadable`);
    if (!lastFullReconcileAt) return full('no full reconcile on record');
    // Schedule ticks jitter by a few seconds: a reconcile due "now" must not slip a whole
    // interval because this tick came a moment early.
    const slack = Math.min(SKEW_MARGIN_MS, every / 10);
    const elapsed = now - Date.parse(lastFullReconcileAt);
    if (elapsed >= every - slack) {
      return full(`full reconcile due (every ${sync.fullReconcileEvery}; last ${lastFullReconcileAt})`);
    }
  }
  return delta(watermark, `changes since the last successful run (watermark ${watermark})`);
}

function unusableReason(
  lastResult: unknown,
  previous: PreviousResult | null,
  now: number,
  dryRun: boolean,
): string | null {
  if (lastResult === undefined || lastResult === null) return 'no earlier successful run';
  if (!previous) return "the last run's result carries no readable watermark";
  // A preview wrote nothing: changes it saw are still to be applied by a real run.
  if (previous.dryRun === true && !dryRun) return 'the last successful run was a dry run';
  // Only a clock jump puts it there; reading from it would skip every change until then.
  if (Date.parse(previous.sync.watermark) > now) return "the last run's watermark lies in the future";
  return null;
}

/**
 * The `sync` object for this run's report. `startedAtMs` is when the run started reading
 * (its first run's start, across continue-as-new): anything Personio changes after it is
 * left to the next run.
 *
 * `employeesFailed`: a delta run in which some employees failed keeps its starting watermark,
 * so the next delta retries them instead of leaving them to the next full reconcile.
 */
export function nextSyncState(window: SyncWindow, startedAtMs: number, employeesFailed = 0): SyncState {
  const keepOld = window.mode === 'delta' && employeesFailed > 0 && window.updatedSince !== null;
  return {
    mode: window.mode,
    updatedSince: window.updatedSince,
    watermark: keepOld ? window.updatedSince! : isoSeconds(startedAtMs - SKEW_MARGIN_MS),
    lastFullReconcileAt: window.mode === 'full' ? isoSeconds(startedAtMs) : window.lastFullReconcileAt,
    why: keepOld ? `${window.why}; watermark kept: ${employeesFailed} employees failed` : window.why,
  };
}

/**
 * "2026-11-28T13:00:00Z": whole seconds (rounded down, so nothing is skipped), the form every
 * ISO 8601 reader accepts, Personio's `updated_since` included.
 */
function isoSeconds(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}
