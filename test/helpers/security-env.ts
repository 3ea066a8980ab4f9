/**
 * For test/security: the real worker process (`npm run worker`'s worker/main.ts) against the
 * sandboxes and a loopback webhook sink, configured with the documented variables, and the
 * real CLI (`client/cli.ts`) to act on it, as an attacker with access to the namespace would.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJumpCloudSandbox, SANDBOX_JUMPCLOUD_API_KEY } from '../../sandbox/jumpcloud/server.js';
import {
  createPersonioSandbox,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  type PersonioSandboxOptions,
} from '../../sandbox/personio/server.js';
import { taskQueueFor, testTemporal } from './temporal.js';
import { runProject, type ProcessHandle } from './worker-process.js';

export interface Sink {
  url: string;
  /** Bodies received, in order. */
  received: { path: string; body: string }[];
  /** How the next requests are answered (default: 200 ok). */
  answer: (req: IncomingMessage, res: ServerResponse) => void;
  close(): Promise<void>;
}

/** A loopback HTTP server that keeps what it is sent. */
export async function httpSink(): Promise<Sink> {
  const sink: Sink = {
    url: '',
    received: [],
    answer: (_req, res) => res.end('ok'),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      sink.received.push({ path: req.url ?? '', body });
      sink.answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return sink;
}

export interface SecurityEnv {
  personio: ReturnType<typeof createPersonioSandbox>;
  jumpcloud: ReturnType<typeof createJumpCloudSandbox>;
  taskQueue: string;
  dir: string;
  /** The environment the worker and the CLI share (Temporal, payload keys). */
  common: Record<string, string>;
  /** The worker's own environment (API credentials etc.), to start another worker like it. */
  workerEnv: Record<string, string>;
  worker: ProcessHandle;
  /** Runs the CLI to its end; returns its exit code and output. */
  cli(args: string[], env?: Record<string, string>): Promise<{ code: number | null; out: string }>;
  /** Writes a file in the test's directory; returns its path. */
  file(name: string, content: string): string;
  close(): Promise<void>;
}

/** Starts the sandboxes and a worker process with `workerEnv` added to the usual variables. */
export async function startSecurityEnv(
  name: string,
  options: {
    personio?: PersonioSandboxOptions;
    /** Extra worker variables; a function gets the test directory (for files it names). */
    workerEnv?: Record<string, string> | ((dir: string) => Record<string, string>);
  } = {},
): Promise<SecurityEnv> {
  const personio = createPersonioSandbox({ employees: 30, seed: 5, ...options.personio });
  const jumpcloud = createJumpCloudSandbox();
  await personio.listen(0);
  await jumpcloud.listen(0);
  const dir = mkdtempSync(join(tmpdir(), 'security-'));
  const { address } = await testTemporal();
  const taskQueue = taskQueueFor(name);
  const common = {
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    PAYLOAD_KEYS: `test:${randomBytes(32).toString('base64')}`,
  };
  const extra = typeof options.workerEnv === 'function' ? options.workerEnv(dir) : (options.workerEnv ?? {});
  const workerEnv = {
    ...common,
    PERSONIO_BASE_URL: personio.url,
    PERSONIO_CLIENT_ID: SANDBOX_CLIENT_ID,
    PERSONIO_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
    JUMPCLOUD_BASE_URL: jumpcloud.url,
    JUMPCLOUD_API_KEY: SANDBOX_JUMPCLOUD_API_KEY,
    ...extra,
  };
  const worker = runProject('worker/main.ts', [], workerEnv);
  await worker.waitFor(/worker started/);
  return {
    personio,
    jumpcloud,
    taskQueue,
    dir,
    common,
    workerEnv,
    worker,
    async cli(args, env = {}) {
      const cli = runProject('client/cli.ts', args, { ...common, ...env });
      const code = await cli.exited;
      return { code, out: cli.output.join('\n') };
    },
    file(fileName, content) {
      const path = join(dir, fileName);
      writeFileSync(path, content);
      return path;
    },
    async close() {
      await worker.stop();
      await personio.close();
      await jumpcloud.close();
    },
  };
}
