/**
 * Rendering an internal record into Personio's v1 JSON: every attribute wrapped as
 * {label, value, type, universal_id}, references as typed objects. What a credential may not
 * read is left out entirely, as Personio does; an `attributes[]` projection keeps `id`.
 */
import { attributeDefinitions, type AttributeDefinition, type AttributeType } from './attributes.js';
import type { EmployeeRecord, OrgUnitValue } from './model.js';

export interface PersonioAttribute {
  label: string;
  value: unknown;
  type: AttributeType;
  universal_id: string | null;
}

export interface PersonioEmployee {
  type: 'Employee';
  attributes: Record<string, PersonioAttribute>;
}

export type EmployeeLookup = (id: number) => EmployeeRecord | undefined;

/** Attribute keys a credential may read; null means all of them. */
export type ReadableAttributes = ReadonlySet<string> | null;

const definitionsByKey = new Map(attributeDefinitions.map((d) => [d.key, d]));

function wrap(definition: AttributeDefinition, value: unknown): PersonioAttribute {
  return { label: definition.label, value, type: definition.type, universal_id: definition.universalId };
}

/** Org references keep their malformed "" / [] as they are: that is the point of dirty data. */
function orgReference(type: string, value: OrgUnitValue): unknown {
  if (value === null || value === '' || Array.isArray(value)) return value;
  return { type, attributes: { id: value.id, name: value.name } };
}

const supervisorKeys = ['id', 'first_name', 'last_name', 'email'] as const;

function supervisorValue(
  employee: EmployeeRecord,
  lookup: EmployeeLookup,
  readable: ReadableAttributes,
): unknown {
  if (employee.supervisorId === null) return null;
  const supervisor = lookup(employee.supervisorId);
  const attributes: Record<string, PersonioAttribute> = {};
  for (const key of supervisorKeys) {
    if (key !== 'id' && (readable?.has(key) === false || !supervisor)) continue;
    const value = supervisor ? attributeValue(supervisor, key, lookup, readable) : employee.supervisorId;
    const definition = definitionsByKey.get(key);
    if (value !== undefined && definition) attributes[key] = wrap(definition, value);
  }
  return { type: 'Employee', attributes };
}

/** The raw value of one attribute; undefined when the employee has no such attribute. */
function attributeValue(
  e: EmployeeRecord,
  key: string,
  lookup: EmployeeLookup,
  readable: ReadableAttributes,
): unknown {
  switch (key) {
    case 'id':
      return e.id;
    case 'first_name':
      return e.firstName;
    case 'last_name':
      return e.lastName;
    case 'email':
      return e.email;
    case 'gender':
      return e.gender;
    case 'status':
      return e.status;
    case 'position':
      return e.position;
    case 'supervisor':
      return supervisorValue(e, lookup, readable);
    case 'employment_type':
      return e.employmentType;
    case 'weekly_working_hours':
      // Personio sends weekly hours as a string.
      return String(e.weeklyWorkingHours);
    case 'hire_date':
      return e.hireDate;
    case 'termination_date':
      return e.terminationDate;
    case 'created_at':
      return e.createdAt;
    case 'last_modified_at':
      return e.lastModifiedAt;
    case 'subcompany':
      return orgReference('Subcompany', e.subcompany);
    case 'office':
      return orgReference('Office', e.office);
    case 'department':
      return orgReference('Department', e.department);
    case 'team':
      return orgReference('Team', e.team);
    case 'cost_centers':
      return e.costCenters.map((cc) => ({
        type: 'CostCenter',
        attributes: { id: cc.id, name: cc.name, percentage: cc.percentage },
      }));
    default:
      return key in e.custom ? e.custom[key] : undefined;
  }
}

/**
 * @param readable   the credential's scope (null = everything)
 * @param projection `attributes[]` from the request (null = no projection); `id` always stays
 */
export function renderEmployee(
  employee: EmployeeRecord,
  lookup: EmployeeLookup,
  readable: ReadableAttributes,
  projection: ReadonlySet<string> | null = null,
): PersonioEmployee {
  const attributes: Record<string, PersonioAttribute> = {};
  for (const definition of attributeDefinitions) {
    const key = definition.key;
    if (key !== 'id' && (readable?.has(key) === false || projection?.has(key) === false)) continue;
    const value = attributeValue(employee, key, lookup, readable);
    if (value !== undefined) attributes[key] = wrap(definition, value);
  }
  return { type: 'Employee', attributes };
}

/** `GET /v1/company/employees/attributes`: the readable attributes (id is implicit). */
export function renderAttributeList(readable: ReadableAttributes) {
  return attributeDefinitions
    .filter((d) => d.key !== 'id' && readable?.has(d.key) !== false)
    .map((d) => ({
      key: d.key,
      label: d.label,
      type: d.type,
      universal_id: d.universalId,
      options: [...d.options],
    }));
}
