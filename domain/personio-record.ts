// The raw Personio v1 employee record and its normalised form.
//
// Deterministic and free of Node built-ins: workflow code imports this file.
//
// Leniency policy: a record is skipped only when something the import cannot do without is
// wrong (id, first/last name, status). Everything else degrades to "empty" and leaves a note in
// `warnings`, because real accounts send `""` or `[]` where the spec says `null`, and one odd
// attribute must not keep a person out of JumpCloud.
//
// Personal data policy: skip reasons and warnings name the attribute, never its value, because
// they end up in Temporal history, logs and the e-mailed report. The Personio id is enough for
// an admin to open the record. The one exception is an unknown `status`, whose value is not
// personal and is what the admin needs to see.
import { capText, cleanPersonioText, hasControlCharacters, JUMPCLOUD_TEXT_LIMIT } from './text-safety.js';
import { z } from 'zod';

export const EMPLOYEE_STATUSES = ['active', 'onboarding', 'leave', 'inactive'] as const;
export type EmployeeStatus = (typeof EMPLOYEE_STATUSES)[number];

export const EMPLOYMENT_TYPES = ['internal', 'external'] as const;
export type EmploymentType = (typeof EMPLOYMENT_TYPES)[number];

export type EmailProblem = 'missing' | 'invalid';

export interface CostCenter {
  id: number | null;
  name: string;
  /** null when Personio sent none; ranks below every number when choosing the primary one. */
  percentage: number | null;
}

export interface DynamicAttribute {
  label: string;
  type: string;
  value: unknown;
}

export interface Employee {
  personioId: number;
  firstName: string;
  lastName: string;
  /** Trimmed and lower-cased; null when missing or not a valid address (see emailProblem). */
  email: string | null;
  emailProblem?: EmailProblem;
  status: EmployeeStatus;
  position: string | null;
  supervisorId: number | null;
  employmentType: EmploymentType | null;
  subcompany: string | null;
  office: string | null;
  department: string | null;
  team: string | null;
  costCenters: CostCenter[];
  /** ISO 8601 strings exactly as Personio sent them (the offset is the company's time zone). */
  hireDate: string | null;
  terminationDate: string | null;
  lastModifiedAt: string | null;
  /** `dynamic_<id>` custom attributes, keyed by attribute key. May hold personal data. */
  dynamic: Record<string, DynamicAttribute>;
  /** Attributes that had an unexpected shape and were treated as empty; names only, no values. */
  warnings: string[];
}

export type ParsedEmployee =
  { ok: true; employee: Employee } | { ok: false; personioId: number | null; reason: string };

// ---------------------------------------------------------------------------------------------
// Schemas of the raw shapes

/** One attribute as Personio wraps it. Extra keys (e.g. `currency` on salaries) are allowed. */
export const personioAttributeSchema = z.looseObject({
  label: z.string().nullish(),
  value: z.unknown(),
  type: z.string().nullish(),
  universal_id: z.string().nullish(),
});

export const personioEmployeeRecordSchema = z.looseObject({
  // Absent in some projections; when present it must say Employee.
  type: z.literal('Employee').optional(),
  attributes: z.record(z.string(), z.unknown()),
});

export const personioIdSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** `subcompany`, `office`, `department`, `team`: `{"type":"Office","attributes":{"id":1,"name":"Munich"}}`. */
export const personioOrgUnitSchema = z.looseObject({
  type: z.string().optional(),
  attributes: z.looseObject({
    id: z.number().nullish(),
    name: z.string().nullish(),
  }),
});

/** The supervisor is a nested employee whose own attributes are wrapped again. */
export const personioSupervisorSchema = z.looseObject({
  type: z.string().optional(),
  attributes: z.looseObject({
    id: z.looseObject({ value: personioIdSchema }),
  }),
});

const percentageSchema = z.union([
  z.number().finite(),
  // Seen as text in exports; accept plain decimals only.
  z
    .string()
    .regex(/^\s*\d+(\.\d+)?\s*$/)
    .transform(Number),
]);

export const personioCostCenterSchema = z.looseObject({
  type: z.string().optional(),
  attributes: z.looseObject({
    id: z.number().nullish(),
    name: z.string(),
    percentage: percentageSchema.nullish(),
  }),
});

// Date-only or date-time with an offset (`Z` or ±hh:mm, including odd historical offsets such
// as +00:53). Only the shape is checked: the value is passed on as text.
const ISO_DATE_OR_DATE_TIME =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/;

export const personioDateSchema = z.string().trim().regex(ISO_DATE_OR_DATE_TIME);

const emailSchema = z.email();

// ---------------------------------------------------------------------------------------------
// Parsing

