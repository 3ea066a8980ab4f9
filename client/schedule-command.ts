/**
 * `schedule create|list|pause|unpause|trigger|delete`: the import on a Temporal Schedule.
 *
 * Each tick starts importEmployees with `sync.mode: 'auto'`: a delta since the last successful
 * run's watermark, and a full reconcile every `--full-every` (workflows/sync-window.ts). A tick
 * that finds the previous run still going is skipped, never queued: a queued run would only
 * read what the running one is already reading.
 */
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  WorkflowNotFoundError,
  type Client,
  type ScheduleDescription,
  type ScheduleOptions,
} from '@temporalio/client';
import { ApplicationFailure, ValueError } from '@temporalio/common';
import type { Command } from 'commander';
import { loadTemporalSettings } from '../config/env.js';
import { parseImportInput } from '../domain/import-input.js';
import { UNKNOWN_ENCRYPTION_KEY } from '../domain/failure-types.js';
import {
  IMPORT_WORKFLOW_TYPE,
  importWorkflowId,
  SCHEDULED_IMPORT_WORKFLOW_TYPE,
} from '../workflows/import-api.js';
import { parseDuration, type SyncState } from '../workflows/sync-window.js';
import { importInputFrom } from './import-input-options.js';
import { ensureSearchAttributes } from './search-attributes.js';
import { connectClient } from './temporal-client.js';
import { UsageError } from './usage-error.js';
import { temporalWebUrl } from './web-links.js';

/** Below this, runs would mostly be skipped as overlapping: a full import takes minutes. */
const MIN_EVERY_MS = 60_000;
const DEFAULT_FULL_EVERY = '24h';

export function defaultScheduleId(taskQueue: string): string {
  return `personio-sync-${taskQueue}`;
}

/**
 * Temporal appends each tick's time to this id. Another schedule's runs get its id in theirs,
 * so two schedules never produce one id at the same tick (Temporal would drop one start).
 */
export function scheduledWorkflowId(taskQueue: string, scheduleId = defaultScheduleId(taskQueue)): string {
  const base = `${importWorkflowId(taskQueue)}-scheduled`;
  return scheduleId === defaultScheduleId(taskQueue) ? base : `${base}-${scheduleId}`;
}

/** The workflow types of import schedules (before scheduled runs took the queue's id: the import). */
const SCHEDULED_TYPES = new Set([SCHEDULED_IMPORT_WORKFLOW_TYPE, IMPORT_WORKFLOW_TYPE]);

export interface ScheduleCreateFlags {
  every: string;
  fullEvery?: string;
  id?: string;
  input?: string;
  inputJson?: string;
  paused?: boolean;
  note?: string;
}

/** A duration flag in milliseconds, or a UsageError naming the flag and the value. */
export function durationFlag(flag: string, text: string, minMs = 1000): number {
  const ms = parseDuration(text);
  if (ms === null || ms % 1000 !== 0) {
    throw new UsageError(`${flag}: must be a duration like 15m, 1h, 1d; got '${text}'`);
  }
  if (ms < minMs) throw new UsageError(`${flag}: must be at least ${formatDuration(minMs)}; got '${text}'`);
  return ms;
}

/**
 * The schedule `create` would make, validated in full before anything is sent: a mistake in
 * the flags or the input costs nothing and names the field.
 */
