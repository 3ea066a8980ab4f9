// Which notification destinations an import policy allows, case by case: webhook URLs against
// the policy's prefixes (exact host, "*." subdomains, "*" any host; port; path; user info) and
// recipients against its domains. The policy file's shape: test/security/policy-rules.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  matchRecipient,
  matchWebhook,
  STRICT_POLICY,
  type ImportPolicy,
} from '../../../domain/import-policy.js';

const own = { recipients: ['IT@corp.example'], webhookUrl: 'https://hooks.corp.example/own' };
const policy = (notify: Partial<ImportPolicy['notify']>): ImportPolicy => ({
  ...STRICT_POLICY,
  notify: { ...STRICT_POLICY.notify, ...notify },
});

describe('matchWebhook', () => {
  const table: [prefix: string, url: string, match: ReturnType<typeof matchWebhook>][] = [
    ['https://chat.example/hooks/', 'https://chat.example/hooks/a', 'named'],
    ['https://chat.example/hooks/', 'https://chat.example/other', null],
    ['https://chat.example/hooks/', 'http://chat.example/hooks/a', null],
    ['https://chat.example/hooks/', 'https://a.chat.example/hooks/a', null],
    ['https://chat.example/', 'https://chat.example:8443/x', 'named'],
    ['https://chat.example:8443/', 'https://chat.example:8443/x', 'named'],
    ['https://chat.example:8443/', 'https://chat.example/x', null],
    ['https://*.chat.example/', 'https://team.chat.example/x', 'wildcard'],
    ['https://*.chat.example/', 'https://chat.example/x', null],
    ['https://*.chat.example/', 'https://evilchat.example/x', null],
    ['https://*/', 'https://anything.example/x', 'wildcard'],
    ['https://*/', 'http://anything.example/x', null],
    ['https://*:8443/', 'https://anything.example:8443/x', 'wildcard'],
    ['https://*', 'https://anything.example/x', 'wildcard'],
    ['http://*/', 'http://anything.example/x', 'wildcard'],
    ['http://*.chat.example/', 'http://team.chat.example/x', 'wildcard'],
    // A "*" is a wildcard only as the host; later in a prefix (a URL in its path) it is literal.
    ['https://chat.example/r/https://*/', 'https://chat.example/r/https://*/x', 'named'],
    ['https://chat.example/r/https://*.x/', 'https://chat.example/r/https://*.x/y', 'named'],
    ['http://chat.example/', 'http://chat.example/x', 'named'],
    ['https://chat.example/', 'https://user:pw@chat.example/x', null],
    ['https://chat.example/', 'https://user@chat.example/x', null],
    ['https://chat.example/', 'https://:pw@chat.example/x', null],
    ['https://chat.example/', 'not a url', null],
  ];
  for (const [prefix, url, match] of table) {
    it(`${url} against ${prefix}: ${match}`, () => {
      assert.equal(matchWebhook(url, policy({ webhookUrlPrefixes: [prefix] }), own), match);
    });
  }

  it('the worker’s own URL, and a named prefix before a wildcard one', () => {
    assert.equal(matchWebhook('https://hooks.corp.example/own', STRICT_POLICY, own), 'own');
    assert.equal(matchWebhook('https://hooks.corp.example/own', STRICT_POLICY, { recipients: [] }), null);
    const both = policy({ webhookUrlPrefixes: ['https://*/', 'https://chat.example/'] });
    assert.equal(matchWebhook('https://chat.example/x', both, own), 'named');
    assert.equal(matchWebhook('https://other.example/x', both, own), 'wildcard');
  });
});

describe('matchRecipient', () => {
  const table: [domains: string[], address: string, allowed: boolean][] = [
    [[], 'it@corp.example', true],
    [[], 'someone@corp.example', false],
    [['corp.example'], 'Someone@Corp.Example', true],
    [['corp.example'], 'someone@sub.corp.example', false],
    [['corp.example'], 'someone@evilcorp.example', false],
    [['*.corp.example'], 'someone@sub.corp.example', true],
    [['*.corp.example'], 'someone@corp.example', false],
    [['*.Corp.Example'], 'someone@a.b.corp.example', true],
    [['*'], 'anyone@anywhere.example', true],
    [['corp.example'], 'someone@evil.example@corp.example', true],
    [['other.example', 'corp.example'], 'someone@corp.example', true],
  ];
  for (const [domains, address, allowed] of table) {
    it(`${address} with ${JSON.stringify(domains)}: ${allowed}`, () => {
      assert.equal(matchRecipient(address, policy({ emailDomains: domains }), own), allowed);
    });
  }

  it('any of the worker’s own recipients, ignoring case', () => {
    const two = { recipients: ['IT@corp.example', 'hr@corp.example'] };
    assert.equal(matchRecipient('HR@corp.example', STRICT_POLICY, two), true);
    assert.equal(matchRecipient('ceo@corp.example', STRICT_POLICY, two), false);
  });
});
