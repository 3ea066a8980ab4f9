/**
 * A preview as people read it: the planned counts, whether the safeguards would stop it, and
 * a diff of the first changes; the full plan goes to JSON and CSV files.
 */
import { writeFileSync } from 'node:fs';
import { countsLine } from '../domain/summary.js';
import type { ImportReport } from '../workflows/import-api.js';
import { toCsv, type ReportRow } from './report-command.js';

export function planDiffText(report: ImportReport, rows: readonly ReportRow[], maxLines = 25): string {
  const lines = [
    `Plan (nothing was written): ${report.employeesTotal} employees read.`,
    countsLine(report.counts),
  ];
  const breaches = report.plan?.safeguardBreaches ?? [];
  lines.push(
    breaches.length > 0
      ? `A real run would pause for approval: ${breaches.join('; ')}.`
      : 'A real run would not need approval (no safeguard is exceeded).',
  );
  const changed = rows.filter(
    (r) => r.outcome !== 'unchanged' && r.outcome !== 'skipped' && r.outcome !== 'failed',
  );
  const movedOnly = rows.filter(
    (r) => !changed.includes(r) && (r.groupsJoined !== '' || r.groupsLeft !== '' || r.manager !== ''),
  );
  const shown = [...changed, ...movedOnly].slice(0, maxLines);
  if (shown.length > 0) lines.push('', 'Changes:');
  for (const r of shown) lines.push(...diffLines(r));
  const more = changed.length + movedOnly.length - shown.length;
  if (more > 0) lines.push(`  … and ${more} more (see the plan files)`);
  const skipped = rows.filter((r) => r.outcome === 'skipped');
  if (skipped.length > 0) lines.push('', `Skipped: ${skipped.length} (reasons in the plan files)`);
  const warned = rows.filter((r) => r.warnings !== '');
  if (warned.length > 0)
    lines.push(
      '',
      `Personio data cut or cleaned before use: ${warned.length} employees (column "warnings" of the plan files)`,
      ...warned.slice(0, 5).map((r) => `  Personio ${r.personioId}: ${r.warnings}`),
    );
  return lines.join('\n');
}

function diffLines(r: ReportRow): string[] {
  const sign =
    { created: '+', updated: '~', suspended: '-', reactivated: '+', unchanged: '=' }[r.outcome] ?? ' ';
  const head = `${sign} ${r.outcome.padEnd(11)} Personio ${r.personioId}${r.username ? ` as ${r.username}` : ''}`;
  const lines = [head];
  if (r.changes !== '' && r.outcome !== 'created')
    for (const c of r.changes.split('; ')) lines.push(`      ${c}`);
  if (r.groupsJoined) lines.push(`      joins: ${r.groupsJoined}`);
  if (r.groupsLeft) lines.push(`      leaves: ${r.groupsLeft}`);
  if (r.manager) lines.push(`      manager: ${r.manager}`);
  if (r.activation) lines.push(`      activates: ${r.activation}`);
  return lines;
}

/** Writes `<prefix>.json` and `<prefix>.csv`; returns their names. */
export function writePlanFiles(prefix: string, report: ImportReport, rows: ReportRow[]): string[] {
  const json = `${prefix}.json`;
  const csv = `${prefix}.csv`;
  // Personal data: readable by this user only.
  writeFileSync(json, JSON.stringify({ summary: report, employees: rows }, null, 2) + '\n', { mode: 0o600 });
  writeFileSync(csv, toCsv(rows), { mode: 0o600 });
  return [json, csv];
}
