/**
 * The project as an operator runs it: a real worker process (`npm run worker`) with the
 * documented environment, the CLI as a process of its own per command (`npm run cli`),
 * encrypted payloads, and the sandboxes on loopback (in this process, so a test can change
 * Personio's data and read JumpCloud's state). Observed from outside: exit codes, output
 * lines, the sandbox's state.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { dataConverterFor } from '../../codec/data-converter.js';
import { parseKeyRing } from '../../codec/keys.js';
import { SANDBOX_JUMPCLOUD_API_KEY } from '../../sandbox/jumpcloud/server.js';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from '../../sandbox/personio/server.js';
import { startSandboxes, type SandboxOptions } from './sandboxes.js';
import { importWorkflowId } from '../../workflows/import-api.js';
import { approverFiles } from './approvers.js';
import { taskQueueFor, testTemporal } from './temporal.js';
import { runProject, type ProcessHandle } from './worker-process.js';

export interface CliRun {
  code: number | null;
  /** stdout and stderr, in order. */
  output: string;
  /** The same as output (the name test/security uses). */
  out: string;
  stdout: string;
}

export interface SandboxUser extends Record<string, unknown> {
  _id: string;
  employeeIdentifier?: string;
  username?: string;
  state: string;
  manager?: string | null;
}

/** JumpCloud's users and groups as the sandbox holds them (its `/_sandbox/state`). */
export async function jumpcloudState(
  url: string,
): Promise<{ users: SandboxUser[]; groups: { id: string; name: string; members: string[] }[] }> {
  return (await (await fetch(`${url}/_sandbox/state`)).json()) as {
    users: SandboxUser[];
    groups: { id: string; name: string; members: string[] }[];
  };
}

/** The sandbox's JumpCloud user of each Personio id. */
export async function usersByPersonioId(url: string): Promise<Map<number, SandboxUser>> {
  const { users } = await jumpcloudState(url);
  return new Map(users.filter((u) => u.employeeIdentifier).map((u) => [Number(u.employeeIdentifier), u]));
}

export interface ProjectOptions extends SandboxOptions {
  /** More variables for the worker (tuning, mapping file, …); a function gets the test's directory. */
  workerEnv?: Record<string, string> | ((dir: string) => Record<string, string>);
  /**
   * The secrets (payload keys, API credentials) as `*_FILE` variables naming files in the
   * test's directory, instead of the plain variables.
   */
  secretsInFiles?: boolean;
  /**
   * Test approvers (APPROVER_KEYS_FILE) and a policy that lets inputs switch the safeguards
   * off (IMPORT_POLICY_FILE). Default true; test/security checks the strict defaults (false).
   */
  testPolicy?: boolean;
  /** Start no worker (a test starts its own, or wants none). */
  noWorker?: boolean;
}

/**
 * The one setup of the project's processes for tests: both sandboxes on loopback, the
 * variables every process gets (Temporal, task queue, payload keys), the worker's own (API
 * base URLs and credentials), a worker process that polls, and the CLI. `close()` stops every
 * process it started and both sandboxes; startRealProcesses ties that to the test's end.
 */
export async function startProject(name: string, options: ProjectOptions = {}) {
  const sandboxes = await startSandboxes(options);
  const { personio, jumpcloud } = sandboxes;
  const { address, connection } = await testTemporal();
  const taskQueue = taskQueueFor(name);
  const dir = mkdtempSync(join(tmpdir(), 'project-'));
  /** Writes a file in the test's directory (owner-only: it may hold a secret); returns its path. */
  const file = (fileName: string, content: string) => {
    const path = join(dir, fileName);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };
  const payloadKeys = `test:${randomBytes(32).toString('base64')}`;
  /** A secret as the variable itself, or as VARIABLE_FILE naming a file that holds it. */
  const secret = (variable: string, value: string): Record<string, string> =>
    options.secretsInFiles
      ? { [`${variable}_FILE`]: file(variable.toLowerCase(), `${value}\n`) }
      : { [variable]: value };
  /** What every process of the project gets (README, Configuration). */
  const common: Record<string, string> = {
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    ...secret('PAYLOAD_KEYS', payloadKeys),
  };
  const approvers = approverFiles();
  // Approvers (APPROVER_KEYS_FILE; `--key approverKey(name)` for the CLI), and a policy that
  // lets inputs switch the safeguards off (test/security checks the strict default).
  const testPolicy: Record<string, string> =
    options.testPolicy === false
      ? {}
      : {
          APPROVER_KEYS_FILE: approvers.keysFile,
          IMPORT_POLICY_FILE: file('policy.json', JSON.stringify({ safeguards: null })),
        };
  const extra = typeof options.workerEnv === 'function' ? options.workerEnv(dir) : (options.workerEnv ?? {});
  const workerEnv: Record<string, string> = {
    ...common,
    ...testPolicy,
    PERSONIO_BASE_URL: personio.url,
    ...secret('PERSONIO_CLIENT_ID', SANDBOX_CLIENT_ID),
    ...secret('PERSONIO_CLIENT_SECRET', options.personio?.clientSecret ?? SANDBOX_CLIENT_SECRET),
    JUMPCLOUD_BASE_URL: jumpcloud.url,
    ...secret('JUMPCLOUD_API_KEY', options.jumpcloud?.apiKey ?? SANDBOX_JUMPCLOUD_API_KEY),
    ...extra,
  };
  const processes: ProcessHandle[] = [];
  async function close() {
    for (const p of processes) await p.stop('SIGKILL');
    await sandboxes.close();
  }

  /** A worker process; resolves once it polls. */
  async function startWorker(env: Record<string, string> = {}): Promise<ProcessHandle> {
    const worker = runProject('worker/main.ts', [], { ...workerEnv, ...env });
    processes.push(worker);
    await worker.waitFor(/worker started/, 120_000);
    return worker;
  }
  const worker = options.noWorker
    ? null
    : await startWorker().catch(async (err: unknown) => {
        await close();
        throw err;
      });

  /** Starts a CLI command and returns at once (for commands that wait: `import`). */
  function startCli(args: string[], env: Record<string, string> = {}): ProcessHandle {
    const p = runProject('client/cli.ts', args, { ...common, ...env });
    processes.push(p);
    return p;
  }
  /** Runs a CLI command to its end. */
  async function cli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
    const p = startCli(args, env);
    const code = await p.exited;
    return { code, output: p.output.join('\n'), out: p.output.join('\n'), stdout: p.stdout.join('\n') };
  }

  /** A client that reads what the processes write (same keys). */
  const client = new Client({
    connection,
    dataConverter: dataConverterFor(parseKeyRing(payloadKeys, 'PAYLOAD_KEYS')),
  });

  return {
    personio,
    jumpcloud,
    taskQueue,
    address,
    /** The test's own directory (files it names: inputs, plans, keys). */
    dir,
    file,
    common,
    workerEnv,
    worker,
    /** The private key file of a test approver (TEST_APPROVER_NAMES), for `--key`. */
    approverKey: approvers.keyFile,
    startWorker,
    cli,
    startCli,
    client,
    /** The id `import` uses by default: one per task queue. */
    workflowId: importWorkflowId(taskQueue),
    processes,
    close,
  };
}

/** startProject for one test (its `t`): everything stops when that test ends. */
export async function startRealProcesses(
  test: { name: string; after(fn: () => Promise<void>): void },
  options: ProjectOptions = {},
) {
  const project = await startProject(test.name, options);
  test.after(project.close);
  return project;
}

export type RealProcesses = Awaited<ReturnType<typeof startProject>>;
