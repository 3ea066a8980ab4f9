/**
 * The project as an operator runs it: a real worker process (`npm run worker`) with the
 * documented environment, the CLI as a process of its own per command (`npm run cli`),
 * encrypted payloads, and the sandboxes on loopback (in this process, so a test can change
 * Personio's data and read JumpCloud's state). Observed from outside: exit codes, output
 * lines, the sandbox's state.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from '@temporalio/client';
import { dataConverterFor } from '../../codec/data-converter.js';
import { parseKeyRing } from '../../codec/keys.js';
import {
  createJumpCloudSandbox,
  SANDBOX_JUMPCLOUD_API_KEY,
  type JumpCloudSandboxOptions,
} from '../../sandbox/jumpcloud/server.js';
import {
  createPersonioSandbox,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  type PersonioSandboxOptions,
} from '../../sandbox/personio/server.js';
import { importWorkflowId } from '../../workflows/import-api.js';
import { approverFiles } from './approvers.js';
import { taskQueueFor, testTemporal } from './temporal.js';
import { runProject, type ProcessHandle } from './worker-process.js';

export interface CliRun {
  code: number | null;
  /** stdout and stderr, in order. */
  output: string;
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

export interface RealProcessesOptions {
  personio?: PersonioSandboxOptions;
  jumpcloud?: JumpCloudSandboxOptions;
  /** More variables for the worker (tuning, mapping file, …). */
  workerEnv?: Record<string, string>;
  /** Start no worker (a test starts its own, or wants none). */
  noWorker?: boolean;
}

export async function startRealProcesses(
  test: { name: string; after(fn: () => Promise<void>): void },
  options: RealProcessesOptions = {},
) {
  const personio = createPersonioSandbox({ employees: 50, seed: 7, ...options.personio });
  const jumpcloud = createJumpCloudSandbox(options.jumpcloud);
  await personio.listen(0);
  await jumpcloud.listen(0);
  const { address, connection } = await testTemporal();
  const taskQueue = taskQueueFor(test.name);
  const payloadKeys = `test:${randomBytes(32).toString('base64')}`;
  /** What every process of the project gets (README, Configuration). */
  const common: Record<string, string> = {
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    PAYLOAD_KEYS: payloadKeys,
  };
  // Approvers (APPROVER_KEYS_FILE; `--key approverKey(name)` for the CLI), and a policy that
  // lets inputs switch the safeguards off (test/security checks the strict default).
  const approvers = approverFiles();
  const policyFile = join(dirname(approvers.keysFile), 'policy.json');
  writeFileSync(policyFile, JSON.stringify({ safeguards: null }));
  const workerEnv: Record<string, string> = {
    ...common,
    APPROVER_KEYS_FILE: approvers.keysFile,
    IMPORT_POLICY_FILE: policyFile,
    PERSONIO_BASE_URL: personio.url,
    PERSONIO_CLIENT_ID: SANDBOX_CLIENT_ID,
    PERSONIO_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
    JUMPCLOUD_BASE_URL: jumpcloud.url,
    JUMPCLOUD_API_KEY: SANDBOX_JUMPCLOUD_API_KEY,
    ...options.workerEnv,
  };
  const processes: ProcessHandle[] = [];
  test.after(async () => {
    for (const p of processes) await p.stop('SIGKILL');
    await personio.close();
    await jumpcloud.close();
  });

  /** A worker process; resolves once it polls. */
  async function startWorker(env: Record<string, string> = {}): Promise<ProcessHandle> {
    const worker = runProject('worker/main.ts', [], { ...workerEnv, ...env });
    processes.push(worker);
    await worker.waitFor(/worker started/, 120_000);
    return worker;
  }
  const worker = options.noWorker ? null : await startWorker();

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
    return { code, output: p.output.join('\n'), stdout: p.stdout.join('\n') };
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
  };
}

export type RealProcesses = Awaited<ReturnType<typeof startRealProcesses>>;
