/**
 * `report`: the complete per-employee report of an import, for any size: the parent's
 * result names the pages, and each page child's result holds its employees.
 */
import { writeFileSync } from 'node:fs';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow/index.js';
import type { PlannedPage } from '../activities/settle-page.js';
import type { EmployeeResult } from '../domain/outcomes.js';
import { loadTemporalSettings } from '../config/env.js';
import {
  pageWorkflowId,
  planWorkflowId,
  type ImportReport,
  type PageReport,
} from '../workflows/import-api.js';
import { connectClient } from './temporal-client.js';
import { UsageError } from './usage-error.js';
import { importWorkflowId, progressQuery } from '../workflows/import-api.js';

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
}

export async function collectReport(
  client: Client,
  workflowId: string,
): Promise<{ report: ImportReport; rows: ReportRow[] }> {
  const report = (await client.workflow.getHandle(workflowId).result()) as ImportReport;
  const notes = new Map(report.managers.notes.map((n) => [n.personioId, n.reason]));
  const rows: ReportRow[] = [];
  for (let offset = 0; offset < report.pages * report.pageSize; offset += report.pageSize) {
    const page = await pageReport(client, workflowId, report, offset);
    rows.push(...(page ? toRows(page.results, notes) : []));
  }
  return { report, rows };
}

/**
 * The plan of an import still running (one waiting for approval): every preview page its
 * first run has finished, found by their workflow ids, in directory order.
 */
export async function collectPlanSoFar(client: Client, workflowId: string): Promise<ReportRow[]> {
  const pages: { offset: number; id: string }[] = [];
  for await (const child of client.workflow.list({ query: `WorkflowId STARTS_WITH "${workflowId}/"` })) {
    const match = /\/plan-(\d+)$/.exec(child.workflowId);
    if (match && child.status.name === 'COMPLETED')
      pages.push({ offset: Number(match[1]), id: child.workflowId });
  }
  pages.sort((a, b) => a.offset - b.offset);
  const rows: ReportRow[] = [];
  for (const { id } of pages) rows.push(...toRows(await fullResults(client, id), new Map()));
  return rows;
}

function toRows(results: readonly EmployeeResult[], notes: ReadonlyMap<number, string>): ReportRow[] {
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
  }));
}

/**
 * A page's every employee. A preview page hands its parent only the counts and problems; its
 * full plan is the result of its `planPage` activity, in the page's own history.
 */
async function fullResults(
  client: Client,
  pageWorkflowId: string,
  page?: PageReport,
): Promise<EmployeeResult[]> {
  const handle = client.workflow.getHandle(pageWorkflowId);
  const report = page ?? ((await handle.result()) as PageReport);
  if (!report.planned?.fullPlanInActivity) return report.results;
  const history = await handle.fetchHistory();
  const completed = history.events?.find(
    (e) => e.activityTaskCompletedEventAttributes,
  )?.activityTaskCompletedEventAttributes;
  const [planned] = (await decodeArrayFromPayloads(
    client.options.loadedDataConverter,
    completed?.result?.payloads,
  )) as PlannedPage[];
  if (!planned) throw new Error(`${pageWorkflowId}: the page's plan is missing from its history`);
  return planned.results;
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
): Promise<PageReport | null> {
  const ids = [pageWorkflowId, planWorkflowId].map((id) => id(workflowId, report.firstRunId, offset));
  for (const id of ids) {
    try {
      const page = (await client.workflow.getHandle(id).result()) as PageReport;
      return { ...page, results: await fullResults(client, id, page) };
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
  return null;
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
  ];
  const cell = (v: unknown) => {
    const s = String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
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
    if ((await handle.describe()).status.name === 'RUNNING') {
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
  } else process.stdout.write(text);
}
