/**
 * `npm run cluster`: a real Temporal cluster on this machine, without Docker, secured the way
 * a production cluster is. What docker-compose.yml describes, as separate processes:
 *
 *   PostgreSQL (Debian's, a private data directory, password auth, 127.0.0.1 only)
 *   frontend ×1 (mTLS required, JWT authorizer + claim mapper), internal-frontend ×1 (for the
 *   server's own worker service), history ×2, matching ×1, worker ×1, on 127.0.0.1
 *
 *   npm run cluster -- --env-file .data/cluster.env     # runs until Ctrl-C (via cluster.sh)
 *   . .data/cluster.env && npm run worker               # in another terminal
 *   . .data/cluster.env && npm run cli -- import
 *
 * The server (v1.29.1, the version docker-compose.yml runs) and its SQL tool are built with
 * Go on first use and cached (local-temporal/cluster-build.ts). The first start makes the
 * database, schemas, namespace, search attributes, certificates and the token signing key
 * under --data-dir; later starts reuse them. A service that dies is restarted (like
 * `restart: unless-stopped`); Ctrl-C or SIGTERM stops everything; if this process is killed
 * outright, each process's watchdog stops it within a second.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { Command, Option } from 'commander';
import { ensureSearchAttributes } from '../client/search-attributes.js';
import { loadTokenIssuer, serveJwks, type TokenIssuer } from './cluster-auth.js';
import { findTemporalServer, TEMPORAL_SERVER_VERSION, type ServerTools } from './cluster-build.js';
import { CLUSTER_SERVER_NAME, ensureClusterCerts, type ClusterCerts } from './cluster-certs.js';
import { processName, serverConfig, type Role, type ServiceProcess } from './cluster-config.js';
import {
  asPostgresUser,
  checkReachable,
  postgresArgs,
  preparePostgres,
  requirePostgres,
  type PostgresBinaries,
} from './cluster-postgres.js';
import { WATCHDOG } from './dev-server.js';
import { connect as tcpConnect, createServer } from 'node:net';

const execFileAsync = promisify(execFile);
const root = join(import.meta.dirname, '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (m: string) => process.stderr.write(`[cluster] ${m}\n`);

/** The services and how many of each, started in this order. */
const TOPOLOGY: [Role, number][] = [
  ['history', 2],
  ['matching', 1],
  ['internal-frontend', 1],
  ['worker', 1],
  ['frontend', 1],
];
/** Closed workflows stay readable this long (as docker-compose.yml's namespace). */
const RETENTION_SECONDS = 30 * 24 * 3600;
const TOKEN_TTL_SECONDS = 7 * 24 * 3600;

const program = new Command()
  .name('npm run cluster --')
  .description(
    'A Temporal cluster on this machine: PostgreSQL, separate services, mTLS and JWT authorization.',
  )
  .option('--port <n>', 'frontend gRPC port on 127.0.0.1 (0 = any free port)', '7233')
  .option('--data-dir <dir>', 'PostgreSQL data, certificates, keys, configs and logs', '.data/cluster')
  .option('--env-file <file>', 'write the connection settings as export lines to this file')
  // What local-temporal/cluster.sh turns --env-file into (Node 20 would take it as its own).
  .addOption(new Option('--write-env-file <file>').hideHelp())
  .option('--namespace <name>', 'namespace to create', 'default')
  .option('--log-level <level>', 'server log level: debug, info, warn, error', 'warn')
  .option('--build-only', 'build (or find) the server and its SQL tool, print where, and exit')
  .option(
    '--make-certs <dir>',
    'only make the CA, server and client certificates in <dir> (e.g. deploy/tls) and exit',
  )
  .showHelpAfterError();
program.parse();
const opts = program.opts<{
  port: string;
  dataDir: string;
  envFile?: string;
  writeEnvFile?: string;
  namespace: string;
  logLevel: string;
  buildOnly?: boolean;
  makeCerts?: string;
}>();

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const port = Number(opts.port);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`--port must be a port number (0 = any free port), e.g. --port 7233; got "${opts.port}"`);
if (!['debug', 'info', 'warn', 'error'].includes(opts.logLevel))
  fail(`--log-level must be debug, info, warn or error; got "${opts.logLevel}"`);
