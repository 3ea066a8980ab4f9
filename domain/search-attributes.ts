/**
 * The search attributes this project writes. They are stored unencrypted and indexed, so
 * they hold phases and counts only, never personal data. The dev server registers them at
 * start (local-temporal/dev-server.ts); a production cluster needs them registered once
 * (`temporal operator search-attribute create`, see the README).
 */
import { defineSearchAttributeKey } from '@temporalio/common';

export const importPhaseKey = defineSearchAttributeKey('ImportPhase', 'KEYWORD');
export const importEmployeesProcessedKey = defineSearchAttributeKey('ImportEmployeesProcessed', 'INT');
export const importEmployeesFailedKey = defineSearchAttributeKey('ImportEmployeesFailed', 'INT');

/** name → type as the CLI's `--search-attribute` flag spells it. */
export const searchAttributeTypes: Record<string, string> = {
  [importPhaseKey.name]: 'Keyword',
  [importEmployeesProcessedKey.name]: 'Int',
  [importEmployeesFailedKey.name]: 'Int',
};
