/**
 * The benchmark's child processes: one per sandbox server, and the worker (`worker/main.ts`
 * exactly as `npm run worker` runs it, configured through its environment), each with a
 * bounded start and stop, and the worker's peak RSS read from /proc.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { StatsSnapshot } from '../sandbox/stats.js';
import type { SandboxCommand, SandboxProcessOptions } from './sandbox-process.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export interface SandboxProcess {
  url: string;
  pid: number;
  stats(): Promise<StatsSnapshot>;
  clearStats(): Promise<void>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSandbox(
  options: SandboxProcessOptions,
  startTimeoutMs = 300_000,
): Promise<SandboxProcess> {
  const child = fork(
    fileURLToPath(new URL('./sandbox-process.ts', import.meta.url)),
    [JSON.stringify(options)],
    {
      execArgv: [...process.execArgv, '--max-old-space-size=4096'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  children.add(child);
  child.once('exit', () => children.delete(child));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${options.system} sandbox did not start`)),
      startTimeoutMs,
    );
    child.once('exit', (code) => reject(new Error(`${options.system} sandbox exited (${code})`)));
    child.on('message', (m: { ready?: string }) => {
      if (m.ready) {
        clearTimeout(timer);
        resolve(m.ready);
      }
    });
  });
  let nextId = 0;
  const ask = <T>(cmd: SandboxCommand['cmd']): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      const timer = setTimeout(
        () => reject(new Error(`${options.system} sandbox: no answer to ${cmd}`)),
        120_000,
      );
      const onMessage = (m: { id?: number; answer?: unknown }) => {
        if (m.id !== id) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(m.answer as T);
      };
      child.on('message', onMessage);
      child.send({ id, cmd } satisfies SandboxCommand);
    });
  return {
    url,
    pid: child.pid ?? -1,
    stats: () => ask<StatsSnapshot>('stats'),
    clearStats: () => ask<void>('clearStats'),
    reset: () => ask<void>('reset'),
    stop: () => stopChild(child, () => child.disconnect()),
  };
}

export interface WorkerProcess {
  pid: number;
  /** Peak resident set size so far (VmHWM), in bytes. */
  peakRssBytes(): number;
  stop(): Promise<void>;
}

/** Starts `worker/main.ts` with this environment and waits until it polls its task queue. */
export async function startWorker(
  env: Record<string, string>,
  startTimeoutMs = 120_000,
): Promise<WorkerProcess> {
  // tsx by absolute URL, run from the temp folder: a `.env` in the checkout is not the bench's.
  const execArgv = process.execArgv.map((a) => (a === 'tsx' ? import.meta.resolve('tsx') : a));
  const child = spawn(
    process.execPath,
    [...execArgv, fileURLToPath(new URL('../worker/main.ts', import.meta.url))],
    {
      cwd: tmpdir(),
      env: { ...process.env, LOG_FORMAT: 'json', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.add(child);
  child.once('exit', () => children.delete(child));
  const lines = createInterface({ input: child.stdout });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the worker did not start in time')), startTimeoutMs);
    child.once('exit', (code) => reject(new Error(`the worker exited (${code}) before it started`)));
    lines.on('line', (line) => {
      if (line.includes('worker started')) {
        clearTimeout(timer);
        resolve();
      } else if (/"level":(40|50|60)/.test(line)) {
        // Warnings and errors from the worker are worth seeing; info lines are not.
        console.error(`  worker: ${line.slice(0, 400)}`);
      }
    });
  });
  const pid = child.pid ?? -1;
  return {
    pid,
    peakRssBytes: () => statusKb(pid, 'VmHWM') * 1024,
    stop: () => stopChild(child, () => child.kill('SIGTERM')),
  };
}

function statusKb(pid: number, field: string): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) : NaN;
  } catch {
    return NaN;
  }
}

async function stopChild(child: ChildProcess, ask: () => void): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  ask();
  if (!(await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]))) {
    child.kill('SIGKILL');
    await exited;
  }
}