if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/.test(opts.namespace))
  fail(
    `--namespace must be a namespace name (letters, digits, . _ -), e.g. --namespace default; got "${opts.namespace}"`,
  );

/**
 * A free loopback port below 32768. Temporal stores membership ports as a SQL smallint, so
 * the OS's ephemeral ports (32768+, what port 0 gives) do not fit; below that range no
 * other program is handed a port by chance either.
 */
async function freePort(): Promise<number> {
  for (;;) {
    const candidate = 20000 + Math.floor(Math.random() * 12000);
    const free = await new Promise<boolean>((done) => {
      const srv = createServer();
      srv.once('error', () => done(false));
      srv.listen(candidate, '127.0.0.1', () => srv.close(() => done(true)));
    });
    if (free) return candidate;
  }
}

// ---------------------------------------------------------------------------------------
// Supervised processes

interface Supervised {
  name: string;
  /** CLUSTER_PID_<KEY> in the env file. */
  key: string;
  command: [string, string[]];
  logFile: string;
  watchdog?: ChildProcess;
  /** The program's own pid (under its watchdog shell). */
  pid?: number;
  startedAt: number;
  quickDeaths: number;
}

const supervised: Supervised[] = [];
let shuttingDown = false;
let onRestart: (() => Promise<void>) | undefined;

async function childPid(watchdog: ChildProcess): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const out = await execFileAsync('pgrep', ['-P', String(watchdog.pid)]).catch(() => ({ stdout: '' }));
    const pid = Number(out.stdout.trim().split('\n')[0]);
    if (pid > 0) return pid;
    if (watchdog.exitCode !== null) break;
    await sleep(50);
  }
  throw new Error(`could not find the process of ${watchdog.spawnargs.slice(4, 6).join(' ')}`);
}

async function launch(p: Supervised): Promise<void> {
  const log = openSync(p.logFile, 'a');
  const [cmd, args] = p.command;
  const watchdog = spawn('bash', ['-c', WATCHDOG, 'watchdog', String(process.pid), cmd, ...args], {
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  p.watchdog = watchdog;
  p.startedAt = Date.now();
  p.pid = await childPid(watchdog);
  watchdog.once('exit', (code, signal) => void onExit(p, watchdog, code ?? signal));
}

async function onExit(p: Supervised, watchdog: ChildProcess, how: number | string | null): Promise<void> {
  if (shuttingDown || p.watchdog !== watchdog) return;
  p.quickDeaths = Date.now() - p.startedAt < 30_000 ? p.quickDeaths + 1 : 0;
  if (p.quickDeaths >= 5) {
    say(`${p.name} keeps dying (exit ${how}); see ${p.logFile}. Stopping the cluster.`);
    await shutdown(1);
    return;
  }
  say(`${p.name} (pid ${p.pid}) exited (${how}); restarting it`);
  await sleep(1000);
  if (shuttingDown) return;
  await launch(p);
  say(`${p.name} restarted (pid ${p.pid})`);
  await onRestart?.();
}

async function stopOne(p: Supervised, timeoutMs: number): Promise<void> {
  const w = p.watchdog;
  if (!w || w.exitCode !== null || w.signalCode !== null) return;
  const exited = new Promise<void>((r) => w.once('exit', () => r()));
  w.kill('SIGTERM');
  const done = await Promise.race([exited.then(() => true), sleep(timeoutMs).then(() => false)]);
  if (!done) {
    if (p.pid) process.kill(p.pid, 'SIGKILL');
    await exited;
  }
}

const cleanups: (() => Promise<void>)[] = [];
async function shutdown(code: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    say('stopping');
    const services = supervised.filter((p) => p.key !== 'POSTGRES_1');
    await Promise.all(services.map((p) => stopOne(p, 20_000)));
    const postgres = supervised.find((p) => p.key === 'POSTGRES_1');
    if (postgres) await stopOne(postgres, 30_000);
    for (const c of cleanups) await c().catch(() => undefined);
    say('stopped');
  }
  process.exit(code);
}

// Our own exit, however it comes: every watchdog is told (they also notice us gone).
process.on('exit', () => {
  for (const p of supervised) p.watchdog?.kill('SIGTERM');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => void shutdown(signal === 'SIGINT' ? 130 : 143));
// Under `tsx`/`npm run`, a parent killed outright closes our IPC channel: stop with it.
if (process.send) process.once('disconnect', () => void shutdown(143));

// ---------------------------------------------------------------------------------------
// Steps

async function startPostgres(pg: PostgresBinaries, dataDir: string, logs: string): Promise<number> {
  const pgPort = await freePort();
  const p: Supervised = {
    name: 'postgres-1',
    key: 'POSTGRES_1',
    command: asPostgresUser(join(pg.bin, 'postgres'), postgresArgs(dataDir, pgPort)),
    logFile: join(logs, 'postgres-1.log'),
    startedAt: 0,
    quickDeaths: 0,
  };
  supervised.push(p);
  await launch(p);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ready = await execFileAsync(join(pg.bin, 'pg_isready'), [
      '-h',
      '127.0.0.1',
      '-p',
      String(pgPort),
      '-t',
      '1',
    ])
      .then(() => true)
      .catch(() => false);
    if (ready) return pgPort;
    if (Date.now() > deadline || p.watchdog?.exitCode !== null)
      throw new Error(`PostgreSQL did not start; see ${p.logFile}`);
    await sleep(200);
  }
}

async function waitForPort(port: number, p: Supervised): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const open = await new Promise<boolean>((done) => {
      const socket = tcpConnect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        done(true);
      });
      socket.once('error', () => done(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`${p.name} did not start listening; see ${p.logFile}`);
    await sleep(200);
  }
}