export function scheduleCreateOptions(flags: ScheduleCreateFlags, taskQueue: string): ScheduleOptions {
  const everyMs = durationFlag('--every', flags.every, MIN_EVERY_MS);
  if (flags.fullEvery !== undefined) durationFlag('--full-every', flags.fullEvery);
  const { raw } = importInputFrom({ input: flags.input, inputJson: flags.inputJson });

  const given = (raw.sync ?? {}) as Record<string, unknown>;
  if (given.updatedSince !== undefined && given.updatedSince !== null) {
    throw new UsageError(
      "The import input is invalid:\n  - sync.updatedSince: not for a schedule; each run reads from the last successful run's watermark",
    );
  }
  // An explicit sync.mode in the input wins (a schedule of full imports is a valid choice).
  const args = {
    ...raw,
    sync: {
      ...given,
      mode: given.mode ?? 'auto',
      fullReconcileEvery: flags.fullEvery ?? given.fullReconcileEvery ?? DEFAULT_FULL_EVERY,
    },
  };
  const parsed = parseImportInput(args);
  if (!parsed.ok) {
    throw new UsageError(
      `The import input is invalid:\n${parsed.problems.map((p) => `  - ${p.message}`).join('\n')}`,
    );
  }
  const { input } = parsed;
  const scheduleId = flags.id ?? defaultScheduleId(taskQueue);
  return {
    scheduleId,
    spec: { intervals: [{ every: everyMs }] },
    action: {
      // The run takes the task queue's one import id for the import itself, so it never
      // writes beside a manual import or one waiting for approval (workflows/scheduled-import.ts).
      type: 'startWorkflow',
      workflowType: SCHEDULED_IMPORT_WORKFLOW_TYPE,
      taskQueue,
      workflowId: scheduledWorkflowId(taskQueue, scheduleId),
      args: [args],
      staticSummary: `Scheduled Personio → JumpCloud sync (${input.sync.mode})${input.dryRun ? ' (dry run)' : ''}`,
    },
    policies: {
      overlap: ScheduleOverlapPolicy.SKIP,
      // A tick missed while Temporal was down is made up within one interval; older ones are
      // superseded by the next tick anyway (the watermark covers whatever they would have read).
      catchupWindow: everyMs,
    },
    state: {
      paused: flags.paused ?? false,
      note:
        flags.note ??
        `every ${formatDuration(everyMs)}, ${input.sync.mode === 'auto' ? `full reconcile every ${input.sync.fullReconcileEvery}` : `sync mode ${input.sync.mode}`}`,
    },
  };
}

/** What the schedule operations need; the CLI connects, tests pass their own client. */
export interface ScheduleContext {
  client: Client;
  taskQueue: string;
  namespace: string;
  print: (line: string) => void;
}

export async function createSchedule(ctx: ScheduleContext, flags: ScheduleCreateFlags): Promise<string> {
  const options = scheduleCreateOptions(flags, ctx.taskQueue);
  const warning = await ensureSearchAttributes(ctx.client, ctx.namespace);
  if (warning) ctx.print(`warning: ${warning}`);
  // One schedule per task queue: a second one's runs could only be skipped (one import at a
  // time per queue) and would make the schedules' watermarks disagree.
  const existing = (await schedulesOnQueue(ctx)).filter((id) => id !== options.scheduleId);
  if (existing.length > 0) {
    throw new UsageError(
      `task queue ${ctx.taskQueue} has a schedule already (${existing.join(', ')}); ` +
        `one import runs per task queue at a time, so a second schedule's runs would only be skipped. ` +
        `Change that one (\`schedule delete ${existing[0]!}\`, then create it again), or use another TEMPORAL_TASK_QUEUE`,
    );
  }
  try {
    await ctx.client.schedule.create(options);
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) {
      throw new UsageError(
        `a schedule named ${options.scheduleId} already exists; \`schedule delete ${options.scheduleId}\` first, or choose another --id`,
      );
    }
    throw err;
  }
  ctx.print(
    `Created schedule ${options.scheduleId}: ${options.state?.note}${options.state?.paused ? ' (paused)' : ''}; overlapping runs are skipped.`,
  );
  ctx.print(`Temporal Web: ${scheduleLink(ctx.namespace, options.scheduleId)}`);
  return options.scheduleId;
}

export interface ScheduleRow {
  scheduleId: string;
  taskQueue: string;
  everyMs: number[];
  overlap: ScheduleOverlapPolicy;
  paused: boolean;
  note: string | undefined;
  fullReconcileEvery: string | null;
  nextRun: Date | null;
  running: string[];
  lastRun: {
    workflowId: string;
    startedAt: Date;
    status: string;
    sync: SyncState | null;
    /** Why the run did not import (another import held the task queue's place). */
    skipped: string | null;
  } | null;
  /** Ticks the schedule skipped because its previous run was still going, and missed ones. */
  ticksSkipped: { overlap: number; missed: number };
  /** From the most recent successful run among the recent ones: where the next delta starts. */
  watermark: { value: string; workflowId: string; lastFullReconcileAt: string | null } | null;
}

