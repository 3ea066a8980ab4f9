// The Personio attributes a custom attribute mapping may read, and how each reads as a value.
// Deterministic and free of Node built-ins: workflow code imports this file.
//
// Values come from the normalised employee (personio-record.ts), so the mapping sees exactly what
// the default mapping always saw: trimmed names, org units as their name, empty as "".
import { primaryCostCenter } from './cost-center.js';
import type { CostCenter, DynamicAttribute, Employee } from './personio-record.js';
import type { MappedValue } from './mapping-transforms.js';

/**
 * An employee as the mapping reads it: a parsed Employee (custom values in `dynamic`) or a page
 * employee from activities/fetch-page.ts (only the mapped custom values, in `custom`).
 */
export type MappableEmployee = Omit<Employee, 'dynamic' | 'warnings'> & {
  /** Mapped `dynamic_<id>` values by key, as a fetched page carries them. */
  custom?: Readonly<Record<string, unknown>>;
  /** Every `dynamic_<id>` attribute, as parseEmployee returns them. */
  dynamic?: Readonly<Record<string, DynamicAttribute>>;
};

type StandardReader = (employee: MappableEmployee) => MappedValue;

/** The standard Personio attributes the import reads, by their Personio key. */
const STANDARD_SOURCES = {
  id: (e) => String(e.personioId),
  first_name: (e) => e.firstName,
  last_name: (e) => e.lastName,
  email: (e) => e.email ?? '',
  status: (e) => e.status,
  position: (e) => e.position ?? '',
  employment_type: (e) => e.employmentType ?? '',
  subcompany: (e) => e.subcompany ?? '',
  office: (e) => e.office ?? '',
  department: (e) => e.department ?? '',
  team: (e) => e.team ?? '',
  // Ranked as the default costCenter rule ranks them, so "first" is the primary cost center.
  cost_centers: (e) => rankedCostCenters(e.costCenters).map((c) => c.name),
  hire_date: (e) => e.hireDate ?? '',
  termination_date: (e) => e.terminationDate ?? '',
  last_modified_at: (e) => e.lastModifiedAt ?? '',
} satisfies Record<string, StandardReader>;

export type StandardSource = keyof typeof STANDARD_SOURCES;
export const STANDARD_SOURCE_KEYS = Object.keys(STANDARD_SOURCES) as StandardSource[];

const DYNAMIC_KEY = /^dynamic_\d+$/;

export function isDynamicKey(key: string): boolean {
  return DYNAMIC_KEY.test(key);
}

export function isSourceKey(key: string): boolean {
  return isDynamicKey(key) || Object.hasOwn(STANDARD_SOURCES, key);
}

/** The value of one Personio attribute; "" when empty or when the key is not one we read. */
export function personioValue(employee: MappableEmployee, key: string): MappedValue {
  if (Object.hasOwn(STANDARD_SOURCES, key)) return STANDARD_SOURCES[key as StandardSource](employee);
  if (!isDynamicKey(key)) return '';
  const raw =
    employee.custom && Object.hasOwn(employee.custom, key)
      ? employee.custom[key]
      : employee.dynamic?.[key]?.value;
  return customValue(raw);
}

/**
 * A custom attribute's value as text or a list. Tags arrive decoded as a list already; an object
 * (a link to an org unit, say) reads as its name, anything else as JSON rather than "[object Object]".
 */
export function customValue(raw: unknown): MappedValue {
  if (Array.isArray(raw)) return raw.map(scalarText).filter((item) => item !== '');
  return scalarText(raw);
}

function scalarText(raw: unknown): string {
  if (raw === undefined || raw === null) return '';
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  if (typeof raw === 'object') {
    const name = nameOf(raw);
    return name ?? JSON.stringify(raw);
  }
  return '';
}

/** `{"attributes":{"name":…}}` (Personio's org-unit shape) or `{"name":…}`. */
function nameOf(value: object): string | undefined {
  const nested = (value as { attributes?: unknown }).attributes;
  const holder = nested !== null && typeof nested === 'object' ? nested : value;
  const name = (holder as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

/** Largest share first, in the order primaryCostCenter picks them (its tie rules included). */
function rankedCostCenters(costCenters: readonly CostCenter[]): CostCenter[] {
  const remaining = [...costCenters];
  const ranked: CostCenter[] = [];
  while (remaining.length > 0) {
    const next = primaryCostCenter(remaining)!;
    ranked.push(next);
    remaining.splice(remaining.indexOf(next), 1);
  }
  return ranked;
}
