/**
 * `npm test`: runs every test with node's test runner against ONE real Temporal dev server
 * that this script starts (headless, in memory, fast SQLite) and always stops, also when a
 * test fails or the run is interrupted (Ctrl-C, SIGTERM).
 *
 *   npm test                          all tests
 *   npm test -- test/unit             only some folders or files (no server unless needed)
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startDevServer, type DevServer } from '../local-temporal/dev-server.js';

const root = join(import.meta.dirname, '..');
/**
 * Folders whose tests need the shared Temporal server (chaos and browser tests start their own;
 * test/workflows takes it as the SDK's test environment).
 */
const needsServer = ['test/integration', 'test/security', 'test/workflows'];
/**
 * Folders whose files may run past the 5-minute limit node puts on each file (and test):
 * test/cluster starts a real cluster and imports 2,000 employees through it.
 */
const slowFolders = ['test/cluster'];

function testFiles(path: string): string[] {
  if (statSync(path).isFile()) return path.endsWith('.test.ts') ? [path] : [];
  return readdirSync(path)
    .sort()
    .flatMap((entry) => (entry === 'helpers' || entry === 'fixtures' ? [] : testFiles(join(path, entry))));
}

const targets = process.argv.slice(2);
const files = (targets.length > 0 ? targets : ['test']).flatMap((t) => testFiles(join(root, t)));
if (files.length === 0) {
  console.error(`No test files under ${targets.join(', ')}`);
  process.exit(1);
}

let server: DevServer | undefined;
const env = { ...process.env };
if (
  !env.TEMPORAL_TEST_ADDRESS &&
  files.some((f) => needsServer.some((d) => relative(root, f).startsWith(d)))
) {
  const started = Date.now();
  server = await startDevServer({ headless: true, fastSqlite: true });
  env.TEMPORAL_TEST_ADDRESS = server.address;
  console.log(
    `# Temporal dev server at ${server.address} (pid ${server.pid}, up in ${Date.now() - started} ms)`,
  );
}

const concurrency = env.TEST_CONCURRENCY ?? '2';
const runner = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    `--test-timeout=${files.some((f) => slowFolders.some((d) => relative(root, f).startsWith(d))) ? 1_200_000 : 300_000}`,
    ...files.map((f) => relative(root, f)),
  ],
  { cwd: root, env, stdio: 'inherit' },
);

// Ctrl-C reaches the runner through the terminal's process group; SIGTERM we pass on.
// Either way the runner exits, and the server stops below.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => runner.kill(signal));
}

const code = await new Promise<number>((resolve) => runner.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
await server?.stop();
process.exit(code);
