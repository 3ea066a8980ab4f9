// Which of an employee's cost centers goes into JumpCloud's single `costCenter` field.
// Deterministic and free of Node built-ins: workflow code imports this file.
import type { CostCenter } from './personio-record.js';

/**
 * The primary cost center: the one with the largest percentage (a missing percentage ranks below
 * every number). Ties go to the name that sorts first ignoring case; names equal ignoring case
 * fall back to exact code-unit order, then to the smaller id, so the answer never depends on the
 * order Personio listed them in.
 *
 * The comparison is code-unit order of `toLowerCase()`, not `localeCompare`: a worker's locale
 * must not change which cost center a user gets.
 */
export function primaryCostCenter(costCenters: readonly CostCenter[]): CostCenter | null {
  let best: CostCenter | null = null;
  for (const candidate of costCenters) {
    if (best === null || ranksBefore(candidate, best)) best = candidate;
  }
  return best;
}

function ranksBefore(a: CostCenter, b: CostCenter): boolean {
  const byPercentage = (a.percentage ?? -Infinity) - (b.percentage ?? -Infinity);
  if (byPercentage !== 0 && !Number.isNaN(byPercentage)) return byPercentage > 0;
  const byName =
    compareCodeUnits(a.name.toLowerCase(), b.name.toLowerCase()) || compareCodeUnits(a.name, b.name);
  // Stryker disable next-line EqualityOperator: byName is not 0 here, so `<= 0` is `< 0`
  if (byName !== 0) return byName < 0;
  // Stryker disable next-line EqualityOperator: `<=` differs only for equal ids, i.e. equal cost centers
  return (a.id ?? Infinity) < (b.id ?? Infinity);
}

/** Locale-independent ordering: plain UTF-16 code-unit comparison. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