export function parseEmployee(raw: unknown): ParsedEmployee {
  const record = personioEmployeeRecordSchema.safeParse(raw);
  if (!record.success) {
    return {
      ok: false,
      personioId: null,
      reason: 'record is not a Personio employee (no attributes object)',
    };
  }
  const attributes = record.data.attributes;
  const warnings: string[] = [];
  const read = (key: string): unknown => attributeValue(attributes, key, warnings);

  const id = personioIdSchema.safeParse(read('id'));
  if (!id.success) return { ok: false, personioId: null, reason: 'record has no valid id' };
  const personioId = id.data;
  const skip = (reason: string): ParsedEmployee => ({ ok: false, personioId, reason });

  const firstName = nonEmptyText(read('first_name'));
  if (firstName === null) return skip('first_name is missing or empty in Personio');
  const lastName = nonEmptyText(read('last_name'));
  if (lastName === null) return skip('last_name is missing or empty in Personio');

  const status = parseStatus(read('status'));
  if (!status.ok) return skip(status.reason);

  const email = parseEmail(read('email'));

  // JumpCloud stores at most JUMPCLOUD_TEXT_LIMIT characters per field: cut here, and say so.
  const capped = (key: string, text: string | null): string | null => {
    if (text === null) return null;
    const { text: kept, cut } = capText(text, JUMPCLOUD_TEXT_LIMIT);
    if (cut > 0)
      warnings.push(
        `${key}: cut from ${JUMPCLOUD_TEXT_LIMIT + cut} to ${JUMPCLOUD_TEXT_LIMIT} characters (JumpCloud's limit; ${cut} characters cut)`,
      );
    return kept;
  };
  for (const [key, value] of [
    ['first_name', read('first_name')],
    ['last_name', read('last_name')],
  ] as const)
    if (typeof value === 'string' && hasControlCharacters(value))
      warnings.push(`${key}: control or bidi-override characters removed`);

  const employee: Employee = {
    personioId,
    firstName: capped('first_name', firstName)!,
    lastName: capped('last_name', lastName)!,
    email: email.email,
    ...(email.problem === undefined ? {} : { emailProblem: email.problem }),
    status: status.status,
    position: capped('position', optionalText(read('position'), 'position', warnings)),
    supervisorId: parseSupervisorId(read('supervisor'), warnings),
    employmentType: parseEmploymentType(read('employment_type'), warnings),
    subcompany: capped('subcompany', parseOrgUnitName(read('subcompany'), 'subcompany', warnings)),
    office: capped('office', parseOrgUnitName(read('office'), 'office', warnings)),
    department: capped('department', parseOrgUnitName(read('department'), 'department', warnings)),
    team: capped('team', parseOrgUnitName(read('team'), 'team', warnings)),
    costCenters: parseCostCenters(read('cost_centers'), warnings),
    hireDate: parseDate(read('hire_date'), 'hire_date', warnings),
    terminationDate: parseDate(read('termination_date'), 'termination_date', warnings),
    lastModifiedAt: parseDate(read('last_modified_at'), 'last_modified_at', warnings),
    dynamic: parseDynamicAttributes(attributes, warnings),
    warnings,
  };
  return { ok: true, employee };
}

/** The unwrapped value of one attribute; undefined when absent or not wrapped as Personio wraps. */
function attributeValue(attributes: Record<string, unknown>, key: string, warnings: string[]): unknown {
  const wrapped = attributes[key];
  if (wrapped === undefined) return undefined;
  const parsed = personioAttributeSchema.safeParse(wrapped);
  if (!parsed.success) {
    warnings.push(`${key}: attribute is not wrapped as {label, value, type}; treated as empty`);
    return undefined;
  }
  return parsed.data.value;
}