/**
 * The import schedules on this task queue. Read undecoded: schedules of other task queues
 * may carry payloads encrypted with keys this CLI does not have.
 */
async function schedulesOnQueue(ctx: ScheduleContext): Promise<string[]> {
  const ids: string[] = [];
  for await (const summary of ctx.client.schedule.list()) {
    if (!SCHEDULED_TYPES.has(summary.action?.workflowType ?? '')) continue;
    try {
      const raw = await ctx.client.workflowService.describeSchedule({
        namespace: ctx.namespace,
        scheduleId: summary.scheduleId,
      });
      if (raw.schedule?.action?.startWorkflow?.taskQueue?.name === ctx.taskQueue)
        ids.push(summary.scheduleId);
    } catch (err) {
      if ((err as { code?: number }).code !== 5) throw err; // NOT_FOUND: deleted since the list was read
    }
  }
  return ids;
}

/** Every importEmployees schedule in the namespace, with its last run and current watermark. */
export async function listSchedules(ctx: ScheduleContext): Promise<ScheduleRow[]> {
  const rows: ScheduleRow[] = [];
  for await (const summary of ctx.client.schedule.list()) {
    if (!SCHEDULED_TYPES.has(summary.action?.workflowType ?? '')) continue;
    let description: ScheduleDescription;
    try {
      description = await ctx.client.schedule.getHandle(summary.scheduleId).describe();
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) continue; // deleted since the list was read
      if (
        err instanceof ValueError ||
        (err instanceof ApplicationFailure && err.type === UNKNOWN_ENCRYPTION_KEY)
      ) {
        // Encrypted with keys this CLI does not have: another deployment's schedule.
        ctx.print(`(${summary.scheduleId}: not readable with these PAYLOAD_KEYS; skipped)`);
        continue;
      }
      throw err;
    }
    rows.push(await rowOf(ctx.client, description));
  }
  return rows.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
}

async function rowOf(client: Client, d: ScheduleDescription): Promise<ScheduleRow> {
  const action = d.action.type === 'startWorkflow' ? d.action : null;
  const sync = (action?.args?.[0] as { sync?: { fullReconcileEvery?: string; mode?: string } } | undefined)
    ?.sync;
  const recent = [...d.info.recentActions].reverse();
  let lastRun: ScheduleRow['lastRun'] = null;
  let watermark: ScheduleRow['watermark'] = null;
  for (const [index, taken] of recent.entries()) {
    const run = await runOutcome(client, taken.action.workflow.workflowId);
    if (index === 0)
      lastRun = { ...run, workflowId: taken.action.workflow.workflowId, startedAt: taken.takenAt };
    if (run.sync) {
      watermark = {
        value: run.sync.watermark,
        workflowId: taken.action.workflow.workflowId,
        lastFullReconcileAt: run.sync.lastFullReconcileAt,
      };
      break;
    }
  }
  return {
    scheduleId: d.scheduleId,
    taskQueue: action?.taskQueue ?? '?',
    everyMs: d.spec.intervals?.map((i) => i.every) ?? [],
    overlap: d.policies.overlap,
    paused: d.state.paused,
    note: d.state.note,
    // Only `auto` alternates; the input's default mode is `full`.
    fullReconcileEvery: sync?.mode === 'auto' ? (sync.fullReconcileEvery ?? DEFAULT_FULL_EVERY) : null,
    nextRun: d.info.nextActionTimes[0] ?? null,
    running: d.info.runningActions.map((a) => a.workflow.workflowId),
    lastRun,
    ticksSkipped: { overlap: d.info.numActionsSkippedOverlap, missed: d.info.numActionsMissedCatchupWindow },
    watermark,
  };
}

