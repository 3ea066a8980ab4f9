// What the CLI says about the task queue's workers while it follows an import. Temporal's
// answer (DescribeTaskQueue) is stubbed here: this is a unit test of the watch around it;
// test/integration/no-worker.test.ts runs it against a real server, worker and CLI.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import type { Client } from '@temporalio/client';
import { watchWorkers } from '../../../client/worker-presence.js';

/** A client whose task queue has `pollers()` workers polling just now. */
function clientWith(pollers: () => number): Client {
  const describeTaskQueue = async () => ({
    pollers: Array.from({ length: pollers() }, () => ({
      lastAccessTime: { seconds: Math.floor(Date.now() / 1000) },
    })),
  });
  return { workflowService: { describeTaskQueue } } as unknown as Client;
}

function capture() {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { out, text: () => text };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('watchWorkers', () => {
  it('says no worker polls, then that one ran the import when it ends between two checks', async () => {
    const { out, text } = capture();
    let finish!: () => void;
    const until = new Promise<void>((resolve) => (finish = resolve));
    watchWorkers(
      clientWith(() => 0),
      'default',
      'q1',
      until,
      out,
    );
    await settle();
    assert.match(text(), /No worker is polling task queue "q1"/);
    assert.doesNotMatch(text(), /A worker polls/);
    finish(); // the worker came and finished the import before the next check
    await settle();
    assert.match(text(), /A worker polls task queue "q1" now; it ran the import\./);
  });

  it('says nothing about workers when one polls from the start', async () => {
    const { out, text } = capture();
    let finish!: () => void;
    const until = new Promise<void>((resolve) => (finish = resolve));
    watchWorkers(
      clientWith(() => 1),
      'default',
      'q2',
      until,
      out,
    );
    await settle();
    finish();
    await settle();
    assert.equal(text(), '');
  });

  it('does not claim a worker ran an import that failed', async () => {
    const { out, text } = capture();
    let fail!: (err: Error) => void;
    const until = new Promise<void>((_, reject) => (fail = reject));
    until.catch(() => {});
    watchWorkers(
      clientWith(() => 0),
      'default',
      'q3',
      until,
      out,
    );
    await settle();
    fail(new Error('terminated'));
    await settle();
    assert.match(text(), /No worker is polling/);
    assert.doesNotMatch(text(), /A worker polls/);
  });
});
