/**
 * Step 6: tell the admin how the import went (email and/or webhook). Each channel is an activity
 * of its own, so a retry re-sends only the channel that failed; destinations from the input are
 * checked against the worker's import policy again here, where the call is made.
 */
import { ApplicationFailure } from '@temporalio/common';
import { DestinationRefused } from '../clients/outbound.js';
import type { Delivery, Notification, WebhookTrust } from '../clients/notifier.js';
import { matchRecipient, matchWebhook, STRICT_POLICY } from '../domain/import-policy.js';
import { DESTINATION_REFUSED } from '../domain/failure-types.js';
import { required, type ImportDeps } from './deps.js';

export function createNotifyActivities(deps: Partial<ImportDeps>) {
  const notifier = () => required(deps.notifier, 'notifier');
  const policy = () => deps.policy ?? STRICT_POLICY;
  /** A refused destination is final: no retry makes it allowed. */
  const refused = (message: string) =>
    ApplicationFailure.create({ type: DESTINATION_REFUSED, message, nonRetryable: true });
  const webhookTrust = (notification: Notification): WebhookTrust => {
    if (notification.webhookUrl === null) return 'own';
    const trust = matchWebhook(notification.webhookUrl, policy(), notifier().ownDestinations());
    if (trust === null) throw refused('the webhook is not an allowed destination (IMPORT_POLICY_FILE)');
    return trust;
  };
  const final = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (err) {
      if (err instanceof DestinationRefused) throw refused(err.message);
      throw err;
    }
  };
  return {
    async sendEmailNotification(
      notification: Notification,
    ): Promise<Pick<Delivery, 'emailedTo' | 'skipped'>> {
      const own = notifier().ownDestinations();
      const outside = notification.email.filter((address) => !matchRecipient(address, policy(), own));
      if (outside.length > 0)
        throw refused(`${outside.length} recipients are not allowed (IMPORT_POLICY_FILE)`);
      return notifier().sendEmail(notification);
    },

    async sendWebhookNotification(notification: Notification): Promise<boolean> {
      const trust = webhookTrust(notification);
      return final(() => notifier().sendWebhook(notification, trust));
    },

    /** Both channels in one activity: only runs recorded before per-channel notification schedule it. */
    async sendNotification(notification: Notification): Promise<Delivery> {
      const trust = webhookTrust(notification);
      const email = await notifier().sendEmail(notification);
      const webhook = await final(() => notifier().sendWebhook(notification, trust));
      return { ...email, webhook };
    },
  };
}