/** A run's status (following continue-as-new) and, when it completed, its report's `sync`. */
async function runOutcome(
  client: Client,
  workflowId: string,
): Promise<{ status: string; sync: SyncState | null; skipped: string | null }> {
  try {
    const handle = client.workflow.getHandle(workflowId);
    const { status } = await handle.describe();
    if (status.name !== 'COMPLETED') return { status: status.name, sync: null, skipped: null };
    const report = (await handle.result()) as { sync?: SyncState; skipped?: string } | undefined;
    return { status: status.name, sync: report?.sync ?? null, skipped: report?.skipped ?? null };
  } catch (err) {
    // Closed runs are kept for the namespace's retention period only.
    if (err instanceof WorkflowNotFoundError)
      return { status: 'no longer retained', sync: null, skipped: null };
    throw err;
  }
}

export function formatScheduleRow(row: ScheduleRow): string[] {
  const every = row.everyMs.map(formatDuration).join(', ') || 'no interval';
  const lines = [
    `${row.scheduleId}  every ${every}  ${row.paused ? 'PAUSED' : 'active'}  overlap ${row.overlap}  task queue ${row.taskQueue}`,
  ];
  if (row.note) lines.push(`  note          ${row.note}`);
  // The default note already says it; a note of the user's does not.
  if (row.fullReconcileEvery && !row.note?.includes(`full reconcile every ${row.fullReconcileEvery}`)) {
    lines.push(`  full reconcile every ${row.fullReconcileEvery}`);
  }
  lines.push(`  next run      ${row.paused ? '(paused)' : (row.nextRun?.toISOString() ?? '-')}`);
  for (const id of row.running) lines.push(`  running       ${id}`);
  if (row.lastRun) {
    const s = row.lastRun.sync;
    const what =
      s && !row.lastRun.skipped ? ` (${s.mode}${s.updatedSince ? ` since ${s.updatedSince}` : ''})` : '';
    lines.push(
      `  last run      ${row.lastRun.startedAt.toISOString()} ${row.lastRun.status}${what}  ${row.lastRun.workflowId}`,
    );
    if (row.lastRun.skipped) lines.push(`                ${row.lastRun.skipped}`);
  } else {
    lines.push('  last run      none yet');
  }
  const { overlap, missed } = row.ticksSkipped;
  if (overlap > 0 || missed > 0)
    lines.push(
      `  ticks skipped ${overlap} while the previous run was still going, ${missed} missed (Temporal was unreachable)`,
    );
  lines.push(
    row.watermark
      ? `  watermark     ${row.watermark.value} (next delta reads changes since then; last full reconcile ${row.watermark.lastFullReconcileAt ?? 'unknown'})`
      : '  watermark     none yet (the next run is a full import)',
  );
  return lines;
}

export async function pauseSchedule(
  ctx: ScheduleContext,
  id: string | undefined,
  note?: string,
): Promise<void> {
  const scheduleId = id ?? defaultScheduleId(ctx.taskQueue);
  await known(scheduleId, () =>
    ctx.client.schedule.getHandle(scheduleId).pause(note ?? 'paused with the CLI'),
  );
  ctx.print(`Paused ${scheduleId}; a run in progress finishes. \`schedule unpause ${scheduleId}\` resumes.`);
}

export async function unpauseSchedule(
  ctx: ScheduleContext,
  id: string | undefined,
  note?: string,
): Promise<void> {
  const scheduleId = id ?? defaultScheduleId(ctx.taskQueue);
  await known(scheduleId, () =>
    ctx.client.schedule.getHandle(scheduleId).unpause(note ?? 'unpaused with the CLI'),
  );
  ctx.print(`Unpaused ${scheduleId}.`);
}

/**
 * Runs now, under the schedule's own overlap policy: with SKIP, a trigger while a run is in
 * progress is skipped, as a tick would be. (The SDK's trigger() defaults to ALLOW_ALL.)
 */
export async function triggerSchedule(ctx: ScheduleContext, id: string | undefined): Promise<void> {
  const scheduleId = id ?? defaultScheduleId(ctx.taskQueue);
  const handle = ctx.client.schedule.getHandle(scheduleId);
  const description = await known(scheduleId, () => handle.describe());
  await known(scheduleId, () => handle.trigger(description.policies.overlap));
  const running = description.info.runningActions.map((a) => a.workflow.workflowId);
  if (running.length > 0 && description.policies.overlap === ScheduleOverlapPolicy.SKIP) {
    ctx.print(`A run is still in progress (${running.join(', ')}): this trigger is skipped.`);
  } else {
    ctx.print(`Triggered ${scheduleId}; \`schedule list\` shows the run.`);
  }
}

