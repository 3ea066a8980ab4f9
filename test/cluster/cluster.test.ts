/**
 * `npm run cluster` through its real processes: PostgreSQL, frontend, internal-frontend, two
 * history services, matching and worker, each its own process, with mTLS and the JWT
 * authorizer. `npm run worker` ×2 and `npm run cli` connect with nothing but the variables of
 * the cluster's --env-file.
 *
 * The import of 2,000 employees (JumpCloud answering in 20 ms) survives one history service
 * SIGKILLed mid-import (the cluster restarts it) and one worker SIGTERMed (it drains): the
 * exact final directory, no user created twice. A read-only token cannot start an import or
 * approve; a client without its certificate is refused; the CLI says which. Killing the
 * cluster process outright (SIGKILL) stops every process it started.
 *
 * Personio's employees rate limit is whatever the sandbox does by default (20 pages fit in
 * it). Skipped, with one line, on a machine without PostgreSQL or without Go to build the
 * server (unless CI=true: CI must run it).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { loadTemporalConnection } from '../../config/temporal-connection.js';
import { loadTemporalSettings } from '../../config/env.js';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { canBuildServer } from '../../local-temporal/cluster-build.js';
import { findPostgres } from '../../local-temporal/cluster-postgres.js';
import { until } from '../helpers/wait.js';
import { runProject } from '../helpers/worker-process.js';
import { importWithTwoWorkers, startSandboxes } from './import-2000.js';

const root = join(import.meta.dirname, '..', '..');

function missing(): string | false {
  if (process.env.CI === 'true') return false;
  if (!findPostgres()) return 'PostgreSQL is not installed (apt-get install postgresql)';
  if (!canBuildServer()) return 'Go is not installed to build the Temporal server (https://go.dev/dl/)';
  return false;
}

/** `export NAME=value` lines (values plain or single-quoted) → an object. */
function readEnvFile(path: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^export ([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    const raw = m[2]!;
    env[m[1]!] = raw.startsWith("'") ? raw.slice(1, -1).replaceAll(`'\\''`, "'") : raw;
  }
  return env;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Starts `npm run cluster` (without npm in between) in a fresh data directory. */
function startCluster(dataDir: string, envFile: string) {
  // What `npm run cluster` runs; it execs node, so this pid is the cluster's own.
  const proc = spawn(
    'bash',
    [
      'local-temporal/cluster.sh',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--env-file',
      envFile,
      '--log-level',
      'error',
    ],
    { cwd: root, env: process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  const output: string[] = [];
  for (const stream of [proc.stdout, proc.stderr])
    stream.on('data', (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean)));
  const exited = once(proc, 'exit');
  return { proc, output, exited };
}

test(
  'npm run cluster: 2,000 employees through a history crash and a worker drain; tokens and certificates enforced',
  { skip: missing(), timeout: 40 * 60_000 },
  async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cluster-'));
    // The PostgreSQL user (when we are root) must reach its data directory inside.
    chmodSync(dataDir, 0o755);
    const envFile = join(dataDir, 'cluster.env');
    const cluster = startCluster(join(dataDir, 'data'), envFile);
    t.after(() => {
      try {
        process.kill(-cluster.proc.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      rmSync(dataDir, { recursive: true, force: true });
    });
    // The first run builds the server (minutes); later runs start in seconds.
    await until(
      'the cluster to be ready',
      async () => {
        assert.equal(cluster.proc.exitCode, null, `npm run cluster exited:\n${cluster.output.join('\n')}`);
        return cluster.output.find((l) => l.startsWith('Temporal cluster ready')) ? true : undefined;
      },
      25 * 60_000,
    );
    const built = cluster.output.find((l) => /built the Temporal server/.test(l));
    if (built) t.diagnostic(built.replace('[cluster] ', ''));
    t.diagnostic(cluster.output.find((l) => l.startsWith('Temporal cluster ready'))!);

    const clusterEnv = readEnvFile(envFile);
    const { READONLY_TEMPORAL_API_KEY: readonlyKey, ...connection } = clusterEnv;
    for (const name of [
      'TEMPORAL_ADDRESS',
      'TEMPORAL_TLS_CA_FILE',
      'TEMPORAL_TLS_CERT_FILE',
      'TEMPORAL_TLS_KEY_FILE',
      'TEMPORAL_TLS_SERVER_NAME',
      'TEMPORAL_API_KEY',
      'CLUSTER_PID_FRONTEND_1',
      'CLUSTER_PID_INTERNAL_FRONTEND_1',
      'CLUSTER_PID_HISTORY_1',
      'CLUSTER_PID_HISTORY_2',
      'CLUSTER_PID_MATCHING_1',
      'CLUSTER_PID_WORKER_1',
      'CLUSTER_PID_POSTGRES_1',
    ])
      assert.ok(clusterEnv[name], `the env file sets ${name}`);
    assert.ok(readonlyKey, 'the env file sets READONLY_TEMPORAL_API_KEY');
    const pids = Object.entries(clusterEnv).filter(([k]) => k.startsWith('CLUSTER_PID_'));
    assert.equal(new Set(pids.map(([, v]) => v)).size, 7, 'seven separate processes');
    for (const [name, pid] of pids) assert.ok(alive(Number(pid)), `${name} runs`);

    const sandboxes = await startSandboxes(t);
    const { jumpcloud } = sandboxes;
    const common: Record<string, string> = {
      ...connection,
      TEMPORAL_TASK_QUEUE: 'cluster-import',
      PAYLOAD_KEYS: `k:${randomBytes(32).toString('base64')}`,
    };

    await t.test('a read-only token cannot start an import or approve; the CLI says so', async () => {
      const readOnly = { ...common, TEMPORAL_API_KEY: readonlyKey };
      const importing = runProject('client/cli.ts', ['import', '--notify', 'never'], readOnly);
      assert.equal(await importing.exited, 1, importing.output.join('\n'));
      assert.match(importing.output.join('\n'), /TEMPORAL_API_KEY.*(not allowed|lacks|permission)/i);
      assert.doesNotMatch(importing.output.join('\n'), /\n\s+at /, 'no stack trace');
      // `approve` is an update: the authorizer refuses it to a read-only token before it looks
      // for the workflow (the CLI's signed approve first reads the run, which reads may do).
      const target = loadTemporalConnection(readOnly);
      const connection = await Connection.connect({
        address: target.address,
        tls: target.tls,
        apiKey: target.apiKey,
      });
      const client = new Client({ connection, namespace: loadTemporalSettings(readOnly).namespace });
      const close = () => connection.close();
      try {
        const refused = await client.workflow
          .getHandle('cluster-import-x')
          .executeUpdate('approve', { args: [{ by: 'test' }] })
          .then(
            () => null,
            (err: unknown) => err,
          );
        assert.ok(refused, 'the update was refused');
        const messages: string[] = [];
        for (let e = refused as Error | undefined; e; e = e.cause as Error | undefined)
          messages.push(`${e.message} ${(e as { details?: string }).details ?? ''}`);
        assert.match(messages.join(' | '), /permission|unauthori[sz]ed|not allowed|PERMISSION_DENIED/i);
      } finally {
        await close();
      }
      assert.equal(jumpcloud.stats.snapshot().writes.usersCreated ?? 0, 0, 'nothing was written');
    });

    await t.test('a client without its certificate is refused; the CLI says so', async () => {
      const { TEMPORAL_TLS_CERT_FILE: _c, TEMPORAL_TLS_KEY_FILE: _k, ...noCert } = common;
      const cli = runProject('client/cli.ts', ['status'], noCert);
      assert.equal(await cli.exited, 1, cli.output.join('\n'));
      assert.match(cli.output.join('\n'), /client certificate.*TEMPORAL_TLS_CERT_FILE/i);
    });

    const historyPid = Number(clusterEnv.CLUSTER_PID_HISTORY_1!);
    const seconds = await importWithTwoWorkers(t, common, sandboxes, async () => {
      // A history service dies mid-import; the cluster restarts it.
      process.kill(historyPid, 'SIGKILL');
      await until(
        'the cluster to restart history-1',
        async () =>
          cluster.output.some((l) => /history-1 restarted \(pid \d+\)/.test(l)) ? true : undefined,
        60_000,
      );
      const restartedPid = Number(readEnvFile(envFile).CLUSTER_PID_HISTORY_1!);
      assert.notEqual(restartedPid, historyPid, 'the env file names the new history-1');
      assert.ok(alive(restartedPid));
    });
    t.diagnostic(`2,000 employees imported on the cluster in ${seconds.toFixed(1)} s`);

    // Killed outright, the cluster still takes everything it started down with it.
    const running = Object.entries(readEnvFile(envFile))
      .filter(([k]) => k.startsWith('CLUSTER_PID_'))
      .map(([, v]) => Number(v));
    process.kill(cluster.proc.pid!, 'SIGKILL');
    await until(
      'every cluster process to stop',
      async () => (running.some(alive) ? undefined : true),
      120_000,
    );
  },
);
