/** What the import's activities are built from; the worker makes these from its configuration. */
import type { JumpCloudClient } from '../clients/jumpcloud.js';
import type { Notifier } from '../clients/notifier.js';
import type { PersonioClient } from '../clients/personio.js';
import type { AttributeMapping } from '../domain/attribute-mapping.js';
import type { ImportPolicy } from '../domain/import-policy.js';
import type { ApprovalSettings } from '../config/approver-keys.js';

/** What the activities read from Personio: the v1 client or the v2 one (clients/personio-v2.ts). */
export type PersonioReader = Pick<PersonioClient, 'authenticate' | 'listEmployees' | 'getEmployee'>;

export interface ImportDeps {
  personio: PersonioReader;
  jumpcloud: JumpCloudClient;
  notifier: Notifier;
  /**
   * Which Personio attributes go into which JumpCloud fields and custom attributes
   * (ATTRIBUTE_MAPPING_FILE); absent: DEFAULT_MAPPING, the README's table. Every worker on a
   * task queue must have the same one, or users flip between two mappings.
   */
  mapping?: AttributeMapping;
  /** What any workflow input may ask (IMPORT_POLICY_FILE); absent: STRICT_POLICY. */
  policy?: ImportPolicy;
  /** Seal what an import carries into its next run (activities/carried-state.ts). */
  sealKeys?: SealKeys;
  /** Who may approve (APPROVER_KEYS_FILE) and whether four eyes apply; absent: nobody can approve. */
  approval?: ApprovalSettings;
}

/** Keys for sealing what an import carries (activities/carried-state.ts): the first seals, every one verifies (so keys can rotate). */
export interface SealKeys {
  current: { id: string; key: Buffer };
  byId: Map<string, Buffer>;
}

/** The import's activities need the API clients; a worker started without them says so. */
export function required<T>(value: T | undefined, what: string): T {
  if (value === undefined)
    throw new Error(`this worker has no ${what} configured; see the README's Configuration section`);
  return value;
}
