/**
 * All activities, built from injected dependencies (API clients, config) so that tests and
 * the worker wire the same code to different backends.
 */
import { createDiagnosticsActivities } from './diagnostics.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- grows with the import's clients
export interface ActivityDeps {}

export function createActivities(_deps: ActivityDeps = {}) {
  return {
    ...createDiagnosticsActivities(),
  };
}

export type Activities = ReturnType<typeof createActivities>;
