/**
 * `report`: the complete per-employee report of an import, for any size: the parent's
 * result names the pages, and each page's result (or, while it runs, its answer to
 * `pageReportQuery`) holds its employees. Only what workflows return or answer: no history
 * is read.
 */
import { csvCell, stripTerminalEscapes } from '../domain/text-safety.js';
import { writeFileSync } from 'node:fs';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { EmployeeResult } from '../domain/outcomes.js';
import { loadTemporalSettings } from '../config/env.js';
import {
  pageWorkflowId,
  planWorkflowId,
  runKey,
  type ImportReport,
  type RunKeyLength,
  type PageReport,
} from '../workflows/import-api.js';
import { connectClient } from './temporal-client.js';
import { UsageError } from './usage-error.js';
import { importWorkflowId, pageProgressQuery, progressQuery } from '../workflows/import-api.js';
import { endReason, firstRunIdOf, stoppedProgress } from './run-facts.js';
import {
  directoryPageWorkflowId,
  pageReportQuery,
  type HeldPageReport,
} from '../workflows/directory-page-api.js';

export interface ReportRow {
  personioId: number;
  outcome: string;
  reason: string;
  changedFields: string;
  /** "field: old → new" per changed field, "; "-separated (plans and updates). */
  changes: string;
  groupsJoined: string;
  groupsLeft: string;
  /** "old → new" JumpCloud manager id (plans). */
  manager: string;
  /** The username a new user gets (plans). */
  username: string;
  jumpcloudUserId: string;
  managerNote: string;
  /**
   * Activation on the hire date: when the timer activates the user, or "at once" for a
   * starter imported after that time on their hire date.
   */
  activation: string;
  /** What was cut or cleaned in the employee's Personio data ("field: cut from N to 1024 characters …"). */
  warnings: string;
}

export async function collectReport(
  client: Client,
  workflowId: string,
): Promise<{ report: ImportReport; rows: ReportRow[] }> {
  const report = (await client.workflow.getHandle(workflowId).result()) as ImportReport;
  // A scheduled run skipped because another import held the place read nobody.
  if (report.skipped) return { report, rows: [] };
  // A scheduled run's import ran under the task queue's import id; its pages are named after it.
  const importId = report.importWorkflowId ?? workflowId;
  const notes = new Map(report.managers.notes.map((n) => [n.personioId, n.reason]));
  const length = await runKeyLengthOf(client, importId, report);
  const rows: ReportRow[] = [];
  if (report.heldPages !== undefined) {
    // Each page this run read holds its own report: as applied, else as planned.
    for (let i = 0; i < report.heldPages; i++) {
      const id = directoryPageWorkflowId(importId, report.firstRunId, i * report.pageSize);
      const held = (await client.workflow.getHandle(id).result()) as HeldPageReport;
      const results = held.applied ? completedByPlan(held.applied, held.planned) : (held.planned ?? []);
      rows.push(...toRows(results, notes, Date.parse(report.startedAt)));
    }
    return { report, rows: oncePerEmployee(rows) };
  }
  for (let offset = 0; offset < report.pages * report.pageSize; offset += report.pageSize) {
    const page = await pageReport(client, importId, report, offset, length);
    rows.push(...(page ? toRows(page.results, notes, Date.parse(report.startedAt)) : []));
  }
  return { report, rows: oncePerEmployee(rows) };
}

/** The plan of a run waiting for approval whose pages it holds: asked of each page. */
async function heldPlanSoFar(
  client: Client,
  workflowId: string,
  { firstRunId, heldPages, pageSize }: { firstRunId: string; heldPages: number; pageSize: number },
  runStart: number,
): Promise<ReportRow[]> {
  const rows: ReportRow[] = [];
  for (let i = 0; i < heldPages; i++) {
    const id = directoryPageWorkflowId(workflowId, firstRunId, i * pageSize);
    const held = await client.workflow.getHandle(id).query(pageReportQuery);
    rows.push(...toRows(held.planned ?? [], new Map(), runStart));
  }
  return rows;
}

/**
 * Each employee once: offset paging over a directory that changed mid-run can show one
 * employee on two pages (both pages stage them once each; the first is kept).
 */
