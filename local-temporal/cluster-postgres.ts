/**
 * The cluster's PostgreSQL: Debian's (or any local) PostgreSQL binaries, a private data
 * directory, a password-protected superuser `temporal`, listening on 127.0.0.1 only (no Unix
 * socket, so no peer authentication either).
 *
 * initdb and postgres refuse to run as root. Running as root (containers, CI), they run as
 * the `postgres` system user the Debian package creates (created here when missing), with
 * setpriv, which execs in place: the pid we hold is postgres itself, so signals reach it.
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { onPath } from './temporal-cli.js';

const execFileAsync = promisify(execFile);

export interface PostgresBinaries {
  bin: string;
  version: string;
}

const installHelp =
  'PostgreSQL is not installed: apt-get install postgresql (Debian/Ubuntu), brew install postgresql (macOS), or set PG_BIN_DIR to the folder holding initdb and postgres.';

/** The newest PostgreSQL server binaries on this machine, or null. */
export function findPostgres(env: NodeJS.ProcessEnv = process.env): PostgresBinaries | null {
  const candidates: string[] = [];
  // An explicit folder is the only one tried: a wrong one is said, not silently replaced.
  if (env.PG_BIN_DIR) candidates.push(env.PG_BIN_DIR);
  else candidates.push(...defaultCandidates());
  for (const bin of candidates) {
    if (!existsSync(join(bin, 'initdb')) || !existsSync(join(bin, 'postgres'))) continue;
    const out = spawnSync(join(bin, 'postgres'), ['--version'], { encoding: 'utf8' });
    const version = /(\d+)(?:\.\d+)?/.exec(out.stdout ?? '')?.[0];
    if (out.status === 0 && version) return { bin, version };
  }
  return null;
}

function defaultCandidates(): string[] {
  const candidates: string[] = [];
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian))
    candidates.push(
      ...readdirSync(debian)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => join(debian, v, 'bin')),
    );
  const initdb = onPath('initdb');
  if (initdb) candidates.push(join(initdb, '..'));
  return candidates;
}

export function requirePostgres(): PostgresBinaries {
  const found = findPostgres();
  if (!found) {
    if (process.env.PG_BIN_DIR)
      throw new Error(
        `PG_BIN_DIR=${process.env.PG_BIN_DIR} holds no working initdb and postgres: fix the path or unset it.`,
      );
    throw new Error(installHelp);
  }
  if (Number(found.version.split('.')[0]) < 12)
    throw new Error(`PostgreSQL ${found.version} is too old for Temporal (12 or newer): ${installHelp}`);
  return found;
}

/** uid/gid to run PostgreSQL as, or null to run it as we are (we are not root). */
export function postgresUser(): { uid: number; gid: number; name: string } | null {
  if (process.getuid?.() !== 0) return null;
  const lookup = () => spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  if (lookup().status !== 0) {
    const created = spawnSync(
      'useradd',
      ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'],
      { encoding: 'utf8' },
    );
    if (created.status !== 0)
      throw new Error(
        `PostgreSQL cannot run as root and there is no "postgres" user; creating it failed: ${created.stderr.trim()}`,
      );
  }
  const uid = Number(lookup().stdout.trim());
  const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return { uid, gid, name: 'postgres' };
}

/** Command and arguments that run `program` as the PostgreSQL user. */
export function asPostgresUser(program: string, args: string[]): [string, string[]] {
  const user = postgresUser();
  if (!user) return [program, args];
  return [
    'setpriv',
    [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', '--reset-env', '--', program, ...args],
  ];
}

/** Throws, naming --data-dir, when the PostgreSQL user cannot enter the data directory. */
export function checkReachable(root: string): void {
  const [cmd, args] = asPostgresUser('test', ['-x', root]);
  if (spawnSync(cmd, args).status !== 0)
    throw new Error(
      `PostgreSQL runs as the postgres user, who cannot enter ${root} (a folder above it is private, e.g. /root): choose a --data-dir others may pass through, e.g. --data-dir /var/tmp/personio-cluster`,
    );
}

export interface PostgresData {
  dataDir: string;
  password: string;
  /** true when initdb ran now (a new, empty database cluster). */
  created: boolean;
}

/**
 * Creates the data directory with initdb on first use. The password of the `temporal`
 * superuser is generated once and kept in a file only the owner can read.
 */
export async function preparePostgres(pg: PostgresBinaries, root: string): Promise<PostgresData> {
  const dataDir = join(root, 'postgres');
  const passwordFile = join(root, 'postgres.password');
  if (existsSync(join(dataDir, 'PG_VERSION'))) {
    return { dataDir, password: (await readFile(passwordFile, 'utf8')).trim(), created: false };
  }
  // A half-made directory from an interrupted first start: start over.
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const password = randomBytes(24).toString('base64url');
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  // initdb reads the password from a file the PostgreSQL user can read; removed right after.
  const pwfile = join(dataDir, '..', `.initdb-pw-${process.pid}`);
  writeFileSync(pwfile, password, { mode: 0o600 });
  const user = postgresUser();
  if (user) {
    chownSync(dataDir, user.uid, user.gid);
    chownSync(pwfile, user.uid, user.gid);
  }
  try {
    const [cmd, args] = asPostgresUser(join(pg.bin, 'initdb'), [
      '--pgdata',
      dataDir,
      '--username',
      'temporal',
      '--pwfile',
      pwfile,
      '--auth',
      'scram-sha-256',
      '--encoding',
      'UTF8',
      '--locale',
      'C',
    ]);
    await execFileAsync(cmd, args, { timeout: 120_000 }).catch(
      (err: { stderr?: string; message: string }) => {
        throw new Error(`initdb failed: ${(err.stderr ?? err.message).trim()}`);
      },
    );
  } finally {
    await rm(pwfile, { force: true });
  }
  await chmod(dataDir, 0o700);
  return { dataDir, password, created: true };
}

/** postgres arguments: loopback TCP only, no Unix socket, a log line per slow statement. */
export function postgresArgs(dataDir: string, port: number): string[] {
  return [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
    // Six server processes with up to 20 + 10 connections each.
    '-c',
    'max_connections=300',
    '-c',
    'log_min_duration_statement=2000',
  ];
}
