/**
 * Starts and stops a real Temporal dev server (`temporal server start-dev`) for the tests,
 * the demo and the benchmarks.
 *
 * The server never outlives its owner: it is stopped on close(), on process exit, on
 * SIGINT/SIGTERM, and, should the owner be killed outright (SIGKILL), by a watchdog shell
 * that stops the server as soon as the owner's pid is gone.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Connection } from '@temporalio/client';
import { searchAttributeTypes } from '../domain/search-attributes.js';
import { findTemporalCli } from './temporal-cli.js';

export interface DevServerOptions {
  /** gRPC frontend port; 0 or absent picks a free one. */
  port?: number;
  /** Web UI port; absent = gRPC port + 1000. Ignored when headless. */
  uiPort?: number;
  headless?: boolean;
  /** Persist state in this SQLite file (needed to survive a server restart). */
  dbFilename?: string;
  /** Faster SQLite for tests (journal_mode=WAL, synchronous=OFF). */
  fastSqlite?: boolean;
  /** Codec server the Web UI should call to decode payloads. */
  uiCodecEndpoint?: string;
  namespace?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Where the server's own output goes (default: dropped unless it fails to start). */
  output?: 'inherit' | 'ignore';
  extraArgs?: string[];
  startTimeoutMs?: number;
}

export interface DevServer {
  address: string;
  namespace: string;
  uiUrl: string | null;
  pid: number;
  stop(): Promise<void>;
  /** Kill the server process outright (SIGKILL), as a crash would; for reliability tests. */
  crash(): Promise<void>;
}

/** Ask the OS for a free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The watchdog: run the server in the background, stop it when the owner disappears or
// asks for it (SIGTERM), and pass the server's exit code through. Run it as
// `bash -c WATCHDOG watchdog <owner pid> <program> <args…>`; npm run cluster does the same
// for each of its processes.
export const WATCHDOG = `
owner=$1; shift
"$@" &
child=$!
trap 'kill -TERM $child 2>/dev/null; wait $child; exit $?' TERM INT
while kill -0 "$owner" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 1; done
kill -TERM $child 2>/dev/null
wait $child
`;

const live = new Set<ChildProcess>();
let exitHooksInstalled = false;
function installExitHooks() {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGTERM');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const child of live) child.kill('SIGTERM');
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

async function waitUntilServing(address: string, child: ChildProcess, timeoutMs: number, log: () => string) {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`temporal server start-dev exited with ${child.exitCode} before serving:\n${log()}`);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await sleep(200);
    }
  }
  throw new Error(
    `the Temporal dev server at ${address} did not answer within ${timeoutMs} ms: ${String(lastError)}\n${log()}`,
  );
}

/**
 * Starts a dev server. Ports picked here (free when asked, but released before the server
 * binds them) can be taken meanwhile by a test running in parallel: then it tries again with
 * fresh ones, a few times.
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (err) {
      const raced = err instanceof Error && /address already in use/.test(err.message);
      if (!raced || attempt >= 3) throw err;
    }
  }
}

async function startOnce(options: DevServerOptions): Promise<DevServer> {
  const cli = await findTemporalCli();
  const port = options.port || (await freePort());
  const namespace = options.namespace ?? 'default';
  const uiPort = options.headless ? null : (options.uiPort ?? port + 1000);
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--namespace', namespace];
  args.push('--log-level', options.logLevel ?? 'warn');
  args.push('--http-port', String(await freePort()), '--metrics-port', String(await freePort()));
  if (uiPort === null) args.push('--headless');
  else args.push('--ui-port', String(uiPort), '--ui-ip', '127.0.0.1');
  if (options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  if (options.dbFilename) args.push('--db-filename', options.dbFilename);
  if (options.fastSqlite)
    args.push('--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=OFF');
  for (const [name, type] of Object.entries(searchAttributeTypes))
    args.push('--search-attribute', `${name}=${type}`);
  args.push(...(options.extraArgs ?? []));

  installExitHooks();
  const child = spawn('bash', ['-c', WATCHDOG, 'watchdog', String(process.pid), cli.path, ...args], {
    stdio: [
      'ignore',
      options.output === 'inherit' ? 'inherit' : 'pipe',
      options.output === 'inherit' ? 'inherit' : 'pipe',
    ],
  });
  live.add(child);
  // Keep the last lines of output for the error message if it fails to start.
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('exit', () => live.delete(child));

  const address = `127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const killed = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
    if (!killed) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  const crash = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    // The server runs under the watchdog shell: kill the server itself, not the watchdog.
    const serverPids = execFileSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' })
      .trim()
      .split('\n');
    for (const pid of serverPids) if (pid) process.kill(Number(pid), 'SIGKILL');
    await exited;
  };
  try {
    await waitUntilServing(address, child, options.startTimeoutMs ?? 60_000, () => tail);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    address,
    namespace,
    uiUrl: uiPort === null ? null : `http://127.0.0.1:${uiPort}`,
    pid: child.pid ?? -1,
    stop,
    crash,
  };
}
