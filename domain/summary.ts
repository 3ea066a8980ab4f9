// The import's summary as text, for the notification, Temporal Web and the CLI.
// Deterministic and free of Node built-ins: workflow code imports this file.
import { OUTCOMES, type EmployeeResult, type OutcomeCounts } from './outcomes.js';

export function countsLine(counts: OutcomeCounts): string {
  return OUTCOMES.map((o) => `${o} ${counts[o]}`).join(', ');
}

export interface SummaryFacts {
  dryRun: boolean;
  employeesTotal: number;
  counts: OutcomeCounts;
  problems: EmployeeResult[];
  truncated: boolean;
  managersLinked: number;
  managerNotes: number;
  groupsCreated: string[];
  /** Existing groups the import would not adopt, each with its reason and fix. */
  groupsRefused?: { name: string; reason: string }[];
  bindings: number;
  missingApplications: string[];
  durationMs: number;
}

/** Plain text (also readable in Slack); names Personio ids, never names or emails. */
export function summaryText(f: SummaryFacts, maxProblems = 20): string {
  const lines = [
    `${f.dryRun ? 'Preview of the' : 'The'} Personio → JumpCloud import ${f.dryRun ? 'is ready' : 'finished'} ` +
      `in ${Math.round(f.durationMs / 1000)} s: ${f.employeesTotal} employees read.`,
    countsLine(f.counts),
    `managers linked or cleared: ${f.managersLinked}; manager notes: ${f.managerNotes}`,
    `groups created: ${f.groupsCreated.length > 0 ? f.groupsCreated.join(', ') : 'none'}; new application bindings: ${f.bindings}`,
  ];
  for (const refused of f.groupsRefused ?? []) lines.push(`group not used: ${refused.reason}`);
  if (f.missingApplications.length > 0) {
    lines.push(
      `applications not found in JumpCloud (create them or fix the label): ${f.missingApplications.join(', ')}`,
    );
  }
  if (f.problems.length > 0) {
    lines.push(
      '',
      `Problems${f.problems.length > maxProblems || f.truncated ? ` (first ${Math.min(maxProblems, f.problems.length)})` : ''}:`,
    );
    for (const p of f.problems.slice(0, maxProblems))
      lines.push(`  Personio id ${p.personioId}: ${p.outcome}: ${p.reason ?? ''}`);
  }
  return lines.join('\n');
}