async function setupSchemas(tools: ServerTools, pgPort: number, password: string, fresh: boolean) {
  const sql = (database: string, args: string[]) =>
    execFileAsync(
      tools.sqlTool,
      [
        '--plugin',
        'postgres12',
        '--ep',
        '127.0.0.1',
        '-p',
        String(pgPort),
        '-u',
        'temporal',
        '--db',
        database,
        ...args,
      ],
      // The password goes by environment, never on a command line others can read.
      { env: { ...process.env, SQL_PASSWORD: password }, timeout: 120_000 },
    ).catch((err: { stderr?: string; stdout?: string; message: string }) => {
      throw new Error(
        `temporal-sql-tool ${args[0]} on ${database} failed: ${(err.stderr || err.stdout || err.message).trim()}`,
      );
    });
  for (const [database, folder] of [
    ['temporal', 'temporal'],
    ['temporal_visibility', 'visibility'],
  ] as const) {
    if (fresh) {
      await sql(database, ['create']);
      await sql(database, ['setup-schema', '-v', '0.0']);
    }
    await sql(database, ['update-schema', '-d', join(tools.schemaDir, folder, 'versioned')]);
  }
}

async function connectAdmin(address: string, certs: ClusterCerts, issuer: TokenIssuer): Promise<Connection> {
  return Connection.connect({
    address,
    tls: {
      serverNameOverride: CLUSTER_SERVER_NAME,
      serverRootCACertificate: readFileSync(certs.ca),
      clientCertPair: { crt: readFileSync(certs.clientCert), key: readFileSync(certs.clientKey) },
    },
    // Short-lived and never written anywhere: only this process administers the cluster.
    apiKey: issuer.token({ sub: 'npm-run-cluster', permissions: ['temporal-system:admin'], ttlSeconds: 600 }),
    connectTimeout: '2s',
  });
}

async function waitForFrontend(
  address: string,
  certs: ClusterCerts,
  issuer: TokenIssuer,
): Promise<Connection> {
  const deadline = Date.now() + 180_000;
  let last: unknown;
  while (Date.now() < deadline) {
    const frontend = supervised.find((p) => p.key === 'FRONTEND_1');
    if (frontend?.watchdog?.exitCode !== null && frontend?.quickDeaths)
      throw new Error(`the frontend does not start; see ${frontend.logFile}`);
    try {
      const connection = await connectAdmin(address, certs, issuer);
      await connection.workflowService.getSystemInfo({});
      return connection;
    } catch (err) {
      last = err;
      await sleep(500);
    }
  }
  throw new Error(`the frontend at ${address} did not answer within 3 minutes: ${String(last)}`);
}

