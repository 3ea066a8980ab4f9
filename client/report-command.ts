/**
 * `report`: the complete per-employee report of an import, for any size: the parent's
 * result names the pages, and each page child's result holds its employees.
 */
import { writeFileSync } from 'node:fs';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { loadTemporalSettings } from '../config/env.js';
import {
  pageWorkflowId,
  planWorkflowId,
  type ImportReport,
  type PageReport,
} from '../workflows/import-api.js';
import { connectClient } from './temporal-client.js';
import { UsageError } from './usage-error.js';
import { importWorkflowId } from '../workflows/import-api.js';

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
    for (const r of page?.results ?? []) {
      rows.push({
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
      });
    }
  }
  return { report, rows };
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
      return (await client.workflow.getHandle(id).result()) as PageReport;
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
    const { report, rows } = await collectReport(client, workflowId);
    const text =
      flags.format === 'csv'
        ? toCsv(rows)
        : JSON.stringify({ summary: report, employees: rows }, null, 2) + '\n';
    if (flags.output) {
      writeFileSync(flags.output, text);
      console.error(`wrote ${rows.length} employees to ${flags.output}`);
    } else process.stdout.write(text);
  } finally {
    await close();
  }
}
