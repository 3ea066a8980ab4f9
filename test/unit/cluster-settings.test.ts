/**
 * `npm run cluster` with bad settings, through its real entry point: one line naming the
 * flag or variable and the fix, no stack trace, and nothing started.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(import.meta.dirname, '..', '..');

function cluster(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync('bash', ['local-temporal/cluster.sh', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

test('PG_BIN_DIR without PostgreSQL in it is named, before any build or start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'no-postgres-'));
  const r = cluster(['--data-dir', join(dir, 'data'), '--port', '0'], { PG_BIN_DIR: dir });
  assert.equal(r.code, 1, r.output);
  assert.match(r.output, new RegExp(`PG_BIN_DIR=${dir} holds no working initdb and postgres`));
  assert.doesNotMatch(r.output, /\n\s+at /, 'no stack trace');
  assert.doesNotMatch(r.output, /building the Temporal server|cluster ready/);
});

test('a bad --port or --log-level is one line naming the flag', () => {
  const port = cluster(['--port', 'seven']);
  assert.equal(port.code, 2);
  assert.match(port.output, /--port must be a port number .*got "seven"/);
  const level = cluster(['--log-level', 'loud']);
  assert.equal(level.code, 2);
  assert.match(level.output, /--log-level must be debug, info, warn or error; got "loud"/);
});

test(
  'a --data-dir the PostgreSQL user cannot enter is named, before any build or start',
  { skip: process.getuid?.() !== 0 ? 'only root hands PostgreSQL to another user' : false },
  () => {
    const privateDir = mkdtempSync(join(tmpdir(), 'private-')); // 0700, like /root
    const r = cluster(['--data-dir', join(privateDir, 'data'), '--port', '0']);
    assert.equal(r.code, 1, r.output);
    assert.match(r.output, /postgres user, who cannot enter .* choose a --data-dir others may pass through/);
    assert.doesNotMatch(r.output, /building the Temporal server|cluster ready/);
  },
);
