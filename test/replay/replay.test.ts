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
    // On the task queue it was recorded on, as a worker replays it in production: workflow
    // code derives ids from it (an activation timer's id names its task queue). The SDK's
    // replay worker takes a fake queue unless given one (its options put ours last).
    const taskQueue = (history as { events: RecordedEvent[] }).events[0]
      ?.workflowExecutionStartedEventAttributes?.taskQueue?.name;
    const options = { workflowBundle: await sharedWorkflowBundle(), ...(taskQueue ? { taskQueue } : {}) };
    await Worker.runReplayHistory(options, history, workflowId);
  });
}

/**
 * What the recordings must hold between them, so that a change to any of it without
 * patched() fails the replays above: every run of a continue-as-new chain (not only the
 * first), the import sending its pages the manager-linking step and a page linking managers,
 * and a page starting a new hire's activation timer.
 */
interface RecordedEvent {
  eventType: string;
  workflowExecutionStartedEventAttributes?: {
    originalExecutionRunId?: string;
    workflowType?: { name?: string };
    taskQueue?: { name?: string };
  };
  workflowExecutionContinuedAsNewEventAttributes?: { newExecutionRunId?: string };
  activityTaskScheduledEventAttributes?: { activityType?: { name?: string } };
  startChildWorkflowExecutionInitiatedEventAttributes?: { workflowType?: { name?: string } };
  signalExternalWorkflowExecutionInitiatedEventAttributes?: {
    signalName?: string;
    input?: { payloads?: { data?: string }[] };
  };
  workflowExecutionSignaledEventAttributes?: {
    signalName?: string;
    input?: { payloads?: { data?: string }[] };
  };
}
const recorded = new Map(
  files.map((f) => [
    f,
    (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { events: RecordedEvent[] }).events,
  ]),
);
const typeOf = (events: RecordedEvent[]) =>
  events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? '';

/** First runs recorded on their own before whole chains were; their later runs were not kept. */
const firstRunsOnly: Record<string, string> = {
  'import-approved.json': 'page children (before held pages): that code path can no longer be recorded',
  'import-held-first-run.json': 'kept beside its whole chain, import-held-chain-*.json',
  'import-held-approved.json': 'kept beside its whole chain, import-held-approved-chain-*.json',
};

test('every recorded run that continued as new has its next run recorded, to the chain’s end', () => {
  const runIds = new Set(
    [...recorded.values()].map(
      (events) => events[0]?.workflowExecutionStartedEventAttributes?.originalExecutionRunId,
    ),
  );
  let chained = 0;
  for (const [file, events] of recorded) {
    const next = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    if (!next || file in firstRunsOnly) continue;
    chained++;
    assert.ok(runIds.has(next), `${file} continued as new, but its next run (${next}) is not recorded`);
  }
  assert.ok(chained >= 2, `whole chains of the import are recorded (${chained} continued runs)`);
});

test('the recordings include manager linking: the import sends the link step, a held page links', () => {
  const linkStep = [...recorded].filter(
    ([, events]) =>
      typeOf(events) === 'importEmployees' &&
      events.some((e) => {
        const signal = e.signalExternalWorkflowExecutionInitiatedEventAttributes;
        const data = signal?.input?.payloads?.[0]?.data;
        return (
          signal?.signalName === 'pageCommand' &&
          data !== undefined &&
          (JSON.parse(Buffer.from(data, 'base64').toString()) as { step?: string }).step === 'link'
        );
      }),
  );
  assert.ok(linkStep.length > 0, 'no recorded import run sends its pages the link step');
  const linking = [...recorded].filter(
    ([, events]) =>
      typeOf(events) === 'directoryPage' &&
      events.some(
        (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'linkManagersForPage',
      ),
  );
  assert.ok(linking.length > 0, 'no recorded held page links managers');
});

test('a recorded page starts a new hire’s activation timer', () => {
  const starts = (file: string) =>
    recorded
      .get(file)
      ?.some(
        (e) =>
          e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowType?.name === 'activateOnHireDate',
      ) ?? false;
  assert.ok(
    starts('directory-page-activation.json'),
    'directory-page-activation.json starts no activation timer',
  );
});

test('the recordings include the preview made by the read: a page keeps the plan it was sent, then applies', () => {
  const steps = (events: RecordedEvent[]) =>
    events.flatMap((e) => {
      const signal = e.workflowExecutionSignaledEventAttributes;
      const data = signal?.input?.payloads?.[0]?.data;
      if (signal?.signalName !== 'pageCommand' || data === undefined) return [];
      return [(JSON.parse(Buffer.from(data, 'base64').toString()) as { step?: string }).step];
    });
  const page = recorded.get('directory-page-planned.json');
  assert.ok(page, 'directory-page-planned.json is recorded');
  assert.deepEqual(steps(page).slice(0, 2), ['planned', 'apply']);
  // And the import of that recording sent no plan step: the read planned every page.
  const importRun = recorded.get('import-read-preview-chain-1.json') ?? [];
  const sent = importRun.flatMap((e) => {
    const signal = e.signalExternalWorkflowExecutionInitiatedEventAttributes;
    const data = signal?.input?.payloads?.[0]?.data;
    return signal?.signalName === 'pageCommand' && data
      ? [(JSON.parse(Buffer.from(data, 'base64').toString()) as { step?: string }).step]
      : [];
  });
  assert.ok(sent.includes('apply') && !sent.includes('plan'), `steps sent: ${[...new Set(sent)].join(', ')}`);
});
