/**
 * The receiver's hand-off batcher: a lone webhook goes out at once; those arriving while a
 * signal is under way share the next one; each caller settles with the signal carrying its change.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HandoffBatcher } from '../../receiver/handoff-batcher.js';
import type { PersonChange } from '../../workflows/changes-api.js';

const change = (id: number): PersonChange => ({
  personId: String(id),
  eventName: 'employment.updated',
  occurredAt: '2026-11-30T08:00:00Z',
});

function controlledSend() {
  const calls: { ids: string[]; finish: (err?: Error) => void }[] = [];
  const send = (changes: PersonChange[]) =>
    new Promise<void>((resolve, reject) =>
      calls.push({
        ids: changes.map((c) => c.personId!),
        finish: (err) => (err ? reject(err) : resolve()),
      }),
    );
  return { calls, send };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('a lone change is sent at once; changes arriving meanwhile share the next signal', async () => {
  const { calls, send } = controlledSend();
  const batcher = new HandoffBatcher(send);
  const first = batcher.add(change(1));
  await tick();
  assert.deepEqual(
    calls.map((c) => c.ids),
    [['1']],
  );
  let laterSettled = false;
  const later = Promise.all([2, 3, 4].map((id) => batcher.add(change(id)))).then(() => (laterSettled = true));
  await tick();
  assert.equal(calls.length, 1, 'nothing more while the first signal is under way');
  calls[0]!.finish();
  await first;
  await tick();
  assert.deepEqual(calls[1]?.ids, ['2', '3', '4']);
  assert.equal(laterSettled, false, 'not acknowledged before Temporal has them');
  calls[1].finish();
  await later;
  assert.deepEqual(batcher.stats, { signals: 2, changes: 4 });
});

test('a failed signal fails exactly the changes it carried, and the next ones still go', async () => {
  const { calls, send } = controlledSend();
  const batcher = new HandoffBatcher(send, 2);
  const a = batcher.add(change(1));
  await tick();
  const [b, c, d] = [2, 3, 4].map((id) => batcher.add(change(id)));
  calls[0]!.finish(new Error('Temporal unavailable'));
  await assert.rejects(a, /Temporal unavailable/);
  await tick();
  assert.deepEqual(calls[1]?.ids, ['2', '3'], 'at most maxBatch per signal');
  calls[1].finish();
  await Promise.all([b, c]);
  await tick();
  assert.deepEqual(calls[2]?.ids, ['4']);
  calls[2].finish();
  await d;
  assert.deepEqual(batcher.stats, { signals: 2, changes: 3 });
});