export async function deleteSchedule(ctx: ScheduleContext, id: string | undefined): Promise<void> {
  const scheduleId = id ?? defaultScheduleId(ctx.taskQueue);
  await known(scheduleId, () => ctx.client.schedule.getHandle(scheduleId).delete());
  ctx.print(`Deleted ${scheduleId}; a run in progress finishes on its own.`);
}

/** An unknown schedule id is the user's mistake: one line that says where to look. */
async function known<T>(scheduleId: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) {
      throw new UsageError(`no schedule named ${scheduleId}; \`schedule list\` shows them`);
    }
    throw err;
  }
}

/** "1h", "90m", "36h": the largest unit that divides the duration evenly. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

function scheduleLink(namespace: string, scheduleId: string): string {
  return `${temporalWebUrl()}/namespaces/${encodeURIComponent(namespace)}/schedules/${encodeURIComponent(scheduleId)}`;
}

/** Connects with the CLI's settings, runs one operation, and always closes the connection. */
async function withContext(operation: (ctx: ScheduleContext) => Promise<unknown>): Promise<void> {
  const settings = loadTemporalSettings();
  const { client, close } = await connectClient(settings);
  try {
    await operation({
      client,
      taskQueue: settings.taskQueue,
      namespace: settings.namespace,
      print: (line) => console.log(line),
    });
  } finally {
    await close();
  }
}

export function registerScheduleCommands(program: Command): void {
  const schedule = program
    .command('schedule')
    .description(
      'run the import on a Temporal Schedule: deltas since the last success, a full reconcile daily',
    );

  schedule
    .command('create')
    .description('create the schedule (overlapping runs are skipped, not queued)')
    .requiredOption('--every <duration>', 'how often to sync, e.g. 15m, 1h, 1d')
    .option('--full-every <duration>', `how often a run is a full reconcile (default ${DEFAULT_FULL_EVERY})`)
    .option('--id <scheduleId>', 'schedule id (default: personio-sync-<task queue>)')
    .option('--input <file>', 'import options as a JSON file')
    .option('--input-json <json>', 'import options as JSON, e.g. \'{"pageSize":50}\'')
    .option('--paused', 'create it paused')
    .option('--note <text>', 'a note shown with the schedule')
    .action(async (flags: ScheduleCreateFlags) => {
      // Validate before connecting: a typo costs nothing and needs no server.
      scheduleCreateOptions(flags, loadTemporalSettings().taskQueue);
      await withContext((ctx) => createSchedule(ctx, flags));
    });

  schedule
    .command('list')
    .description('the import schedules: interval, paused, next run, last run, watermark')
    .action(() =>
      withContext(async (ctx) => {
        const rows = await listSchedules(ctx);
        if (rows.length === 0) ctx.print('No import schedules. `schedule create --every 1h` makes one.');
        for (const row of rows) for (const line of formatScheduleRow(row)) ctx.print(line);
      }),
    );

  schedule
    .command('pause')
    .argument('[scheduleId]')
    .option('--note <text>', 'why (shown with the schedule)')
    .description('stop starting runs until unpaused')
    .action((id: string | undefined, flags: { note?: string }) =>
      withContext((ctx) => pauseSchedule(ctx, id, flags.note)),
    );

  schedule
    .command('unpause')
    .argument('[scheduleId]')
    .option('--note <text>', 'why (shown with the schedule)')
    .description('start runs again')
    .action((id: string | undefined, flags: { note?: string }) =>
      withContext((ctx) => unpauseSchedule(ctx, id, flags.note)),
    );

  schedule
    .command('trigger')
    .argument('[scheduleId]')
    .description('run now (skipped if a run is in progress)')
    .action((id: string | undefined) => withContext((ctx) => triggerSchedule(ctx, id)));

  schedule
    .command('delete')
    .argument('[scheduleId]')
    .description('delete the schedule; a run in progress finishes')
    .action((id: string | undefined) => withContext((ctx) => deleteSchedule(ctx, id)));
}
