/**
 * Runs the real worker (`worker/main.ts`) or CLI (`client/cli.ts`) as a child process, the
 * way an operator does, collecting every line it prints: for tests of logs, metrics, secrets,
 * several workers, and crashes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
/** tsx by absolute URL: the process may run in a folder with no node_modules. */
const tsx = import.meta.resolve('tsx');

export type ProjectEntry =
  | 'worker/main.ts'
  | 'client/cli.ts'
  | 'sandbox/main.ts'
  | 'codec/main.ts'
  | 'receiver/main.ts'
  | 'demo/main.ts'
  | 'bench/main.ts';

export interface ProcessHandle {
  proc: ChildProcess;
  pid: number;
  /** The working directory it runs in. */
  cwd: string;
  /** stdout and stderr lines so far. */
  output: string[];
  /** stdout lines only (what a script reading the command's output gets). */
  stdout: string[];
  /** Resolves when a line matches (rejects after timeoutMs). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * `cwd` defaults to a fresh empty folder: a `.env` or plan files in the project directory
 * must neither reach a test nor be left behind by one.
 */
export function runProject(
  entry: ProjectEntry,
  args: string[],
  env: Record<string, string>,
  options: { cwd?: string } = {},
): ProcessHandle {
  const cwd = options.cwd ?? mkdtempSync(join(tmpdir(), 'run-project-'));
  const proc = spawn(process.execPath, ['--import', tsx, join(root, entry), ...args], {
    cwd,
    // Only what the test gives, plus what node needs: no stray secrets from the test's own env.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: tsx runs an esbuild helper beside node, and a SIGKILL must take
    // both (an orphaned helper would hold our pipes open and outlive the test).
    detached: true,
  });
  const output: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const stdout: string[] = [];
  const onData = (chunk: Buffer, toStdout = false) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line) continue;
      output.push(line);
      if (toStdout) stdout.push(line);
      for (const w of [...waiters]) {
        if (w.pattern.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  };
  proc.stdout.on('data', (chunk: Buffer) => onData(chunk, true));
  proc.stderr.on('data', (chunk: Buffer) => onData(chunk));
  const exited = once(proc, 'exit').then(([code]) => code as number | null);
  return {
    proc,
    pid: proc.pid!,
    cwd,
    output,
    stdout,
    exited,
    waitFor(pattern, timeoutMs = 60_000) {
      const already = output.find((l) => pattern.test(l));
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `no line matching ${pattern} within ${timeoutMs} ms; output:\n${output.slice(-30).join('\n')}`,
              ),
            ),
          timeoutMs,
        );
        waiters.push({
          pattern,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
      });
    },
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) {
        try {
          process.kill(-proc.pid!, signal);
        } catch {
          proc.kill(signal);
        }
      }
      const code = await exited;
      try {
        process.kill(-proc.pid!, 'SIGKILL'); // whatever of the group is left
      } catch {
        // already gone
      }
      return code;
    },
  };
}
