// The approval safeguards: whether a planned run changes so much of the directory that a
// person should look first (Okta's import safeguards, Entra's accidental-deletion threshold).
// Deterministic and free of Node built-ins: workflow code imports this file.
import type { ImportInput } from './import-input.js';
import type { OutcomeCounts } from './outcomes.js';

export type SafeguardRules = NonNullable<ImportInput['safeguards']>;

export interface PlannedChanges {
  counts: OutcomeCounts;
  /** Employees matched to an existing JumpCloud user: what the percentages are of. */
  importedUsers: number;
}

/** Each rule the plan breaks, as a sentence for the notification and the report; [] when none. */
export function safeguardBreaches(plan: PlannedChanges, rules: SafeguardRules | null): string[] {
  if (!rules) return [];
  const suspensions = plan.counts.suspended;
  const changes = plan.counts.updated + plan.counts.suspended + plan.counts.reactivated;
  const base = plan.importedUsers;
  // Stryker disable next-line ConditionalExpression: with no imported users every count here is 0, and 0/0 (NaN) breaks no rule either
  const percent = (n: number) => (base === 0 ? 0 : (100 * n) / base);
  const breaches: string[] = [];
  if (rules.maxSuspensions !== null && suspensions > rules.maxSuspensions)
    breaches.push(`would suspend ${suspensions} users (more than ${rules.maxSuspensions})`);
  if (base >= rules.minimumImportedUsers) {
    if (rules.maxSuspensionsPercent !== null && percent(suspensions) > rules.maxSuspensionsPercent)
      breaches.push(
        `would suspend ${formatPercent(percent(suspensions))} of ${base} imported users (more than ${rules.maxSuspensionsPercent}%)`,
      );
    if (rules.maxChangesPercent !== null && percent(changes) > rules.maxChangesPercent)
      breaches.push(
        `would change ${formatPercent(percent(changes))} of ${base} imported users (more than ${rules.maxChangesPercent}%)`,
      );
  }
  return breaches;
}

function formatPercent(value: number): string {
  return `${Math.round(value * 10) / 10}%`;
}