function oncePerEmployee(rows: ReportRow[]): ReportRow[] {
  const seen = new Set<number>();
  return rows.filter((r) => !seen.has(r.personioId) && seen.add(r.personioId));
}

/**
 * The plan of an import still running (one waiting for approval): every preview page of
 * this run (its chain's first run id names them; earlier runs under the same workflow id
 * have pages of their own), in directory order.
 */
export async function collectPlanSoFar(client: Client, workflowId: string): Promise<ReportRow[]> {
  const progress = await client.workflow.getHandle(workflowId).query(progressQuery);
  const description = await client.workflow.getHandle(workflowId).describe();
  const { heldPages, firstRunId: heldRunId, pageSize } = progress;
  if (heldPages !== undefined && heldRunId && pageSize)
    return heldPlanSoFar(
      client,
      workflowId,
      { firstRunId: heldRunId, heldPages, pageSize },
      description.startTime.getTime(),
    );
  const firstRunId = description.raw.workflowExecutionInfo?.firstRunId || description.runId;
  const rows: ReportRow[] = [];
  for (const length of ['whole', 'short'] as const) {
    const prefix = `${workflowId}/${runKey(firstRunId, length)}/plan-`;
    const pages: { offset: number; id: string }[] = [];
    for await (const child of client.workflow.list({ query: `WorkflowId STARTS_WITH "${prefix}"` })) {
      const offset = Number(child.workflowId.slice(prefix.length));
      if (child.status.name === 'COMPLETED' && Number.isInteger(offset))
        pages.push({ offset, id: child.workflowId });
    }
    pages.sort((a, b) => a.offset - b.offset);
    for (const { id } of pages)
      rows.push(...toRows(await fullResults(client, id), new Map(), description.startTime.getTime()));
    // Runs started before page ids carried the whole run id have the short form only.
    if (pages.length > 0) break;
  }
  return oncePerEmployee(rows);
}

/**
 * What a run that stopped midway (cancelled, failed, terminated) did: every page it applied,
 * finished or cut short (a cut-short page answers with the employees it finished), and every
 * previewed page with nothing to write (its plan is its outcome). Pages planned with writes
 * but never applied did nothing and are not listed.
 */
export async function collectStoppedRun(client: Client, workflowId: string): Promise<ReportRow[]> {
  const firstRunId = await firstRunIdOf(client, workflowId);
  const rows: ReportRow[] = [];
  for (const length of ['whole', 'short'] as const) {
    const prefix = `${workflowId}/${runKey(firstRunId, length)}/`;
    const pages: { offset: number; results: EmployeeResult[] }[] = [];
    for await (const child of client.workflow.list({ query: `WorkflowId STARTS_WITH "${prefix}"` })) {
      const [kind, offsetText] = child.workflowId.slice(prefix.length).split('-');
      const offset = Number(offsetText);
      const handle = client.workflow.getHandle(child.workflowId, child.runId);
      if (kind === 'read') {
        // A page this run read and held: what it applied (a page cut short by the cancel: the
        // employees it finished), else its plan when it had nothing to write.
        const held = await (
          child.status.name === 'COMPLETED'
            ? (handle.result() as Promise<HeldPageReport>)
            : handle.query(pageReportQuery)
        ).catch(() => null);
        const cutShort =
          child.status.name === 'COMPLETED' || held?.applied
            ? null
            : await handle.query(pageProgressQuery).catch(() => null);
        const results =
          (held?.applied ? completedByPlan(held.applied, held.planned) : null) ??
          (cutShort && cutShort.results.length > 0 ? cutShort.results : null) ??
          (held && held.plannedWrites === false ? held.planned : null);
        if (results) pages.push({ offset, results });
      } else if (kind === 'page') {
        const results =
          child.status.name === 'COMPLETED'
            ? ((await handle.result()) as PageReport).results
            : ((await handle.query(pageProgressQuery).catch(() => null))?.results ?? []);
        pages.push({ offset, results });
      } else if (kind === 'plan' && child.status.name === 'COMPLETED') {
        const page = (await handle.result()) as PageReport;
        if (page.planned && !page.planned.writes)
          pages.push({ offset, results: await fullResults(client, child.workflowId, page) });
      }
    }
    pages.sort((a, b) => a.offset - b.offset);
    for (const page of pages) rows.push(...toRows(page.results, new Map()));
    if (pages.length > 0) break;
  }
  return oncePerEmployee(rows);
}

