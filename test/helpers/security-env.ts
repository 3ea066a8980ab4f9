/**
 * For test/security: the real worker process (`npm run worker`'s worker/main.ts) against the
 * sandboxes and a loopback webhook sink, configured with the documented variables, and the
 * real CLI (`client/cli.ts`) to act on it, as an attacker with access to the namespace would.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Client } from '@temporalio/client';
import { progressQuery } from '../../workflows/import-api.js';
import type { PersonioSandboxOptions } from '../../sandbox/personio/server.js';
import { startProject, type RealProcesses } from './real-processes.js';
import type { ProcessHandle } from './worker-process.js';
import { until } from './wait.js';

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
  personio: RealProcesses['personio'];
  jumpcloud: RealProcesses['jumpcloud'];
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

/**
 * The project's processes (test/helpers/real-processes.ts startProject) with the strict
 * defaults: no test policy or approvers unless `workerEnv` names them.
 */
export async function startSecurityEnv(
  name: string,
  options: {
    personio?: PersonioSandboxOptions;
    /** Extra worker variables; a function gets the test directory (for files it names). */
    workerEnv?: Record<string, string> | ((dir: string) => Record<string, string>);
  } = {},
): Promise<SecurityEnv> {
  const project = await startProject(name, {
    personio: { employees: 30, seed: 5, ...options.personio },
    testPolicy: false,
    ...(options.workerEnv ? { workerEnv: options.workerEnv } : {}),
  });
  return { ...project, worker: project.worker! };
}

/** A first import; then four leavers, and an import that pauses for approval. */
export async function pauseForApproval(env: SecurityEnv, client: Client, workflowId: string) {
  const first = await env.cli(['import', '--notify', 'never', '--id', `${workflowId}-first`]);
  assert.equal(first.code, 0, first.out);
  let leavers = 0;
  for (let id = 1001; leavers < 4; id++)
    if (env.personio.data.get(id)?.status === 'active') {
      env.personio.data.setStatus(id, 'inactive');
      leavers++;
    }
  const started = await env.cli([
    'import',
    '--no-wait',
    '--id',
    workflowId,
    '--notify',
    'never',
    '--input-json',
    '{"safeguards":{"maxSuspensions":1}}',
  ]);
  assert.equal(started.code, 0, started.out);
  await until(
    'the run to pause for approval',
    async () => {
      const p = await client.workflow
        .getHandle(workflowId)
        .query(progressQuery)
        .catch(() => null);
      return p?.phase === 'awaiting-approval' && p.awaitingApproval?.planDigest ? true : undefined;
    },
    120_000,
  );
}
