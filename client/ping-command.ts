/** `ping`: proves client → Temporal → worker → activity and back, in a few seconds. */
import { loadTemporalSettings } from '../config/env.js';
import { ping } from '../workflows/index.js';
import { connectClient } from './temporal-client.js';

export async function pingCommand(message: string): Promise<void> {
  const settings = loadTemporalSettings();
  const { client, close } = await connectClient(settings);
  try {
    const result = await client.workflow.execute(ping, {
      taskQueue: settings.taskQueue,
      workflowId: `ping-${Date.now()}`,
      args: [message],
      workflowExecutionTimeout: '30s',
    });
    console.log(
      `pong "${result.message}" from worker ${result.answeredBy} on task queue ${settings.taskQueue}`,
    );
  } finally {
    await close();
  }
}
