/**
 * A bad configuration stops the worker or the CLI at start with one message that lists every
 * problem by variable, with an example: no stack trace, no secret echoed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runProject } from '../helpers/worker-process.js';

test('the worker lists every configuration problem in one message and exits', async () => {
  const worker = runProject('worker/main.ts', [], {
    PERSONIO_CLIENT_ID: 'papi-123',
    PERSONIO_BASE_URL: 'not a url',
    JUMPCLOUD_API_KEY_FILE: '/nonexistent/jumpcloud-key',
    PAYLOAD_KEYS: 'k1:dG9vLXNob3J0',
    JUMPCLOUD_MAX_CONCURRENCY: 'lots',
  });
  assert.equal(await worker.exited, 1);
  const out = worker.output.join('\n');
  assert.match(out, /PERSONIO_CLIENT_SECRET is missing/);
  assert.match(out, /PERSONIO_BASE_URL must be an http\(s\) URL/);
  assert.match(out, /JUMPCLOUD_API_KEY_FILE=\/nonexistent\/jumpcloud-key cannot be read \(ENOENT\)/);
  assert.match(out, /PAYLOAD_KEYS: key "k1" must be 32 bytes/);
  assert.match(out, /JUMPCLOUD_MAX_CONCURRENCY must be a positive whole number/);
  assert.equal(worker.output.filter((l) => l.includes('Configuration problems')).length, 1, 'one message');
  assert.doesNotMatch(out, /\n\s+at .*\.ts:\d+/, 'no stack trace');
  assert.doesNotMatch(out, /dG9vLXNob3J0/, 'no key material');
});

test('the CLI names a bad key file and a bad input, and exits 2 without a stack trace', async () => {
  const cli = runProject('client/cli.ts', ['import', '--page-size', '1000'], {
    PAYLOAD_KEYS_FILE: '/nonexistent/keys',
  });
  assert.equal(await cli.exited, 2);
  assert.match(cli.output.join('\n'), /pageSize: must be between 1 and 100/);

  const keys = runProject('client/cli.ts', ['status'], { PAYLOAD_KEYS_FILE: '/nonexistent/keys' });
  assert.equal(await keys.exited, 2);
  const out = keys.output.join('\n');
  assert.match(out, /PAYLOAD_KEYS_FILE=\/nonexistent\/keys cannot be read/);
  assert.doesNotMatch(out, /\n\s+at /, 'no stack trace');
});

test('the demo names a bad DEMO_EMPLOYEES and exits 2 before it starts anything', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'demo-bad-'));
  for (const bad of ['abc', '0', '2.5', '100001']) {
    const demo = runProject('demo/main.ts', ['--exit'], { DEMO_EMPLOYEES: bad, DEMO_DATA_DIR: dataDir });
    assert.equal(await demo.exited, 2, demo.output.join('\n'));
    const out = demo.output.join('\n');
    assert.match(
      out,
      new RegExp(
        `DEMO_EMPLOYEES must be a whole number of employees from 1 to 100000, e\\.g\\. DEMO_EMPLOYEES=2000; got "${bad.replace('.', '\\.')}"`,
      ),
    );
    assert.doesNotMatch(out, /▸ starting/, 'nothing started');
    assert.doesNotMatch(out, /\n\s+at /, 'no stack trace');
  }
  assert.deepEqual(readdirSync(dataDir), [], 'no state written');
});
