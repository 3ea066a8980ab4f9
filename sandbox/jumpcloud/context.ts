/** What every route module of the JumpCloud sandbox needs: the data, the counters and the rules in force. */
import type { FaultController } from '../faults.js';
import type { StatsRecorder } from '../stats.js';
import type { JumpCloudStore, UserState } from './store.js';

export interface SandboxContext {
  store: JumpCloudStore;
  stats: StatsRecorder;
  faults: FaultController;
  /** Milliseconds since the epoch; injectable so tests can move time (membership lag). */
  now: () => number;
  /** The `organization` every user carries. */
  organization: string;
  /** State of users created without one (the org's default for the creation source). */
  defaultState: UserState;
  /** Duplicate user creates answer 400 on most deployments, 409 on some. */
  duplicateUserStatus: 400 | 409;
}
