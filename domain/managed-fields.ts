// The JumpCloud system-user fields the import owns. A module of its own so the attribute
// mapping (domain/attribute-mapping.ts) and the field derivation (domain/jumpcloud-fields.ts)
// both name them without importing each other.
export const MANAGED_FIELDS = [
  'employeeIdentifier',
  'firstname',
  'lastname',
  'displayname',
  'email',
  'jobTitle',
  'employeeType',
  'company',
  'location',
  'department',
  'costCenter',
] as const;
export type ManagedField = (typeof MANAGED_FIELDS)[number];

export type DesiredFields = Record<ManagedField, string>;
