import { hostname } from 'node:os';

/** Identifies the worker process that ran an activity (host and pid), for `ping`. */
export function createDiagnosticsActivities() {
  return {
    async describeWorker(): Promise<string> {
      return `${hostname()}:${process.pid}`;
    },
  };
}