function toRows(
  results: readonly EmployeeResult[],
  notes: ReadonlyMap<number, string>,
  /** When the run started (epoch ms): an activation time before it means "at once". */
  runStart?: number,
): ReportRow[] {
  return results.map((r) => ({
    personioId: r.personioId,
    outcome: r.outcome,
    reason: r.reason ?? '',
    changedFields: (r.changedFields ?? []).join(' '),
    changes: (r.changes ?? []).map((c) => `${c.field}: ${c.from || '∅'} → ${c.to || '∅'}`).join('; '),
    groupsJoined: (r.groupsJoined ?? []).join('; '),
    groupsLeft: (r.groupsLeft ?? []).join('; '),
    manager: r.manager ? `${r.manager.from ?? '∅'} → ${r.manager.to ?? '∅'}` : '',
    username: r.username ?? '',
    jumpcloudUserId: r.jumpcloudUserId ?? '',
    managerNote: notes.get(r.personioId) ?? '',
    activation: activationText(r.activateAt, runStart),
    warnings: (r.warnings ?? []).join('; '),
  }));
}

function activationText(activateAt: string | undefined, runStart: number | undefined): string {
  if (!activateAt) return '';
  return runStart !== undefined && Date.parse(activateAt) <= runStart
    ? `at once (${activateAt} had passed on the hire date)`
    : activateAt;
}

/**
 * A page child's every employee. A preview page returns only the counts and problems; it
 * tells its full plan when asked (`pageReportQuery`: a page that has ended is replayed by a
 * worker of the task queue to answer).
 */
async function fullResults(
  client: Client,
  pageWorkflowId: string,
  page?: PageReport,
): Promise<EmployeeResult[]> {
  const handle = client.workflow.getHandle(pageWorkflowId);
  const report = page ?? ((await handle.result()) as PageReport);
  if (!report.planned?.fullPlanInActivity) return report.results;
  const { planned } = await handle.query(pageReportQuery);
  if (!planned) throw new Error(`${pageWorkflowId}: the page does not tell its plan`);
  return planned;
}

/**
 * A page's report: the page child that applied it, else the preview's (a page with nothing
 * to write is not applied; in a dry run or a rejected run none is). Null when neither ran.
 */
async function pageReport(
  client: Client,
  workflowId: string,
  report: ImportReport,
  offset: number,
  length: RunKeyLength,
): Promise<PageReport | null> {
  const [appliedId, plannedId] = [pageWorkflowId, planWorkflowId].map((id) =>
    id(workflowId, report.firstRunId, offset, length),
  );
  const planned = await finishedPage(client, plannedId!);
  const applied = await finishedPage(client, appliedId!);
  if (!applied) return planned;
  if (!planned) return applied;
  const results = completedByPlan(applied.results, planned.results);
  return { ...applied, results };
}

/**
 * What applying did, completed with what only the plan knows: the manager each user gets
 * (linked after every page, as planned) and the groups a changed user joins. Only where the
 * outcome is the planned one.
 */
function completedByPlan(
  applied: readonly EmployeeResult[],
  planned: readonly EmployeeResult[] | null,
): EmployeeResult[] {
  const plan = new Map((planned ?? []).map((r) => [r.personioId, r]));
  return applied.map((r) => {
    const p = plan.get(r.personioId);
    if (!p || p.outcome !== r.outcome) return r;
    return {
      ...r,
      ...(r.groupsJoined === undefined && p.groupsJoined ? { groupsJoined: p.groupsJoined } : {}),
      ...(r.groupsLeft === undefined && p.groupsLeft ? { groupsLeft: p.groupsLeft } : {}),
      ...(r.manager === undefined && p.manager ? { manager: p.manager } : {}),
      ...(r.username === undefined && p.username ? { username: p.username } : {}),
    };
  });
}

