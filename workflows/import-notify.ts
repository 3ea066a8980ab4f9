/**
 * The import's notifications: the summary when a run finishes (when the input asks for it)
 * and the delivery every notification shares (also the approval request's). A channel that
 * still fails after its attempts is reported, never fatal. Call from workflow code.
 */
import { patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { EnsuredGroups } from '../activities/groups.js';
import type { ImportInput } from '../domain/import-input.js';
import { totalOutcomes } from '../domain/outcomes.js';
import { summaryText } from '../domain/summary.js';
import { notifyCall, shortCall } from './activity-options.js';
import type { ImportReport } from './import-api.js';
import type { ImportState } from './import-state.js';

const { sendNotification } = proxyActivities<Activities>(shortCall);
const { sendEmailNotification, sendWebhookNotification } = proxyActivities<Activities>(notifyCall);

type Notification = Parameters<Activities['sendNotification']>[0];
type Bindings = Awaited<ReturnType<Activities['bindGroupsToApplications']>>;

/** Whether the input wants the finished run's summary: always, or past its threshold. */
export function notificationWanted(input: ImportInput, state: ImportState): boolean {
  const processed = totalOutcomes(state.counts);
  return (
    input.notify.when === 'always' || (input.notify.when === 'auto' && processed > input.notify.threshold)
  );
}

/** Sends the finished run's summary; returns who was told. */
export function notifyFinished(
  input: ImportInput,
  state: ImportState,
  groups: EnsuredGroups,
  bindings: Bindings,
  report: ImportReport,
  perChannel: boolean,
): ReturnType<Activities['sendNotification']> {
  const processed = totalOutcomes(state.counts);
  const text = summaryText({
    dryRun: input.dryRun,
    employeesTotal: state.employeesTotal,
    counts: state.counts,
    problems: state.problems,
    truncated: state.truncated,
    managersLinked: state.managers.linked + state.managers.cleared,
    managerNotes: state.managers.notes.length,
    groupsCreated: groups.created,
    groupsRefused: groups.refused ?? [],
    bindings: bindings.bound.length,
    missingApplications: bindings.missingApplications,
    durationMs: report.durationMs,
  });
  return deliver(perChannel, {
    subject: `Personio import ${input.dryRun ? 'preview' : 'finished'}: ${processed} employees (${state.counts.failed} failed)`,
    text,
    summary: {
      workflowId: workflowInfo().workflowId,
      counts: state.counts,
      employeesTotal: state.employeesTotal,
    },
    email: input.notify.email,
    webhookUrl: input.notify.webhookUrl,
  });
}

/**
 * Sends a notification: each channel an activity of its own with a few attempts, so a retry
 * re-sends only the channel that failed, and a channel that still fails is reported, not fatal
 * (patched: runs recorded before send both in one activity).
 */
export async function deliver(
  perChannel: boolean,
  notification: Notification,
): ReturnType<Activities['sendNotification']> {
  // Runs recorded between the two patches decided here, right before sending.
  if (!perChannel && !patched('notify-per-channel')) return sendNotification(notification);
  const [email, webhook] = await Promise.allSettled([
    sendEmailNotification(notification),
    sendWebhookNotification(notification),
  ]);
  const why = (err: unknown) => {
    let cause = err as Error | undefined;
    while (cause?.cause) cause = cause.cause as Error;
    return (cause?.message ?? 'failed').slice(0, 300);
  };
  const failed: string[] = [];
  if (email.status === 'rejected') failed.push(`email: ${why(email.reason)}`);
  if (webhook.status === 'rejected') failed.push(`webhook: ${why(webhook.reason)}`);
  return {
    emailedTo: email.status === 'fulfilled' ? email.value.emailedTo : [],
    webhook: webhook.status === 'fulfilled' && webhook.value,
    skipped: email.status === 'fulfilled' ? email.value.skipped : [],
    ...(failed.length > 0 ? { failed } : {}),
  };
}
