import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from '@temporalio/worker';
import { ping } from '../../workflows/index.js';
import { sharedWorkflowBundle } from '../../worker/workflow-bundle.js';
import { taskQueueFor, testTemporal, withWorker } from '../helpers/temporal.js';

test('a workflow started by the client runs on a worker and its history replays', async (t) => {
  const { client } = await testTemporal();
  const taskQueue = taskQueueFor(t.name);
  const workflowId = `ping-${taskQueue}`;

  const result = await withWorker({ taskQueue }, () =>
    client.workflow.execute(ping, { taskQueue, workflowId, args: ['hello'] }),
  );
  assert.equal(result.message, 'hello');
  assert.match(result.answeredBy, new RegExp(`:${process.pid}$`), 'the activity ran in this test process');

  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  assert.ok(history.events && history.events.length > 5);
  // Throws DeterminismViolationError if the workflow code no longer matches its history.
  await Worker.runReplayHistory({ workflowBundle: await sharedWorkflowBundle() }, history, workflowId);
});
