// What a page of the import is asked to do (plan or apply): the page, the scan's answers, the
// import's groups and rules. One shape for the import's page steps, page children and the
// page activities' requests built from it (workflows/page-staging.ts).
import type { ActivationSettings } from './activation-time.js';
import type { HeldBack } from './directory-scan.js';
import type { GroupRules } from './page-groups.js';
import type { CreateState } from './status-rules.js';

/** What a page is asked to do (plan or apply), by a page child or a held page's step. */
export interface PageRequest {
  offset: number;
  limit: number;
  heldBack: HeldBack[];
  idSuffixedUsernames: number[];
  allEmployeesGroupId: string | null;
  departmentGroupIds: Record<string, string>;
  createState: CreateState;
  allowReactivation: boolean;
  dryRun: boolean;
  /** The import's groups in full (names, leave rules); absent in runs recorded before. */
  groupRules?: GroupRules;
  /** Read only employees changed since then (a delta run). */
  updatedSince?: string | null;
  /** `plan`: preview the page (reads only); `apply` (the default): stage it. */
  mode?: 'plan' | 'apply';
  /** For the plan's manager changes. */
  supervisorCycle?: number[];
  /** Supervisors this run will not import, from its one read of the directory (held pages). */
  supervisorsNotImported?: number[];
  /** Activation on the hire date (input `activation.onHireDate`): how to time it. */
  activation?: ActivationSettings;
}