/** A page child's report with every employee, or null when there is no such child. */
async function finishedPage(client: Client, id: string): Promise<PageReport | null> {
  try {
    const page = (await client.workflow.getHandle(id).result()) as PageReport;
    return { ...page, results: await fullResults(client, id, page) };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

/**
 * How this run named its pages: the whole run id since page ids carried it, the short form
 * before (every run that read anything has its first page, planned or applied).
 */
async function runKeyLengthOf(
  client: Client,
  workflowId: string,
  report: ImportReport,
): Promise<RunKeyLength> {
  for (const id of [planWorkflowId, pageWorkflowId]) {
    try {
      await client.workflow.getHandle(id(workflowId, report.firstRunId, 0, 'whole')).describe();
      return 'whole';
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
  return 'short';
}

export function toCsv(rows: ReportRow[]): string {
  const columns: (keyof ReportRow)[] = [
    'personioId',
    'outcome',
    'reason',
    'changedFields',
    'changes',
    'groupsJoined',
    'groupsLeft',
    'manager',
    'username',
    'jumpcloudUserId',
    'managerNote',
    'activation',
    'warnings',
  ];
  // Cells hold text from Personio: csvCell neutralises formulas (domain/text-safety.ts).
  return (
    [columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n'
  );
}

export async function writeReport(client: Client, workflowId: string, file: string): Promise<void> {
  const { report, rows } = await collectReport(client, workflowId);
  writeFileSync(
    file,
    file.endsWith('.csv') ? toCsv(rows) : JSON.stringify({ summary: report, employees: rows }, null, 2),
  );
}

export async function reportCommand(
  workflowIdArg: string | undefined,
  flags: { format: string; output?: string },
): Promise<void> {
  if (flags.format !== 'csv' && flags.format !== 'json')
    throw new UsageError(`--format must be csv or json; got "${flags.format}"`);
  const settings = loadTemporalSettings();
  const { client, close } = await connectClient(settings);
  try {
    const workflowId = workflowIdArg ?? importWorkflowId(settings.taskQueue);
    const handle = client.workflow.getHandle(workflowId);
    const status = (await handle.describe()).status.name;
    if (status !== 'RUNNING' && status !== 'COMPLETED') {
      // Cancelled, failed, terminated: what it did before it stopped, and why it stopped.
      const why = await endReason(client, workflowId, status);
      const live = await stoppedProgress(client, workflowId);
      const rows = await collectStoppedRun(client, workflowId);
      console.error(`${workflowId} did not finish (${status}): ${why}. The report holds what it did before.`);
      const summary = { workflowId, status, why, phase: live.progress?.phase ?? null, counts: live.counts };
      output(
        flags,
        flags.format === 'csv' ? toCsv(rows) : JSON.stringify({ summary, employees: rows }, null, 2) + '\n',
        rows.length,
      );
      return;
    }
    if (status === 'RUNNING') {
      // A run waiting for approval: its plan is complete, the decision is what is missing.
      const progress = await handle.query(progressQuery);
      if (!progress.awaitingApproval)
        throw new UsageError(
          `${workflowId} is still running (phase ${progress.phase}): \`status\` shows its progress; the report comes when it ends`,
        );
      const rows = await collectPlanSoFar(client, workflowId);
      const summary = {
        workflowId,
        phase: progress.phase,
        awaitingApproval: progress.awaitingApproval,
        counts: progress.counts,
      };
      output(
        flags,
        flags.format === 'csv' ? toCsv(rows) : JSON.stringify({ summary, employees: rows }, null, 2) + '\n',
        rows.length,
      );
      return;
    }
    const { report, rows } = await collectReport(client, workflowId);
    const text =
      flags.format === 'csv'
        ? toCsv(rows)
        : JSON.stringify({ summary: report, employees: rows }, null, 2) + '\n';
    output(flags, text, rows.length);
  } finally {
    await close();
  }
}

function output(flags: { output?: string }, text: string, employees: number): void {
  if (flags.output) {
    writeFileSync(flags.output, text);
    console.error(`wrote ${employees} employees to ${flags.output}`);
  } else process.stdout.write(stripTerminalEscapes(text));
}
