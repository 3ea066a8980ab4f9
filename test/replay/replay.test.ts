/**
 * Replays recorded histories (test/replay/histories/*.json) against today's workflow code.
 * A failure means a change to a workflow would break imports already running in production:
 * version the change (patched()) instead of editing the history.
 * Record a new history with: npm run record-history -- <workflowId>
 */
import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Worker } from '@temporalio/worker';
import { sharedWorkflowBundle } from '../../worker/workflow-bundle.js';

const dir = join(import.meta.dirname, 'histories');
const workflowIds = JSON.parse(readFileSync(join(dir, 'workflow-ids.json'), 'utf8')) as Record<
  string,
  string
>;
const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'workflow-ids.json');

test('recorded histories exist', () => {
  assert.ok(files.length > 0, `no recorded histories in ${dir}`);
});

for (const file of files) {
  test(`history ${file} replays deterministically`, async () => {
    const history: unknown = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const workflowId = workflowIds[file];
    assert.ok(
      workflowId,
      `${file} has no workflow id in workflow-ids.json; record it with npm run record-history`,
    );
    await Worker.runReplayHistory({ workflowBundle: await sharedWorkflowBundle() }, history, workflowId);
  });
}
