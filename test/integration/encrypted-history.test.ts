/**
 * With payload keys configured, Temporal's history holds no employee data in plain text:
 * inputs, results, page contents, failures and user metadata are all encrypted, and the same
 * keys decode them.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { dataConverterFor } from '../../codec/data-converter.js';
import { parseKeyRing } from '../../codec/keys.js';
import { directoryPageWorkflowId } from '../../workflows/directory-page-api.js';
import { importEmployees } from '../../workflows/index.js';
import { historyText } from '../helpers/history-text.js';
import { startImportEnv } from '../helpers/import-env.js';
import { testTemporal, withWorker } from '../helpers/temporal.js';

test('an encrypted import leaves no employee data readable in history', async (t) => {
  const env = await startImportEnv(t, { personio: { employees: 20, seed: 9 } });
  const keys = parseKeyRing(`test-key:${randomBytes(32).toString('base64')}`, 'PAYLOAD_KEYS');
  const { connection } = await testTemporal();
  const client = new Client({ connection, dataConverter: dataConverterFor(keys) });
  const workflowId = `${env.taskQueue}-encrypted`;

  const report = await withWorker({ taskQueue: env.taskQueue, deps: env.makeDeps(), payloadKeys: keys }, () =>
    client.workflow.execute(importEmployees, {
      taskQueue: env.taskQueue,
      workflowId,
      args: [{ notify: { when: 'never' } }],
      staticSummary: 'encrypted import',
    }),
  );
  assert.ok(report.counts.created > 0, 'the client with the keys reads the result');

  // Raw (undecoded) histories of the parent and the first page it read and held.
  const raw = new Client({ connection }); // no codec: sees what the server stores
  const histories = [
    historyToJSON(await raw.workflow.getHandle(workflowId).fetchHistory()),
    historyToJSON(
      await raw.workflow.getHandle(directoryPageWorkflowId(workflowId, report.firstRunId, 0)).fetchHistory(),
    ),
  ]
    .map(historyText)
    .join('\n');
  const people: string[] = [];
  for (let id = 1001; id <= 1020; id++) {
    const e = env.personio.data.get(id)!;
    people.push(e.email!, e.lastName);
  }
  for (const text of [...people, 'encrypted import']) {
    assert.ok(!histories.includes(text), `"${text}" is readable in history`);
  }
  assert.match(histories, /binary\/encrypted/, 'payloads carry the binary/encrypted encoding');
  // The control: the same search finds plain data where it is there.
  const plain = JSON.stringify({
    data: Buffer.from(JSON.stringify({ email: people[0] })).toString('base64'),
  });
  assert.ok(historyText(plain).includes(people[0]!));
});