/** Personio sends `null`, `""`, `[]` and occasionally `{}` for "nothing here". */
export function isEmptyPersonioValue(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

/**
 * NFC so that a decomposed "ü" from one source compares equal to a composed one from another;
 * control characters become spaces and bidi controls are removed.
 */
function cleanText(value: string): string {
  // Control and bidi-override characters go too: text from Personio is data (text-safety.ts).
  return cleanPersonioText(value);
}

function nonEmptyText(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = cleanText(value);
  return text === '' ? null : text;
}

function optionalText(value: unknown, key: string, warnings: string[]): string | null {
  if (isEmptyPersonioValue(value)) return null;
  if (typeof value === 'number') return String(value);
  const text = nonEmptyText(value);
  if (text === null) warnings.push(`${key}: not text; treated as empty`);
  return text;
}

function parseStatus(value: unknown): { ok: true; status: EmployeeStatus } | { ok: false; reason: string } {
  if (isEmptyPersonioValue(value)) return { ok: false, reason: 'status is missing in Personio' };
  const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
  const status = EMPLOYEE_STATUSES.find((known) => known === text);
  if (status !== undefined) return { ok: true, status };
  const shown = typeof value === 'string' ? value.trim().slice(0, 40) : typeof value;
  return { ok: false, reason: `unknown status '${shown}'` };
}

function parseEmail(value: unknown): { email: string | null; problem?: EmailProblem } {
  if (isEmptyPersonioValue(value)) return { email: null, problem: 'missing' };
  if (typeof value !== 'string') return { email: null, problem: 'invalid' };
  const email = cleanText(value).toLowerCase();
  // An invalid address is dropped rather than kept: JumpCloud would reject it, and keeping it
  // risks writing it somewhere by accident.
  return emailSchema.safeParse(email).success ? { email } : { email: null, problem: 'invalid' };
}

function parseSupervisorId(value: unknown, warnings: string[]): number | null {
  if (isEmptyPersonioValue(value)) return null;
  const parsed = personioSupervisorSchema.safeParse(value);
  if (parsed.success) return parsed.data.attributes.id.value;
  warnings.push('supervisor: unexpected shape; treated as no supervisor');
  return null;
}

function parseEmploymentType(value: unknown, warnings: string[]): EmploymentType | null {
  if (isEmptyPersonioValue(value)) return null;
  const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
  const type = EMPLOYMENT_TYPES.find((known) => known === text);
  if (type === undefined) warnings.push('employment_type: neither internal nor external; treated as empty');
  return type ?? null;
}

function parseOrgUnitName(value: unknown, key: string, warnings: string[]): string | null {
  if (isEmptyPersonioValue(value)) return null;
  // Some exports flatten the unit to its name; accepting that costs nothing.
  if (typeof value === 'string') return cleanText(value);
  const parsed = personioOrgUnitSchema.safeParse(value);
  if (parsed.success) return nonEmptyText(parsed.data.attributes.name);
  warnings.push(`${key}: unexpected shape; treated as empty`);
  return null;
}

function parseCostCenters(value: unknown, warnings: string[]): CostCenter[] {
  if (isEmptyPersonioValue(value)) return [];
  const entries = Array.isArray(value) ? (value as unknown[]) : [value];
  const costCenters: CostCenter[] = [];
  entries.forEach((entry, index) => {
    const parsed = personioCostCenterSchema.safeParse(entry);
    const name = parsed.success ? nonEmptyText(parsed.data.attributes.name) : null;
    if (!parsed.success || name === null) {
      warnings.push(`cost_centers: entry ${index} has an unexpected shape; ignored`);
      return;
    }
    const { id, percentage } = parsed.data.attributes;
    costCenters.push({ id: id ?? null, name, percentage: percentage ?? null });
  });
  return costCenters;
}

function parseDate(value: unknown, key: string, warnings: string[]): string | null {
  if (isEmptyPersonioValue(value)) return null;
  const parsed = personioDateSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  warnings.push(`${key}: not an ISO 8601 date; treated as empty`);
  return null;
}

const DYNAMIC_PREFIX = 'dynamic_';

function parseDynamicAttributes(
  attributes: Record<string, unknown>,
  warnings: string[],
): Record<string, DynamicAttribute> {
  const dynamic: Record<string, DynamicAttribute> = {};
  // Sorted so that the object's key order, and with it any serialised payload, is stable.
  for (const key of Object.keys(attributes).sort()) {
    if (!key.startsWith(DYNAMIC_PREFIX)) continue;
    const parsed = personioAttributeSchema.safeParse(attributes[key]);
    if (!parsed.success) {
      warnings.push(`${key}: attribute is not wrapped as {label, value, type}; ignored`);
      continue;
    }
    const type = parsed.data.type ?? 'standard';
    const value = type === 'tags' ? decodeTags(parsed.data.value) : (parsed.data.value ?? null);
    dynamic[key] = { label: parsed.data.label ?? key, type, value };
  }
  return dynamic;
}

/**
 * Tags arrive as an array, as a JSON-encoded array in a string (`"[\"a\",\"b\"]"`), or as a
 * comma-separated string; all become a list of non-empty strings.
 */
export function decodeTags(value: unknown): string[] {
  if (isEmptyPersonioValue(value)) return [];
  let list: unknown = value;
  if (typeof value === 'string') {
    list = decodeJsonArray(value) ?? value.split(',');
  }
  if (!Array.isArray(list)) list = [list];
  return (list as unknown[])
    .map((tag) => (typeof tag === 'string' ? cleanText(tag) : typeof tag === 'number' ? String(tag) : ''))
    .filter((tag) => tag !== '');
}

function decodeJsonArray(text: string): unknown[] | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('[')) return null;
  try {
    const decoded: unknown = JSON.parse(trimmed);
    return Array.isArray(decoded) ? decoded : null;
  } catch {
    return null;
  }
}
