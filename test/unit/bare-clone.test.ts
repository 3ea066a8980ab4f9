/**
 * `npm test` on a bare clone (Node and Go only): without ../shared/specs or Chromium, the tests
 * that need them skip with one line saying what to install, and their files end (the browser
 * file once hung until the runner's timeout); with CI=true both are required. A `.env` in the
 * project directory reaches no test: the processes tests start run in folders of their own.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(import.meta.dirname, '..', '..');
const needsExtras = [
  'test/browser/temporal-web.test.ts',
  'test/sandbox/jumpcloud-contract.test.ts',
  'test/sandbox/personio-contract.test.ts',
  'test/sandbox/personio-v2-contract.test.ts',
];

/** Runs test files in a node test runner of their own; resolves when it has exited. */
function runTests(
  files: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; out: string }> {
  // Not CI from our own environment; not NODE_TEST_CONTEXT, or the inner runner runs nothing.
  const { CI: _ci, NODE_TEST_CONTEXT: _context, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', ...files], {
    cwd: root,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

const bare = { SPECS_DIR: '/nonexistent/specs', CHROMIUM_PATH: '/nonexistent/chromium' };

test('without specs and Chromium: one skip line each, saying what to install, and the files end', async () => {
  const { code, out } = await runTests(needsExtras, bare);
  assert.equal(code, 0, out);
  const skips = out.split('\n').filter((l) => /^ok \d+ - .* # SKIP /.test(l));
  assert.equal(skips.length, 4, `one skip line per file:\n${out}`);
  assert.ok(skips.some((l) => /apt-get install chromium/.test(l)));
  assert.equal(skips.filter((l) => /SPECS_DIR/.test(l)).length, 3);
  assert.match(out, /^# fail 0$/m);
});

test('with CI=true, missing specs and Chromium fail', async () => {
  const { code, out } = await runTests(needsExtras.slice(0, 3), { ...bare, CI: 'true' });
  assert.notEqual(code, 0, out);
  assert.equal(out.split('\n').filter((l) => /^not ok \d+ - .*required with CI=true/.test(l)).length, 3, out);
});

test('a .env in the project directory reaches no test', async (t) => {
  const file = join(root, '.env');
  if (existsSync(file)) {
    t.skip('this checkout has a .env of its own: every test run already proves it');
    return;
  }
  // Values that would change what the tests below observe, were they read.
  writeFileSync(
    file,
    'PERSONIO_CLIENT_SECRET=from-dotenv\nJUMPCLOUD_API_KEY=from-dotenv\nPAYLOAD_KEYS=dotenv:broken\nLOG_LEVEL=verbose\nTEMPORAL_TASK_QUEUE=from-dotenv\n',
  );
  try {
    const { code, out } = await runTests(['test/unit/bad-configuration.test.ts'], {});
    assert.equal(code, 0, out);
    // Every test of the file ran and passed (none skipped), whatever their number.
    const tests = /^# tests (\d+)$/m.exec(out)?.[1];
    assert.ok(Number(tests) >= 2, out);
    assert.match(out, new RegExp(`^# pass ${tests}$`, 'm'));
  } finally {
    rmSync(file, { force: true });
  }
});
