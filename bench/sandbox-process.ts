/**
 * One sandbox server in a process of its own (forked by bench/main.ts), so the sandbox's
 * event loop never competes with the code being measured. The parent sends JSON commands
 * over IPC and gets one answer per command:
 *
 *   { cmd: 'stats' }       → the StatsSnapshot (what GET /_sandbox/stats returns)
 *   { cmd: 'clearStats' }  → counters to zero, data kept (before a re-run)
 *   { cmd: 'reset' }       → the seeded data again (Personio) / an empty directory (JumpCloud)
 *
 * The sandbox listens on 127.0.0.1 only and stops when the parent disconnects.
 */
import type { FaultSettings } from '../sandbox/faults.js';
import { createJumpCloudSandbox } from '../sandbox/jumpcloud/server.js';
import { createPersonioSandbox } from '../sandbox/personio/server.js';
import type { StatsRecorder } from '../sandbox/stats.js';

export interface SandboxProcessOptions {
  system: 'personio' | 'jumpcloud';
  employees: number;
  seed: number;
  dirty: boolean;
  faults: Partial<FaultSettings>;
}

export type SandboxCommand = { id: number; cmd: 'stats' | 'clearStats' | 'reset' };

const options = JSON.parse(process.argv[2] ?? '{}') as SandboxProcessOptions;

let stats: StatsRecorder;
let reset: () => void;
let close: () => Promise<void>;
let url: string;
if (options.system === 'personio') {
  const personio = createPersonioSandbox({
    employees: options.employees,
    seed: options.seed,
    dirty: options.dirty,
    faults: options.faults,
    // Personio's employees rate limit is on, as documented (the sandbox's default), in every
    // workload. The auth limit is off: the benchmark authenticates once per run and per worker,
    // well under it, but a long run of workloads in one process should not trip it.
    authRateLimit: false,
    // Room for every list page of the company (≈3.5 KB per employee), so reads come from cache.
    pageCacheBytes: Math.max(64, Math.ceil((options.employees * 4) / 1024)) * 1024 * 1024,
  });
  url = await personio.listen(0, '127.0.0.1');
  stats = personio.stats;
  // reset() also clears faults: put the workload's back.
  reset = () => {
    personio.reset();
    personio.faults.set(options.faults);
  };
  close = () => personio.close();
} else {
  const jumpcloud = createJumpCloudSandbox({ faults: options.faults });
  url = await jumpcloud.listen(0, '127.0.0.1');
  stats = jumpcloud.stats;
  reset = () => {
    jumpcloud.reset();
    jumpcloud.faults.set(options.faults);
  };
  close = () => jumpcloud.close();
}

process.on('message', (message: SandboxCommand) => {
  let answer: unknown = null;
  if (message.cmd === 'stats') answer = stats.snapshot();
  else if (message.cmd === 'clearStats') stats.clear();
  else if (message.cmd === 'reset') reset();
  process.send?.({ id: message.id, answer });
});
process.once('disconnect', () => void close().then(() => process.exit(0)));
process.send?.({ ready: url });
