import type { ImportPolicy } from '../../domain/import-policy.js';

/**
 * The policy in-process test workers run with: the safeguards may be switched off and any group,
 * application, recipient or loopback webhook named (test/security checks the strict defaults).
 */
export const TEST_POLICY: ImportPolicy = {
  safeguards: null,
  notify: { webhookUrlPrefixes: ['http://127.0.0.1'], emailDomains: ['*'], maxRecipients: 1000 },
  groups: { allEmployeesGroups: ['*'], departmentGroupPatterns: ['*'] },
  applications: ['*'],
};
