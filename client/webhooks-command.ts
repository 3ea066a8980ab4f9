/**
 * `webhooks subscribe --url URL`, `webhooks list`, `webhooks delete <id>`: manage Personio's
 * webhook subscriptions (v2 Webhooks Management API) with the import's credentials. A
 * subscription is created ENABLED, for person and employment events, with
 * PERSONIO_WEBHOOK_TOKEN as its token (sent verbatim in `Authorization`, which is what the
 * receiver checks). Subscribing a URL that already has one updates it instead.
 */
import type { Command } from 'commander';
import { PersonioV2Client } from '../clients/personio-v2.js';
import { loadWebhookAdminSettings } from '../config/env.js';
import { UsageError } from './usage-error.js';

export const SUBSCRIBED_EVENTS = [
  'person.created',
  'person.updated',
  'person.deleted',
  'employment.created',
  'employment.updated',
  'employment.deleted',
];

function clientFor(needToken: boolean) {
  const settings = loadWebhookAdminSettings(process.env, needToken);
  return { client: new PersonioV2Client(settings.personio), token: settings.webhookToken };
}

export function registerWebhookCommands(program: Command): void {
  const webhooks = program
    .command('webhooks')
    .description("manage Personio's webhook subscriptions (for npm run receiver)");

  webhooks
    .command('subscribe')
    .requiredOption(
      '--url <url>',
      "the receiver's public HTTPS URL, e.g. https://sync.example.com/webhooks/personio",
    )
    .option('--description <text>', 'shown in Personio', 'personio-jumpcloud-sync receiver')
    .description('subscribe a URL to person and employment events, enabled, with PERSONIO_WEBHOOK_TOKEN')
    .action(async (options: { url: string; description: string }) => {
      if (!URL.canParse(options.url) || !/^https?:$/.test(new URL(options.url).protocol))
        throw new UsageError(
          `--url must be an http(s) URL, e.g. --url https://sync.example.com/webhooks/personio; got "${options.url}"`,
        );
      const { client, token } = clientFor(true);
      const input = {
        url: options.url,
        description: options.description,
        status: 'ENABLED' as const,
        auth_type: 'TOKEN' as const,
        token: token!,
        enabled_events: SUBSCRIBED_EVENTS,
      };
      const existing = (await client.listWebhooks()).find((h) => h.url === options.url);
      const hook = existing
        ? await client.updateWebhook(existing.id, input)
        : await client.createWebhook(input);
      console.log(`${existing ? 'updated' : 'subscribed'} ${hook.id} ${hook.status} ${hook.url}`);
    });

  webhooks
    .command('list')
    .description('list the subscriptions (tokens are never shown)')
    .action(async () => {
      const hooks = await clientFor(false).client.listWebhooks();
      if (hooks.length === 0) console.log('no webhook subscriptions');
      for (const h of hooks) console.log(`${h.id} ${h.status} ${h.url} ${h.enabledEvents.join(',')}`);
    });

  webhooks
    .command('delete')
    .argument('[id]', 'the subscription id (from list)')
    .option('--url <url>', 'or: delete the subscription of this URL')
    .description('delete a subscription')
    .action(async (id: string | undefined, options: { url?: string }) => {
      if (!id && !options.url)
        throw new UsageError('webhooks delete needs an id (see webhooks list) or --url URL');
      const { client } = clientFor(false);
      const target = id ?? (await client.listWebhooks()).find((h) => h.url === options.url)?.id;
      if (!target) throw new UsageError(`no webhook subscription for ${options.url}`);
      await client.deleteWebhook(target);
      console.log(`deleted ${target}`);
    });
}
