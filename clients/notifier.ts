/**
 * Where import summaries go: email over SMTP (nodemailer) and/or a JSON webhook whose
 * `text` field Slack (and most chat tools) display as is. Settings come from the worker's
 * configuration; a webhook URL is often a secret, so it can live there rather than in the
 * workflow input.
 */
import got from 'got';
import { createTransport, type Transporter } from 'nodemailer';

export interface NotifierSettings {
  /** e.g. smtp://user:pass@mail.example.com:587 or smtp://127.0.0.1:2525 */
  smtpUrl?: string;
  from: string;
  /** Recipients used when the import's input names none. */
  defaultRecipients: string[];
  /** Webhook used when the import's input names none. */
  defaultWebhookUrl?: string;
}

export interface Notification {
  subject: string;
  text: string;
  /** Machine-readable summary sent to webhooks beside `text`. */
  summary: unknown;
  email: string[];
  webhookUrl: string | null;
}

export interface Delivery {
  emailedTo: string[];
  webhook: boolean;
  /** Channels that had nowhere to go (e.g. recipients but no SMTP server configured). */
  skipped: string[];
}

export class Notifier {
  private transport: Transporter | undefined;

  constructor(private readonly settings: NotifierSettings) {}

  /** The operator's own destinations (NOTIFY_EMAIL, NOTIFY_WEBHOOK_URL): an input may pick them. */
  ownDestinations(): { recipients: string[]; webhookUrl?: string } {
    return { recipients: this.settings.defaultRecipients, webhookUrl: this.settings.defaultWebhookUrl };
  }

  async send(notification: Notification): Promise<Delivery> {
    const delivery: Delivery = { emailedTo: [], webhook: false, skipped: [] };
    const recipients = notification.email.length > 0 ? notification.email : this.settings.defaultRecipients;
    if (recipients.length > 0) {
      if (!this.settings.smtpUrl) delivery.skipped.push('email: SMTP_URL is not set on the worker');
      else {
        this.transport ??= createTransport(this.settings.smtpUrl);
        await this.transport.sendMail({
          from: this.settings.from,
          to: recipients,
          subject: notification.subject,
          text: notification.text,
        });
        delivery.emailedTo = recipients;
      }
    }
    const webhookUrl = notification.webhookUrl ?? this.settings.defaultWebhookUrl;
    if (webhookUrl) {
      await got.post(webhookUrl, {
        json: { text: `*${notification.subject}*\n${notification.text}`, summary: notification.summary },
        timeout: { request: 15_000 },
        retry: { limit: 0 },
      });
      delivery.webhook = true;
    }
    return delivery;
  }
}
