/**
 * Finds a working `temporal` CLI, or builds the pinned version once per machine.
 *
 * Order: $TEMPORAL_CLI_PATH → `temporal` on PATH → the cached build → `go install` of the
 * pinned version into a cache outside the checkout (so every clone on this machine reuses
 * it) → an error that says how to install the CLI.
 *
 * Two test runs may start at once: the build takes a lock (an atomic mkdir) and installs
 * into a private folder that is renamed into place, so the cache is never half-written.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The newest CLI tag `go install` accepts (v1.6.0+ carry a replace directive). */
export const TEMPORAL_CLI_VERSION = '1.5.1';
const MODULE = 'github.com/temporalio/cli/cmd/temporal';
// go install does not stamp the release version; the CLI's own release build sets it this way.
const LDFLAGS = `-s -w -X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`;
const LOCK_STALE_MS = 20 * 60_000;

export interface FoundCli {
  path: string;
  source: 'env' | 'path' | 'cache' | 'built';
  version: string;
}

export type Say = (message: string) => void;
const defaultSay: Say = (m) => process.stderr.write(`[temporal-cli] ${m}\n`);

/** The machine-wide cache of tools this project builds (outside the checkout, shared by clones). */
export function cacheRoot(): string {
  return (
    process.env.PJS_CACHE_DIR ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'personio-jumpcloud-sync')
  );
}

export function cacheDir(): string {
  return join(cacheRoot(), 'temporal-cli', TEMPORAL_CLI_VERSION);
}

async function versionOf(path: string): Promise<string | null> {
  try {
    const { stdout } = await execFileAsync(path, ['--version'], { timeout: 15_000 });
    return stdout.trim();
  } catch {
    return null;
  }
}

export function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Hold a cross-process lock while fn runs. A lock whose owner died is taken over. `what`
 * names the build for the waiting message.
 */
export async function withLock<T>(
  lockDir: string,
  say: Say,
  fn: () => Promise<T>,
  what = 'the Temporal CLI',
): Promise<T> {
  let announced = false;
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(join(lockDir, 'owner'), JSON.stringify({ pid: process.pid, at: Date.now() }));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = await readFile(join(lockDir, 'owner'), 'utf8')
        .then((t) => JSON.parse(t) as { pid: number; at: number })
        .catch(() => null);
      const stale = owner !== null && (!pidAlive(owner.pid) || Date.now() - owner.at > LOCK_STALE_MS);
      if (stale) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!announced) {
        say(`another process is building ${what}; waiting for it`);
        announced = true;
      }
      await sleep(1000);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited with ${code}`))));
  });
}

const installHelp = [
  'No Temporal CLI was found and Go is not available to build it.',
  'Install the CLI, then run again:',
  '  macOS:   brew install temporal',
  '  Linux:   curl -sSf https://temporal.download/cli.sh | sh',
  `  with Go: CGO_ENABLED=0 go install ${MODULE}@v${TEMPORAL_CLI_VERSION}`,
  'or point TEMPORAL_CLI_PATH at an existing temporal binary.',
].join('\n');

export interface GoBuild {
  /** Cache folder the binaries end up in (one per tool and version). */
  dir: string;
  /** What is built, for messages ("the Temporal CLI"), and its version ("1.5.1"). */
  what: string;
  version: string;
  /** `go install` arguments: package@version (one module version), flags before them. */
  args: string[];
  /** Binary names `go install` writes, and the names they get in `dir`. */
  binaries: Record<string, string>;
  /** Is a binary already in `dir` usable? (Someone may have built it while we waited.) */
  ready: () => Promise<boolean>;
  /** Runs in the lock after the build, before the binaries are renamed into place. */
  finish?: (staging: string) => Promise<void>;
  /** What to tell the user when Go is missing. */
  installHelp: string;
}

/**
 * `CGO_ENABLED=0 go install` into a private staging folder, then renamed into the cache,
 * under the cache's lock: two runs at once build once, and the cache is never half-written.
 */
export async function goInstallIntoCache(build: GoBuild, say: Say = defaultSay): Promise<void> {
  await mkdir(build.dir, { recursive: true });
  await withLock(
    join(build.dir, '.lock'),
    say,
    async () => {
      if (await build.ready()) return;
      if (!onPath('go')) throw new Error(build.installHelp);
      say(`building ${build.what} v${build.version} with Go (first run only, takes a few minutes)`);
      const staging = await mkdtemp(join(build.dir, 'build-'));
      try {
        await run('go', ['install', ...build.args], { ...process.env, CGO_ENABLED: '0', GOBIN: staging });
        await build.finish?.(staging);
        for (const [from, to] of Object.entries(build.binaries))
          await rename(join(staging, from), join(build.dir, to));
      } finally {
        await rm(staging, { recursive: true, force: true });
      }
    },
    build.what,
  );
}

async function buildIntoCache(say: Say): Promise<string> {
  const dir = cacheDir();
  const target = join(dir, 'temporal');
  await goInstallIntoCache(
    {
      dir,
      what: 'the Temporal CLI',
      version: TEMPORAL_CLI_VERSION,
      args: ['-ldflags', LDFLAGS, `${MODULE}@v${TEMPORAL_CLI_VERSION}`],
      binaries: { temporal: 'temporal' },
      ready: async () => existsSync(target) && (await versionOf(target)) !== null,
      installHelp,
    },
    say,
  );
  return target;
}

/** Returns a working temporal binary, building it on first use. */
export async function findTemporalCli(say: Say = defaultSay): Promise<FoundCli> {
  const explicit = process.env.TEMPORAL_CLI_PATH;
  if (explicit) {
    const version = await versionOf(explicit);
    if (!version)
      throw new Error(
        `TEMPORAL_CLI_PATH=${explicit} is not a working temporal binary; unset it or fix the path.`,
      );
    return { path: explicit, source: 'env', version };
  }
  const fromPath = onPath('temporal');
  if (fromPath) {
    const version = await versionOf(fromPath);
    if (version) return { path: fromPath, source: 'path', version };
  }
  const cached = join(cacheDir(), 'temporal');
  if (existsSync(cached)) {
    const version = await versionOf(cached);
    if (version) return { path: cached, source: 'cache', version };
  }
  const built = await buildIntoCache(say);
  const version = await versionOf(built);
  if (!version)
    throw new Error(`the Temporal CLI built at ${built} does not run; delete ${cacheDir()} and try again.`);
  return { path: built, source: 'built', version };
}

// `npm run temporal-cli` prints the path (for scripts) and says where it came from.
if (import.meta.url === `file://${process.argv[1]}`) {
  findTemporalCli()
    .then((cli) => {
      defaultSay(`${cli.version} (${cli.source})`);
      process.stdout.write(`${cli.path}\n`);
    })
    .catch((err: Error) => {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    });
}
