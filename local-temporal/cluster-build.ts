/**
 * The Temporal server and its SQL schema tool for `npm run cluster`: built once per machine
 * with Go from the module proxy (`CGO_ENABLED=0 go install …@v1.29.1`) and cached beside the
 * Temporal CLI, with the same lock (local-temporal/temporal-cli.ts). The PostgreSQL schema
 * files of the same module are copied into the cache, so a cleaned Go module cache does not
 * matter later.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cacheRoot, goInstallIntoCache, onPath, type Say } from './temporal-cli.js';

const execFileAsync = promisify(execFile);

/** The server docker-compose.yml runs (temporalio/auto-setup:1.29.1) and the CLI carries. */
export const TEMPORAL_SERVER_VERSION = '1.29.1';
const MODULE = 'go.temporal.io/server';

export interface ServerTools {
  server: string;
  sqlTool: string;
  /** …/schema/postgresql/v12 with temporal/ and visibility/ (schema.sql, versioned/). */
  schemaDir: string;
  source: 'cache' | 'built';
  /** Seconds the build took, when it ran now. */
  buildSeconds?: number;
}

export function serverCacheDir(): string {
  return join(cacheRoot(), 'temporal-server', TEMPORAL_SERVER_VERSION);
}

async function works(path: string): Promise<boolean> {
  try {
    const { stdout } = await execFileAsync(path, ['--version'], { timeout: 30_000 });
    return stdout.includes(TEMPORAL_SERVER_VERSION);
  } catch {
    return false;
  }
}

const installHelp = [
  `The Temporal server v${TEMPORAL_SERVER_VERSION} is not built yet and Go is not available to build it.`,
  'Install Go 1.25 or newer (https://go.dev/dl/, or: apt-get install golang-go), then run again;',
  'or use the dev server instead: temporal server start-dev.',
].join('\n');

/** Returns the cached server tools, building them on first use. */
export async function findTemporalServer(say: Say): Promise<ServerTools> {
  const dir = serverCacheDir();
  const tools = {
    server: join(dir, 'temporal-server'),
    sqlTool: join(dir, 'temporal-sql-tool'),
    schemaDir: join(dir, 'schema', 'postgresql', 'v12'),
  };
  const ready = async () =>
    existsSync(tools.sqlTool) && existsSync(join(tools.schemaDir, 'temporal')) && (await works(tools.server));
  if (await ready()) return { ...tools, source: 'cache' };
  const started = Date.now();
  await goInstallIntoCache(
    {
      dir,
      what: 'the Temporal server',
      version: TEMPORAL_SERVER_VERSION,
      args: [
        `${MODULE}/cmd/server@v${TEMPORAL_SERVER_VERSION}`,
        `${MODULE}/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`,
      ],
      binaries: { server: 'temporal-server', sql: 'temporal-sql-tool' },
      ready,
      finish: async () => {
        const { stdout } = await execFileAsync('go', ['env', 'GOMODCACHE']);
        const source = join(stdout.trim(), `${MODULE}@v${TEMPORAL_SERVER_VERSION}`, 'schema', 'postgresql');
        await cp(source, join(dir, 'schema', 'postgresql'), { recursive: true });
      },
      installHelp,
    },
    say,
  );
  if (!(await works(tools.server)))
    throw new Error(
      `the Temporal server built at ${tools.server} does not run; delete ${dir} and try again.`,
    );
  return { ...tools, source: 'built', buildSeconds: Math.round((Date.now() - started) / 1000) };
}

/** Can this machine run the cluster at all (a cached server, or Go to build one)? */
export function canBuildServer(): boolean {
  return existsSync(join(serverCacheDir(), 'temporal-server')) || onPath('go') !== null;
}
