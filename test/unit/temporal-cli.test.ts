/**
 * The Temporal CLI finder, with fake `temporal` and `go` binaries so no real build runs:
 * the search order, the build into the cache, and two runs building at once.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const script = join(import.meta.dirname, '..', '..', 'local-temporal', 'temporal-cli.ts');

function fakeTemporal(dir: string, version: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'temporal');
  writeFileSync(path, `#!/bin/sh\necho "temporal version ${version}"\n`);
  chmodSync(path, 0o755);
  return path;
}

/** A fake `go` whose `install` sleeps a little, counts its runs and drops a fake temporal into $GOBIN. */
function fakeGo(dir: string, counter: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'go'),
    `#!/bin/sh\necho run >> "${counter}"\nsleep 1\nprintf '#!/bin/sh\\necho "temporal version 1.5.1 (fake build)"\\n' > "$GOBIN/temporal"\nchmod +x "$GOBIN/temporal"\n`,
  );
  chmodSync(join(dir, 'go'), 0o755);
}

async function find(env: Record<string, string>) {
  const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', script], {
    env: { PATH: '/usr/bin:/bin', HOME: tmpdir(), ...env },
  });
  return { path: stdout.trim(), log: stderr };
}

test('TEMPORAL_CLI_PATH wins over everything else', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-'));
  const explicit = fakeTemporal(join(dir, 'explicit'), '9.9.9');
  const onPath = fakeTemporal(join(dir, 'bin'), '1.0.0');
  const found = await find({ TEMPORAL_CLI_PATH: explicit, PATH: `${join(dir, 'bin')}:/usr/bin:/bin` });
  assert.equal(found.path, explicit);
  assert.notEqual(found.path, onPath);
});

test('a broken TEMPORAL_CLI_PATH is an error that names the variable', async () => {
  await assert.rejects(
    find({ TEMPORAL_CLI_PATH: '/nonexistent/temporal' }),
    /TEMPORAL_CLI_PATH=\/nonexistent\/temporal is not a working/,
  );
});

test('temporal on PATH is used before the cache', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-'));
  const onPath = fakeTemporal(join(dir, 'bin'), '1.4.0');
  fakeTemporal(join(dir, 'cache', 'temporal-cli', '1.5.1'), '1.5.1');
  const found = await find({ PATH: `${join(dir, 'bin')}:/usr/bin:/bin`, PJS_CACHE_DIR: join(dir, 'cache') });
  assert.equal(found.path, onPath);
});

test('two runs building at once build once and share one good binary', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-'));
  const counter = join(dir, 'go-runs');
  fakeGo(join(dir, 'gobin'), counter);
  const env = { PATH: `${join(dir, 'gobin')}:/usr/bin:/bin`, PJS_CACHE_DIR: join(dir, 'cache') };
  const [a, b] = await Promise.all([find(env), find(env)]);
  const cached = join(dir, 'cache', 'temporal-cli', '1.5.1', 'temporal');
  assert.equal(a.path, cached);
  assert.equal(b.path, cached);
  assert.equal(readFileSync(counter, 'utf8').trim().split('\n').length, 1, 'go install ran exactly once');
  assert.match(a.log + b.log, /building the Temporal CLI v1\.5\.1 .*first run only/);
  assert.match(a.log + b.log, /another process is building the Temporal CLI; waiting/);
  // A third run finds the cache and does not build.
  const c = await find(env);
  assert.equal(c.path, cached);
  assert.match(c.log, /\(cache\)/);
  assert.equal(readFileSync(counter, 'utf8').trim().split('\n').length, 1);
});

test('without temporal and without Go, the error says how to install the CLI', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-'));
  mkdirSync(join(dir, 'empty'));
  await assert.rejects(
    find({ PATH: join(dir, 'empty'), PJS_CACHE_DIR: join(dir, 'cache') }),
    (err: Error & { stderr?: string }) => {
      assert.match(err.stderr ?? '', /brew install temporal/);
      assert.match(err.stderr ?? '', /go install github\.com\/temporalio\/cli\/cmd\/temporal@v1\.5\.1/);
      return true;
    },
  );
});
