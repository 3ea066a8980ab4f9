/**
 * Is any worker polling the task queue? Without one an import waits forever and a query
 * waits until it times out, with nothing said: the CLI asks Temporal for the task queue's
 * pollers (DescribeTaskQueue) and tells the admin, within seconds and again while it lasts.
 */
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

// @temporalio/proto is CommonJS: take the namespace from its default export.
const { TaskQueueKind, TaskQueueType } = proto.temporal.api.enums.v1;

/**
 * Temporal lists a poller for minutes after it stopped; a live worker starts a long poll
 * at least every ~70 s, so a poller not seen for this long is taken as gone.
 */
const RECENT_MS = 2 * 60_000;
const CHECK_EVERY_MS = 2_000;
/** How often the warning is repeated while no worker polls. */
const REPEAT_EVERY_MS = 10_000;

/** Workers polling `taskQueue` for workflow tasks now; undefined when Temporal would not say. */
export async function workersPolling(
  client: Client,
  namespace: string,
  taskQueue: string,
): Promise<number | undefined> {
  try {
    const { pollers } = await client.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    const now = Date.now();
    return (pollers ?? []).filter((p) => {
      const seconds = Number(p.lastAccessTime?.seconds ?? 0);
      return now - seconds * 1000 < RECENT_MS;
    }).length;
  } catch {
    return undefined; // e.g. no permission to describe task queues: say nothing rather than guess
  }
}

export function noWorkerMessage(namespace: string, taskQueue: string): string {
  return (
    `No worker is polling task queue "${taskQueue}" (namespace ${namespace}): nothing runs until one does. ` +
    `Start one with \`npm run worker\` and TEMPORAL_TASK_QUEUE=${taskQueue} (and the same TEMPORAL_ADDRESS/TEMPORAL_NAMESPACE).`
  );
}

/**
 * Checks every few seconds while `until` is pending; says so when no worker polls (and again
 * every REPEAT_EVERY_MS while none does), and once when one is back.
 */
export function watchWorkers(
  client: Client,
  namespace: string,
  taskQueue: string,
  until: Promise<unknown>,
  out: NodeJS.WritableStream = process.stderr,
): void {
  let done = false;
  let warnedAt: number | undefined;
  // The import can end between two checks, a worker having come and gone: it ran the import,
  // so the admin who was told none polls hears that one came (before the report).
  void until.then(
    () => {
      done = true;
      if (warnedAt !== undefined)
        out.write(`\nA worker polls task queue "${taskQueue}" now; it ran the import.\n`);
      warnedAt = undefined;
    },
    () => (done = true),
  );
  void (async () => {
    while (!done) {
      const count = await workersPolling(client, namespace, taskQueue);
      if (done) return;
      if (count === 0 && (warnedAt === undefined || Date.now() - warnedAt >= REPEAT_EVERY_MS)) {
        out.write(`\n${noWorkerMessage(namespace, taskQueue)} Still waiting.\n`);
        warnedAt = Date.now();
      } else if (count !== undefined && count > 0 && warnedAt !== undefined) {
        out.write(`\nA worker polls task queue "${taskQueue}" now; the import goes on.\n`);
        warnedAt = undefined;
      }
      await Promise.race([until.catch(() => {}), new Promise((r) => setTimeout(r, CHECK_EVERY_MS))]);
    }
  })();
}
