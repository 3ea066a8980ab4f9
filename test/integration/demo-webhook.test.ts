/**
 * `npm run demo -- --exit` end to end: after the import it starts the receiver, subscribes it
 * in the sandbox Personio, hires one person and shows the user arriving in JumpCloud by webhook.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runProject } from '../helpers/worker-process.js';

test('the demo shows a hire arriving in JumpCloud by webhook', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'demo-'));
  const demo = runProject('demo/main.ts', ['--exit'], { DEMO_EMPLOYEES: '30', DEMO_DATA_DIR: dataDir });
  t.after(() => demo.stop().then(() => undefined));
  await demo.waitFor(/subscribed in the sandbox Personio/, 300_000);
  const line = await demo.waitFor(/arrived by webhook|did not arrive/, 180_000);
  assert.match(line, /arrived by webhook: JumpCloud user \S+ \(STAGED\)/);
  assert.equal(await demo.exited, 0, demo.output.slice(-20).join('\n'));
  // Its hints name the data directory the admin chose, not the default .data/.
  const again = demo.output.find((l) => l.includes('run it again'));
  assert.equal(
    again,
    `▸ run it again (only changes are written): DEMO_DATA_DIR="${dataDir}" npm run demo; start over: rm -rf "${dataDir}"`,
  );
});