async function prepareNamespace(connection: Connection, namespace: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      await connection.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: msToTs(RETENTION_SECONDS * 1000),
      });
      break;
    } catch (err) {
      const e = err as { code?: number; message?: string };
      if (e.code === 6) break; // ALREADY_EXISTS: a later start
      // History and matching may still be joining membership.
      if (Date.now() > deadline) throw err;
      await sleep(1000);
    }
  }
  const client = new Client({ connection, namespace });
  for (;;) {
    try {
      await connection.workflowService.describeNamespace({ namespace });
      const problem = await ensureSearchAttributes(client, namespace);
      if (problem === null) {
        const listed = await connection.operatorService.listSearchAttributes({ namespace });
        if (Object.keys(listed.customAttributes ?? {}).length > 0) return;
      }
      if (Date.now() > deadline) throw new Error(problem ?? 'the search attributes did not appear');
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    await sleep(1000);
  }
}

function envFileText(lines: Record<string, string>): string {
  const quote = (v: string) => (/^[A-Za-z0-9_./:@=+-]*$/.test(v) ? v : `'${v.replaceAll("'", `'\\''`)}'`);
  return (
    `# Written by npm run cluster (${new Date().toISOString()}); load it with: . <this file>\n` +
    Object.entries(lines)
      .map(([k, v]) => `export ${k}=${quote(v)}`)
      .join('\n') +
    '\n'
  );
}

