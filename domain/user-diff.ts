// Which managed fields of an existing JumpCloud user differ from what Personio says.
// Deterministic and free of Node built-ins: workflow code imports this file.
import { attributesToWrite, attributeTextChanges, type DesiredAttributes } from './custom-attributes.js';
import { MANAGED_FIELDS, type DesiredFields, type ManagedField } from './jumpcloud-fields.js';

export interface FieldChange {
  field: ManagedField;
  /** The JumpCloud value, with undefined/null read as "". */
  from: string;
  to: string;
}

/** The custom attributes differ: JumpCloud replaces `attributes` whole, so `to` is the full list. */
export interface AttributesChange {
  field: 'attributes';
  /** The user's attributes as JumpCloud returned them. */
  from: unknown[];
  /** The user's attributes the mapping does not manage, then the mapped ones. */
  to: unknown[];
}

export type UserChange = FieldChange | AttributesChange;

/**
 * The changes that would make `existing` match `desired`, in MANAGED_FIELDS order; [] when the
 * user is up to date (a re-run then writes nothing).
 *
 * - JumpCloud's undefined, null and "" all mean "empty" and equal a desired "".
 * - E-mail addresses compare ignoring case (JumpCloud lower-cases them anyway).
 * - An empty desired e-mail never clears the JumpCloud address: JumpCloud requires one, and the
 *   gap is Personio's to fix (the import reports it).
 * - `username` is not a managed field: usernames never change for an existing user.
 * - Custom attributes (when the mapping has any): only the mapped names are compared; a
 *   difference is ONE change of `attributes` whose `to` keeps the user's other attributes, so
 *   `{[change.field]: change.to}` is the PUT body for every change alike.
 */
export function diffUser(existing: Readonly<Record<string, unknown>>, desired: DesiredFields): FieldChange[];
export function diffUser(
  existing: Readonly<Record<string, unknown>>,
  desired: DesiredFields,
  attributes: DesiredAttributes | undefined,
): UserChange[];
export function diffUser(
  existing: Readonly<Record<string, unknown>>,
  desired: DesiredFields,
  attributes?: DesiredAttributes,
): UserChange[] {
  const changes: UserChange[] = [];
  for (const field of MANAGED_FIELDS) {
    const from = asJumpCloudText(existing[field]);
    const to = desired[field];
    if (field === 'email' && (to === '' || from.toLowerCase() === to.toLowerCase())) continue;
    if (from !== to) changes.push({ field, from, to });
  }
  const custom = attributes && attributesToWrite(existing.attributes, attributes);
  if (custom) changes.push({ field: 'attributes', ...custom });
  return changes;
}

function asJumpCloudText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  // Not expected from JumpCloud, but an odd value (a number, an object) should read as a
  // difference, not throw: as JSON text.
  return JSON.stringify(value);
}

/**
 * The changes as old → new text per field, for the report: an attributes change becomes one
 * entry per mapped attribute that differs (`attributes.shirtSize`), never the whole list (the
 * user's other attributes are not the import's to report).
 */
export function textChanges(
  changes: readonly UserChange[],
  attributes: DesiredAttributes,
): { field: string; from: string; to: string }[] {
  return changes.flatMap((change) =>
    change.field === 'attributes' ? attributeTextChanges(change.from, attributes) : [change],
  );
}
