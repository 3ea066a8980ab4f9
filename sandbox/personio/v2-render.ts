/**
 * The same internal records rendered as Personio's v2 Persons and Employments
 * (shared/docs/personio-api-v2.md §2, §3): ids as strings, enums upper case, custom attribute
 * types lower case, references as `{id}` only (names come from the lookup endpoints), unset
 * references left out, timestamps in UTC. What the credential may not read is left out, as
 * Personio does.
 *
 * The sandbox keeps one employment per person (its id derived from the person id): a rehire
 * reopens it rather than adding a second one.
 */
import { attributeDefinitions } from './attributes.js';
import { parseDateTime } from './dates.js';
import { isOrgUnit, type EmployeeRecord } from './model.js';
import type { ReadableAttributes } from './render.js';

const definitionsByKey = new Map(attributeDefinitions.map((d) => [d.key, d]));

/** A stable UUID-shaped employment id for a person. */
export function employmentIdOf(personId: number): string {
  return `6d1e0b2a-5c3f-4e7a-9b1d-${personId.toString(16).padStart(12, '0')}`;
}

/** The person id inside an employment id made by employmentIdOf, or null. */
export function personIdOfEmployment(employmentId: string): number | null {
  const match = /^6d1e0b2a-5c3f-4e7a-9b1d-([0-9a-f]{12})$/.exec(employmentId);
  return match ? parseInt(match[1]!, 16) : null;
}

/** "2014-11-09T00:00:00+01:00" → "2014-11-09" (the calendar date as the company sees it). */
export const calendarDate = (value: string): string => value.slice(0, 10);

/** An instant as v2 renders it: UTC with `Z`, whole seconds. */
export function utc(value: string | number): string {
  const ms = typeof value === 'number' ? value : parseDateTime(value);
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const v1TypeToV2: Record<string, string> = {
  standard: 'string',
  multiline: 'string',
  link: 'string',
  list: 'string',
  date: 'date',
  integer: 'int',
  decimal: 'double',
  tags: 'string_list',
};

const can = (readable: ReadableAttributes, key: string) => readable === null || readable.has(key);

export interface V2Person {
  id: string;
  [key: string]: unknown;
}

export function renderPerson(e: EmployeeRecord, baseUrl: string, readable: ReadableAttributes): V2Person {
  const person: V2Person = { id: String(e.id) };
  if (can(readable, 'email') && e.email !== undefined) person.email = e.email;
  if (can(readable, 'created_at')) person.created_at = utc(e.createdAt);
  if (can(readable, 'last_modified_at')) person.updated_at = utc(e.lastModifiedAt);
  if (can(readable, 'first_name')) person.first_name = e.firstName;
  if (can(readable, 'last_name')) person.last_name = e.lastName;
  if (can(readable, 'gender')) person.gender = e.gender.toUpperCase();
  if (can(readable, 'status')) person.status = e.status === 'inactive' ? 'INACTIVE' : 'ACTIVE';
  const custom = Object.entries(e.custom)
    .filter(([key, value]) => value !== null && can(readable, key))
    .map(([key, value]) => {
      const definition = definitionsByKey.get(key);
      return {
        id: key,
        type: v1TypeToV2[definition?.type ?? 'standard'] ?? 'string',
        global_id: definition?.universalId ?? key,
        ...(definition ? { label: definition.label } : {}),
        // Dates go out as calendar dates, as the live API sends them.
        value: definition?.type === 'date' && typeof value === 'string' ? calendarDate(value) : value,
      };
    });
  if (custom.length > 0) person.custom_attributes = custom;
  person.employments = [{ id: employmentIdOf(e.id) }];
  person._meta = { links: { employments: { href: `${baseUrl}/v2/persons/${e.id}/employments` } } };
  return person;
}

export function renderEmployment(
  e: EmployeeRecord,
  baseUrl: string,
  readable: ReadableAttributes,
): Record<string, unknown> {
  const employment: Record<string, unknown> = { id: employmentIdOf(e.id) };
  if (can(readable, 'position')) employment.position = { title: e.position };
  if (can(readable, 'status')) employment.status = e.status.toUpperCase();
  if (can(readable, 'weekly_working_hours')) {
    employment.weekly_working_hours = e.weeklyWorkingHours;
    employment.full_time_weekly_working_hours = 40;
  }
  if (can(readable, 'hire_date')) employment.employment_start_date = calendarDate(e.hireDate);
  if (can(readable, 'termination_date'))
    employment.employment_end_date = e.terminationDate ? calendarDate(e.terminationDate) : null;
  if (can(readable, 'employment_type')) employment.type = e.employmentType.toUpperCase();
  employment.created_at = utc(e.createdAt);
  if (can(readable, 'last_modified_at')) employment.updated_at = utc(e.lastModifiedAt);
  if (can(readable, 'supervisor') && e.supervisorId !== null)
    employment.supervisor = { id: String(e.supervisorId) };
  if (can(readable, 'office') && isOrgUnit(e.office)) employment.office = { id: String(e.office.id) };
  const orgUnits: { type: string; id: string }[] = [];
  if (can(readable, 'team') && isOrgUnit(e.team)) orgUnits.push({ type: 'team', id: String(e.team.id) });
  if (can(readable, 'department') && isOrgUnit(e.department))
    orgUnits.push({ type: 'department', id: String(e.department.id) });
  if (can(readable, 'team') || can(readable, 'department')) employment.org_units = orgUnits;
  employment.person = { id: String(e.id) };
  if (can(readable, 'termination_date') && e.terminationDate) {
    const date = calendarDate(e.terminationDate);
    employment.termination = { termination_date: date, last_working_day: date, type: 'UNSPECIFIED' };
  }
  if (can(readable, 'cost_centers'))
    employment.cost_centers = e.costCenters.map((cc) => ({ id: String(cc.id), weight: cc.percentage }));
  if (can(readable, 'subcompany') && isOrgUnit(e.subcompany))
    employment.legal_entity = { id: String(e.subcompany.id) };
  const links: Record<string, { href: string }> = { person: { href: `${baseUrl}/v2/persons/${e.id}` } };
  if (typeof employment.supervisor === 'object')
    links.supervisor = { href: `${baseUrl}/v2/persons/${e.supervisorId}` };
  employment._meta = { links };
  return employment;
}
