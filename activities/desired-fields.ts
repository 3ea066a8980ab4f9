/**
 * The JumpCloud fields an employee should have, under this worker's attribute mapping: the
 * one place the staging, planning and settling steps get them from, so they never disagree.
 */
import { DEFAULT_MAPPING } from '../domain/attribute-mapping.js';
import { desiredJumpCloudUser, type DesiredUser } from '../domain/jumpcloud-fields.js';
import type { ImportDeps } from './deps.js';
import type { PageEmployee } from './fetch-page.js';

export type DesiredFieldsOf = (employee: PageEmployee) => DesiredUser;

export function desiredFieldsFor(deps: Partial<ImportDeps>): DesiredFieldsOf {
  const mapping = deps.mapping ?? DEFAULT_MAPPING;
  return (employee) => desiredJumpCloudUser(employee, mapping);
}
