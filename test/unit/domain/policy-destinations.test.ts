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
    ['http://chat.example/', 'http://chat.example/x', 'named'],
    ['https://chat.example/', 'https://user:pw@chat.example/x', null],
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
  ];
  for (const [domains, address, allowed] of table) {
    it(`${address} with ${JSON.stringify(domains)}: ${allowed}`, () => {
      assert.equal(matchRecipient(address, policy({ emailDomains: domains }), own), allowed);
    });
  }
});