// ---------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  const started = Date.now();
  if (opts.makeCerts) {
    const made = await ensureClusterCerts(resolve(opts.makeCerts));
    process.stdout.write(`${Object.values(made).join('\n')}\n`);
    return;
  }
  // PostgreSQL first: a missing one is said before a build of minutes.
  const pg = opts.buildOnly ? undefined : requirePostgres();
  const dataRoot = resolve(opts.dataDir);
  if (pg) {
    // Readable by the PostgreSQL user (its data directory is inside); secrets sit in 0700 folders.
    await mkdir(dataRoot, { recursive: true, mode: 0o755 });
    checkReachable(dataRoot);
  }
  const tools = await findTemporalServer(say);
  say(
    tools.source === 'built'
      ? `built the Temporal server v${TEMPORAL_SERVER_VERSION} in ${tools.buildSeconds} s: ${tools.server}`
      : `Temporal server v${TEMPORAL_SERVER_VERSION}: ${tools.server}`,
  );
  if (opts.buildOnly) {
    process.stdout.write(`${tools.server}\n${tools.sqlTool}\n`);
    return;
  }
  if (!pg) return;
  const logs = join(dataRoot, 'logs');
  const configDir = join(dataRoot, 'config');
  await mkdir(logs, { recursive: true, mode: 0o700 });
  await rm(configDir, { recursive: true, force: true });
  await mkdir(configDir, { recursive: true, mode: 0o700 });

  // A database whose schema setup never finished is started over.
  const schemaMarker = join(dataRoot, `schema-ready-${TEMPORAL_SERVER_VERSION}`);
  if (!existsSync(schemaMarker)) await rm(join(dataRoot, 'postgres'), { recursive: true, force: true });
  const data = await preparePostgres(pg, dataRoot);
  if (data.created) say(`PostgreSQL ${pg.version}: new data directory ${data.dataDir}`);
  const pgPort = await startPostgres(pg, data.dataDir, logs);
  await setupSchemas(tools, pgPort, data.password, !existsSync(schemaMarker));
  await writeFile(schemaMarker, `${new Date().toISOString()}\n`);

  const certs = await ensureClusterCerts(join(dataRoot, 'tls'));
  const issuer = await loadTokenIssuer(join(dataRoot, 'jwt'));
  const jwks = await serveJwks(issuer);
  cleanups.push(jwks.close);

  const processes: ServiceProcess[] = [];
  for (const [role, count] of TOPOLOGY)
    for (let n = 1; n <= count; n++)
      processes.push({
        role,
        n,
        grpcPort: role === 'frontend' && port !== 0 ? port : await freePort(),
        membershipPort: await freePort(),
        ...(role === 'frontend' ? { httpPort: await freePort() } : {}),
      });
  const settings = {
    postgres: { port: pgPort, password: data.password },
    certs,
    jwksUrl: jwks.url,
    dynamicConfigFile: join(root, 'deploy', 'dynamic-config.yaml'),
    logLevel: opts.logLevel,
    numHistoryShards: 4,
    processes,
  };
  for (const p of processes) {
    const name = processName(p);
    // The files hold the database password: only the owner reads them.
    await writeFile(join(configDir, `${name}.yaml`), JSON.stringify(serverConfig(settings, p), null, 2), {
      mode: 0o600,
    });
    const s: Supervised = {
      name,
      key: name.toUpperCase().replaceAll('-', '_'),
      command: [
        tools.server,
        ['--root', dataRoot, '--config', 'config', '--env', name, 'start', '--service', p.role],
      ],
      logFile: join(logs, `${name}.log`),
      startedAt: 0,
      quickDeaths: 0,
    };
    supervised.push(s);
    await launch(s);
    // The first process initialises the cluster's metadata in the database; the others
    // would race it (and die once), so they start when it listens.
    if (processes.indexOf(p) === 0) await waitForPort(p.grpcPort, s);
  }

  const frontend = processes.find((p) => p.role === 'frontend')!;
  const address = `127.0.0.1:${frontend.grpcPort}`;
  const admin = await waitForFrontend(address, certs, issuer);
  await prepareNamespace(admin, opts.namespace);
  await admin.close();

  const writeToken = issuer.token({
    sub: 'personio-jumpcloud-sync',
    permissions: [`${opts.namespace}:write`],
    ttlSeconds: TOKEN_TTL_SECONDS,
  });
  const readToken = issuer.token({
    sub: 'personio-jumpcloud-sync-readonly',
    permissions: [`${opts.namespace}:read`],
    ttlSeconds: TOKEN_TTL_SECONDS,
  });
  const envFileOption = opts.envFile ?? opts.writeEnvFile;
  const envFile = envFileOption ? resolve(envFileOption) : undefined;
  const writeEnvFile = async () => {
    if (!envFile) return;
    const lines: Record<string, string> = {
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: opts.namespace,
      TEMPORAL_TLS_CA_FILE: certs.ca,
      TEMPORAL_TLS_CERT_FILE: certs.clientCert,
      TEMPORAL_TLS_KEY_FILE: certs.clientKey,
      TEMPORAL_TLS_SERVER_NAME: CLUSTER_SERVER_NAME,
      TEMPORAL_API_KEY: writeToken,
      READONLY_TEMPORAL_API_KEY: readToken,
    };
    for (const p of supervised) lines[`CLUSTER_PID_${p.key}`] = String(p.pid);
    // Whole or not at all (a reader never sees half a file); 0600: it holds the tokens.
    const tmp = `${envFile}.${process.pid}.tmp`;
    await writeFile(tmp, envFileText(lines), { mode: 0o600 });
    await rename(tmp, envFile);
  };
  await writeEnvFile();
  onRestart = writeEnvFile;

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    [
      `Temporal cluster ready in ${seconds} s: ${address}, namespace ${opts.namespace} (mTLS, JWT authorization)`,
      ...supervised.map((p) => `  ${p.name.padEnd(20)} pid ${p.pid}`),
      `  data and logs:       ${dataRoot} (PostgreSQL ${pg.version} on 127.0.0.1:${pgPort})`,
      envFile
        ? `Connection settings: ${envFile}\n  . ${envFile} && npm run worker      (and in another shell: npm run cli -- import)`
        : 'Connection settings: run with --env-file FILE to get them as export lines',
      'Temporal Web: run temporalio/ui:2.42.1 (or a ui-server build) with',
      `  TEMPORAL_ADDRESS=${address} TEMPORAL_TLS_CA=${certs.ca} TEMPORAL_TLS_CERT=${certs.clientCert}`,
      `  TEMPORAL_TLS_KEY=${certs.clientKey} TEMPORAL_TLS_SERVER_NAME=${CLUSTER_SERVER_NAME}`,
      `  and TEMPORAL_AUTH_* for your OIDC provider, whose tokens carry "permissions": ["${opts.namespace}:read"];`,
      `  add its JWKS URL to global.authorization.jwtKeyProvider.keySourceURIs in ${configDir}/*.yaml.`,
      `  Without one, the CLI reads the same data: temporal workflow list --address ${address} \\`,
      `    --tls-ca-path ${certs.ca} --tls-cert-path ${certs.clientCert} --tls-key-path ${certs.clientKey} \\`,
      `    --tls-server-name ${CLUSTER_SERVER_NAME} --api-key "$READONLY_TEMPORAL_API_KEY"`,
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

main().catch(async (err: Error) => {
  process.stderr.write(`${err.message}\n`);
  await shutdown(1);
});
