/**
 * The first step of every run: the workflow input checked against this worker's import policy
 * (IMPORT_POLICY_FILE). A local activity, because the policy lives on the worker, never in the
 * input or in history; its verdict (the problems, the safeguards the run uses) is recorded.
 */
import { parseImportInput } from '../domain/import-input.js';
import { checkInputAgainstPolicy, STRICT_POLICY, type PolicyVerdict } from '../domain/import-policy.js';
import type { ImportDeps } from './deps.js';

export function createInputPolicyActivities(deps: Partial<ImportDeps>) {
  return {
    async checkImportInput(rawInput: unknown): Promise<PolicyVerdict> {
      const parsed = parseImportInput(rawInput);
      if (!parsed.ok) return { problems: parsed.problems, safeguards: null };
      const own = deps.notifier?.ownDestinations() ?? { recipients: [] };
      return checkInputAgainstPolicy(rawInput, parsed.input, deps.policy ?? STRICT_POLICY, own);
    },
  };
}
