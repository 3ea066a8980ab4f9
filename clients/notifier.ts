/**
 * Where import summaries go: email over SMTP (nodemailer) and/or a JSON webhook whose
 * `text` field Slack (and most chat tools) display as is. Settings come from the worker's
 * configuration; a webhook URL is often a secret, so it can live there rather than in the
 * workflow input.
 */
import got from 'got';
import { createTransport, type Transporter } from 'nodemailer';
import { DestinationRefused, isPublicAddress, publicOnlyLookup } from './outbound.js';
import { escapeChatText } from '../domain/text-safety.js';

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
  /** Channels that failed after their last attempt, with why (the run completes all the same). */
  failed?: string[];
}

/** How a webhook named by an input was allowed (domain/import-policy.ts matchWebhook). */
export type WebhookTrust = 'own' | 'named' | 'wildcard';

/** Every outbound call ends: SMTP and webhook timeouts (ms). */
const WEBHOOK_TIMEOUT = { lookup: 5_000, connect: 5_000, request: 15_000 };
const SMTP_TIMEOUTS = {
  connectionTimeout: 10_000,
  greetingTimeout: 10_000,
  socketTimeout: 30_000,
  dnsTimeout: 5_000,
};

export class Notifier {
  private transport: Transporter | undefined;

  constructor(private readonly settings: NotifierSettings) {}

  /** The operator's own destinations (NOTIFY_EMAIL, NOTIFY_WEBHOOK_URL): an input may pick them. */
  ownDestinations(): { recipients: string[]; webhookUrl?: string } {
    return { recipients: this.settings.defaultRecipients, webhookUrl: this.settings.defaultWebhookUrl };
  }

  /** The email channel alone: the input's recipients (already checked) or the worker's own. */
  async sendEmail(notification: Notification): Promise<Pick<Delivery, 'emailedTo' | 'skipped'>> {
    const recipients = notification.email.length > 0 ? notification.email : this.settings.defaultRecipients;
    if (recipients.length === 0) return { emailedTo: [], skipped: [] };
    if (!this.settings.smtpUrl)
      return { emailedTo: [], skipped: ['email: SMTP_URL is not set on the worker'] };
    this.transport ??= createTransport({ url: this.settings.smtpUrl, ...SMTP_TIMEOUTS });
    await this.transport.sendMail({
      from: this.settings.from,
      to: recipients,
      subject: notification.subject,
      text: notification.text,
    });
    return { emailedTo: recipients, skipped: [] };
  }

  /**
   * The webhook channel alone. A URL from an input (`trust` says how the policy allowed it)
   * must resolve to public addresses unless the policy names its host; redirects are never
   * followed (a 3xx is a failure), and every call has a timeout.
   */
  async sendWebhook(notification: Notification, trust: WebhookTrust = 'own'): Promise<boolean> {
    const url = notification.webhookUrl ?? this.settings.defaultWebhookUrl;
    if (!url) return false;
    if (trust === 'wildcard') {
      const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
      if (/^[\d.]+$|:/.test(host) && !isPublicAddress(host))
        throw new DestinationRefused('the webhook address is not public; refused');
    }
    const response = await got.post(url, {
      // Personio's text is data: escaped, so no name can mention @channel or add links.
      json: {
        text: `*${escapeChatText(notification.subject)}*\n${escapeChatText(notification.text)}`,
        summary: notification.summary,
      },
      timeout: WEBHOOK_TIMEOUT,
      retry: { limit: 0 },
      followRedirect: false,
      ...(trust === 'wildcard' ? { dnsLookup: publicOnlyLookup as never } : {}),
    });
    if (response.statusCode >= 300)
      throw new DestinationRefused(
        `the webhook answered ${response.statusCode} (a redirect: redirects are not followed)`,
      );
    return true;
  }
}
