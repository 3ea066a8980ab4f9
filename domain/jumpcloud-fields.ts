// The JumpCloud system-user fields the import owns, and how each is derived from Personio.
// Deterministic and free of Node built-ins: workflow code imports this file.
//
// Empty-value rule: a Personio value that is null or absent becomes "" in JumpCloud. JumpCloud
// stores and returns empty strings for unset text fields, so writing "" keeps re-runs free of
// phantom differences, and clearing a field in Personio clears it in JumpCloud.
// The one exception is `email`: see user-diff.ts (an existing address is never cleared).
import { DEFAULT_MAPPING, mapEmployee, type AttributeMapping } from './attribute-mapping.js';
import type { DesiredAttributes } from './custom-attributes.js';
import type { MappableEmployee } from './personio-values.js';
import { capText, JUMPCLOUD_TEXT_LIMIT } from './text-safety.js';

import type { DesiredFields } from './managed-fields.js';

export { MANAGED_FIELDS, type DesiredFields, type ManagedField } from './managed-fields.js';

export interface FieldMapping {
  /** The Personio attribute (or attributes) the value comes from. */
  source: string;
  /** The JumpCloud system-user field, or state for the user's state. */
  jumpcloud: string;
  rule: string;
  /** Which part of the import applies it: the field diff, the status rules, or manager linking. */
  appliedBy: 'field-diff' | 'status-rules' | 'manager-linking';
}

/** The whole mapping, for the README and for tests that keep code and documentation together. */
export const FIELD_MAPPING: readonly FieldMapping[] = [
  {
    source: 'id',
    jumpcloud: 'employeeIdentifier',
    rule: 'the Personio id as a decimal string; how a re-run finds the user',
    appliedBy: 'field-diff',
  },
  { source: 'first_name', jumpcloud: 'firstname', rule: 'trimmed', appliedBy: 'field-diff' },
  { source: 'last_name', jumpcloud: 'lastname', rule: 'trimmed', appliedBy: 'field-diff' },
  {
    source: 'first_name, last_name',
    jumpcloud: 'displayname',
    rule: '"First Last"',
    appliedBy: 'field-diff',
  },
  {
    source: 'email',
    jumpcloud: 'email',
    rule: 'trimmed, lower-cased; compared ignoring case; never cleared on an existing user',
    appliedBy: 'field-diff',
  },
  { source: 'position', jumpcloud: 'jobTitle', rule: 'as is; empty → ""', appliedBy: 'field-diff' },
  {
    source: 'employment_type',
    jumpcloud: 'employeeType',
    rule: '"internal" or "external"; empty → ""',
    appliedBy: 'field-diff',
  },
  {
    source: 'subcompany',
    jumpcloud: 'company',
    rule: 'the subcompany name; empty → ""',
    appliedBy: 'field-diff',
  },
  { source: 'office', jumpcloud: 'location', rule: 'the office name; empty → ""', appliedBy: 'field-diff' },
  {
    source: 'department',
    jumpcloud: 'department',
    rule: 'the department name; empty → ""',
    appliedBy: 'field-diff',
  },
  {
    source: 'cost_centers',
    jumpcloud: 'costCenter',
    rule: 'the name of the largest share; tie → the name first ignoring case; none → ""',
    appliedBy: 'field-diff',
  },
  {
    source: 'status',
    jumpcloud: 'state',
    rule: 'create STAGED (or as configured); leave/inactive suspend; reactivation only when allowed',
    appliedBy: 'status-rules',
  },
  {
    source: 'supervisor',
    jumpcloud: 'manager',
    rule: "the supervisor's JumpCloud user id, set after all users exist",
    appliedBy: 'manager-linking',
  },
];

/** What the import wants an employee's JumpCloud user to hold. */
export interface DesiredUser {
  fields: DesiredFields;
  /** The mapping's custom attributes (none with the default mapping). */
  attributes: DesiredAttributes;
}

/**
 * The managed fields and custom attributes of the employee's JumpCloud user. The identity fields
 * follow fixed rules; the profile fields and custom attributes follow the mapping (by default
 * the table above, and no custom attributes).
 */
export function desiredJumpCloudUser(
  employee: MappableEmployee,
  mapping: AttributeMapping = DEFAULT_MAPPING,
): DesiredUser {
  const mapped = mapEmployee(employee, mapping);
  // Each part is cut to JumpCloud's limit when parsed; a combination (displayname) may still exceed it.
  const cap = (text: string) => capText(text, JUMPCLOUD_TEXT_LIMIT).text;
  return {
    fields: {
      employeeIdentifier: String(employee.personioId),
      firstname: mapped.fields.firstname,
      lastname: mapped.fields.lastname,
      displayname: cap(mapped.fields.displayname),
      email: employee.email ?? '',
      jobTitle: mapped.fields.jobTitle,
      employeeType: mapped.fields.employeeType,
      company: mapped.fields.company,
      location: mapped.fields.location,
      department: mapped.fields.department,
      costCenter: mapped.fields.costCenter,
    },
    attributes: mapped.attributes,
  };
}

/** The managed fields alone (see desiredJumpCloudUser). */
export function desiredJumpCloudFields(
  employee: MappableEmployee,
  mapping: AttributeMapping = DEFAULT_MAPPING,
): DesiredFields {
  return desiredJumpCloudUser(employee, mapping).fields;
}
