/** Step 6: tell the admin how the import went (email and/or webhook). */
import type { Delivery, Notification } from '../clients/notifier.js';
import { required, type ImportDeps } from './deps.js';

export function createNotifyActivities(deps: Partial<ImportDeps>) {
  return {
    async sendNotification(notification: Notification): Promise<Delivery> {
      return required(deps.notifier, 'notifier').send(notification);
    },
  };
}
