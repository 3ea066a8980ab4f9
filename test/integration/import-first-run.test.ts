import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startImportEnv } from '../helpers/import-env.js';

test('smoke: an import of a small clean directory creates staged users', async (t) => {
  const env = await startImportEnv(t.name, { personio: { employees: 30 } });
  const { report } = await env.runImport({ notify: { when: 'never' } });
  console.log(JSON.stringify(report, null, 1).slice(0, 3000));
  console.log(JSON.stringify(env.jumpcloud.stats.snapshot().writes));
  assert.ok(report.counts.created > 0);
});
