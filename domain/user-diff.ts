// Which managed fields of an existing JumpCloud user differ from what Personio says.
// Deterministic and free of Node built-ins: workflow code imports this file.
import { MANAGED_FIELDS, type DesiredFields, type ManagedField } from './jumpcloud-fields.js';

export interface FieldChange {
  field: ManagedField;
  /** The JumpCloud value, with undefined/null read as "". */
  from: string;
  to: string;
}

/**
 * The changes that would make `existing` match `desired`, in MANAGED_FIELDS order; [] when the
 * user is up to date (a re-run then writes nothing).
 *
 * - JumpCloud's undefined, null and "" all mean "empty" and equal a desired "".
 * - E-mail addresses compare ignoring case (JumpCloud lower-cases them anyway).
 * - An empty desired e-mail never clears the JumpCloud address: JumpCloud requires one, and the
 *   gap is Personio's to fix (the import reports it).
 * - `username` is not a managed field: usernames never change for an existing user.
 */
export function diffUser(existing: Readonly<Record<string, unknown>>, desired: DesiredFields): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of MANAGED_FIELDS) {
    const from = asJumpCloudText(existing[field]);
    const to = desired[field];
    if (field === 'email' && (to === '' || from.toLowerCase() === to.toLowerCase())) continue;
    if (from !== to) changes.push({ field, from, to });
  }
  return changes;
}

function asJumpCloudText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  // Not expected from JumpCloud, but an odd value should read as a difference, not throw.
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
