// What an operator and a caller are told by the import policy, word for word: each mistake in a
// policy file names the file, the field and what is allowed; each refused input names the field,
// the value (never a webhook's path) and where the limits are set. Plus the edges of the rules:
// a value at the limit passes, one past it does not. The rules' intent: test/security/policy-rules.test.ts;
// destinations case by case: policy-destinations.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseImportInput } from '../../../domain/import-input.js';
import {
  checkInputAgainstPolicy,
  describeUrl,
  parseImportPolicy,
  STRICT_POLICY,
  type ImportPolicy,
  type OwnDestinations,
} from '../../../domain/import-policy.js';

const own: OwnDestinations = {
  recipients: ['it@corp.example'],
  webhookUrl: 'https://hooks.corp.example/own',
};
const WHERE = `(the worker's IMPORT_POLICY_FILE sets the limits; see the README's "Import policy")`;

function policyOf(json: unknown): ImportPolicy {
  const parsed = parseImportPolicy(JSON.stringify(json), 'p.json');
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.problems.join('\n'));
  return parsed.policy;
}

function check(raw: unknown, policy: ImportPolicy = STRICT_POLICY, destinations: OwnDestinations = own) {
  const parsed = parseImportInput(raw);
  assert.ok(parsed.ok, 'a valid input');
  return checkInputAgainstPolicy(raw, parsed.input, policy, destinations);
}
const messages = (raw: unknown, policy?: ImportPolicy, destinations?: OwnDestinations) =>
  check(raw, policy, destinations).problems.map((p) => p.message);

describe('a bad policy file: one message naming the file, the field and what is allowed', () => {
  const table: [json: unknown, problem: string][] = [
    [
      { safeguards: { maxSuspensions: 'x' } },
      'safeguards.maxSuspensions: must be a number 0 or more, or null (the input may switch the rule off)',
    ],
    [{ safeguards: { maxSuspensions: -1 } }, 'safeguards.maxSuspensions: must be 0 or more'],
    [
      { safeguards: { maxSuspensionsPercent: 101 } },
      'safeguards.maxSuspensionsPercent: must be from 0 to 100',
    ],
    [{ safeguards: { maxChangesPercent: -1 } }, 'safeguards.maxChangesPercent: must be from 0 to 100'],
    [{ safeguards: { maxChangesPercent: 100.5 } }, 'safeguards.maxChangesPercent: must be from 0 to 100'],
    [{ safeguards: { minimumImportedUsers: -1 } }, 'safeguards.minimumImportedUsers: must be 0 or more'],
    [{ safeguards: 'on' }, 'safeguards: must be an object'],
    [
      { safeguards: { maxSuspension: 1 } },
      'safeguards.maxSuspension: unknown field; remove it or check the spelling',
    ],
    [
      { notify: { webhookUrlPrefixes: 'https://x.example/' } },
      'notify.webhookUrlPrefixes: must be a list of URL prefixes',
    ],
    [
      { notify: { webhookUrlPrefixes: ['ftp://x.example/'] } },
      'notify.webhookUrlPrefixes.0: must be an http(s) URL prefix without user info, e.g. "https://hooks.slack.com/services/" ("*." before a host: its subdomains; "*" as the host: any public host); got "ftp://x.example/"',
    ],
    // An entry that is not text says so (zod's "Invalid input" once read "must be an object").
    [
      { notify: { webhookUrlPrefixes: [5] } },
      'notify.webhookUrlPrefixes.0: must be text, an http(s) URL prefix; got 5',
    ],
    [{ notify: { emailDomains: [true] } }, 'notify.emailDomains.0: must be text, a domain; got true'],
    [{ notify: { emailDomains: 'corp.example' } }, 'notify.emailDomains: must be a list of domains'],
    [
      { notify: { emailDomains: ['corp'] } },
      'notify.emailDomains.0: must be a domain like "example.com", "*.example.com" (its subdomains) or "*" (any)',
    ],
    [{ notify: { maxRecipients: 'many' } }, 'notify.maxRecipients: must be a whole number from 0 to 1000'],
    [{ notify: { maxRecipients: 2.5 } }, 'notify.maxRecipients: must be a whole number from 0 to 1000'],
    [{ notify: { maxRecipients: -1 } }, 'notify.maxRecipients: must be a whole number from 0 to 1000'],
    [{ notify: { maxRecipients: 1001 } }, 'notify.maxRecipients: must be a whole number from 0 to 1000'],
    [{ notify: { extra: 1 } }, 'notify.extra: unknown field; remove it or check the spelling'],
    [{ notify: 'all' }, 'notify: must be an object'],
    [{ groups: { allEmployeesGroups: 'All' } }, 'groups.allEmployeesGroups: must be a list of group names'],
    [{ groups: { allEmployeesGroups: [''] } }, 'groups.allEmployeesGroups.0: must be a list of group names'],
    [
      { groups: { departmentGroupPatterns: [3] } },
      'groups.departmentGroupPatterns.0: must be a list of group name patterns',
    ],
    [{ groups: { members: [] } }, 'groups.members: unknown field; remove it or check the spelling'],
    [{ applications: 'Slack' }, 'applications: must be a list of application display labels'],
    [{ applications: [''] }, 'applications.0: must be a list of application display labels'],
    [{ other: 1 }, 'other: unknown field; remove it or check the spelling'],
    [[], 'the policy: must be an object'],
    [null, 'the policy: must be an object'],
  ];
  for (const [json, problem] of table) {
    it(`${JSON.stringify(json)}: ${problem}`, () => {
      assert.deepEqual(parseImportPolicy(JSON.stringify(json), 'IMPORT_POLICY_FILE=p.json'), {
        ok: false,
        problems: [`IMPORT_POLICY_FILE=p.json: ${problem}`],
      });
    });
  }

  it('not JSON: the parser’s own words after the file name', () => {
    const parsed = parseImportPolicy('{"notify": ', 'p.json');
    assert.ok(!parsed.ok);
    assert.equal(parsed.problems.length, 1);
    assert.match(parsed.problems[0]!, /^p\.json: not valid JSON \(.+\)$/);
  });
});

describe('a policy file’s values', () => {
  it('{} is the strict policy; every floor and limit may be set, a floor switched off with null', () => {
    assert.deepEqual(policyOf({}), STRICT_POLICY);
    const loose = {
      safeguards: {
        maxSuspensions: 0,
        maxSuspensionsPercent: 100,
        maxChangesPercent: null,
        minimumImportedUsers: 0,
      },
      notify: { webhookUrlPrefixes: [], emailDomains: ['*'], maxRecipients: 1000 },
      groups: { allEmployeesGroups: ['*'], departmentGroupPatterns: ['Team {department}'] },
      applications: [],
    };
    assert.deepEqual(policyOf(loose), loose);
    assert.deepEqual(policyOf({ notify: { maxRecipients: 0 } }).notify.maxRecipients, 0);
    assert.equal(policyOf({ safeguards: null }).safeguards, null);
  });

  const domains: [domain: string, accepted: boolean][] = [
    ['example.com', true],
    ['Sub.Example.COM', true],
    ['a-b.example', true],
    ['*.example.com', true],
    ['*', true],
    ['corp', false],
    ['@corp.example', false],
    ['x@corp.example', false],
    ['corp.example/x', false],
    ['corp.example.', false],
    ['*corp.example', false],
    ['**', false],
    ['*.', false],
    [' corp.example', false],
  ];
  for (const [domain, accepted] of domains) {
    it(`e-mail domain ${JSON.stringify(domain)}: ${accepted ? 'accepted' : 'refused'}`, () => {
      assert.equal(
        parseImportPolicy(JSON.stringify({ notify: { emailDomains: [domain] } }), 'p').ok,
        accepted,
      );
    });
  }

  const prefixes: [prefix: string, accepted: boolean][] = [
    ['https://hooks.example/', true],
    ['http://hooks.example/', true],
    ['https://*.example/', true],
    ['HTTPS://*.EXAMPLE/', true],
    ['https://*/', true],
    ['https://*', true],
    ['https://*:8443/', true],
    ['ftp://hooks.example/', false],
    // "*" is a wildcard only as the whole host or before a dot; anywhere else it is refused.
    ['https://*evil.example/', false],
    ['https://hooks*.example/', false],
    ['https://*.*.example/', false],
    ['https://hooks.example/*/', true],
    ['https://user@hooks.example/', false],
    ['https://:pw@hooks.example/', false],
    ['hooks.example/', false],
    ['xhttps://hooks.example/', false],
    ['not a url', false],
  ];
  for (const [prefix, accepted] of prefixes) {
    it(`webhook prefix ${JSON.stringify(prefix)}: ${accepted ? 'accepted' : 'refused'}`, () => {
      assert.equal(
        parseImportPolicy(JSON.stringify({ notify: { webhookUrlPrefixes: [prefix] } }), 'p').ok,
        accepted,
      );
    });
  }
});

describe('a refused input: the field, the value and where the limits are set', () => {
  const table: [raw: unknown, problems: string[]][] = [
    [{ safeguards: null }, [`safeguards: may not be switched off (null): the policy keeps them on ${WHERE}`]],
    [
      { safeguards: { maxSuspensions: 26 } },
      [`safeguards.maxSuspensions: 26 is looser than the policy allows: at most 25 ${WHERE}`],
    ],
    [
      { safeguards: { maxSuspensionsPercent: null } },
      [`safeguards.maxSuspensionsPercent: may not be switched off (null): at most 10 ${WHERE}`],
    ],
    [
      { notify: { webhookUrl: 'https://evil.example:8443/secret/path?token=t' } },
      [`notify.webhookUrl: https://evil.example:8443/… is not an allowed destination ${WHERE}`],
    ],
    [
      { notify: { email: ['it@corp.example', 'a@x.example'] } },
      [`notify.email[1]: "a@x.example" is not an allowed recipient ${WHERE}`],
    ],
    [
      { groups: { allEmployeesGroup: 'Admins' } },
      [
        `groups.allEmployeesGroup: "Admins" is not a group this import may create or join users to (allowed: Personio Import) ${WHERE}`,
      ],
    ],
    [
      { groups: { perDepartment: true, departmentGroupPattern: 'Admins {department}' } },
      [
        `groups.departmentGroupPattern: "Admins {department}" is not an allowed department group pattern (allowed: Personio - {department}) ${WHERE}`,
      ],
    ],
    [
      { applications: ['personio import', 'AWS root'] },
      [`applications[1]: "AWS root" is not an application this import may bind ${WHERE}`],
    ],
  ];
  for (const [raw, problems] of table) {
    it(JSON.stringify(raw), () => {
      const verdict = check(raw);
      assert.deepEqual(
        verdict.problems.map((p) => p.message),
        problems,
      );
      for (const problem of verdict.problems) assert.ok(problem.message.startsWith(`${problem.path}: `));
    });
  }

  it('allows any listed name, ignoring case, and lists them all when refusing', () => {
    const policy = policyOf({
      groups: {
        allEmployeesGroups: ['Staff', 'Everyone'],
        departmentGroupPatterns: ['Team {department}', 'D {department}'],
      },
      applications: ['Slack', 'Zoom'],
    });
    assert.deepEqual(
      messages(
        {
          groups: {
            allEmployeesGroup: 'everyone',
            perDepartment: true,
            departmentGroupPattern: 'D {department}',
          },
          applications: ['zoom'],
        },
        policy,
      ),
      [],
    );
    assert.deepEqual(
      messages(
        {
          groups: {
            allEmployeesGroup: 'Admins',
            perDepartment: true,
            departmentGroupPattern: 'A {department}',
          },
          applications: ['Slack'],
        },
        policy,
      ),
      [
        `groups.allEmployeesGroup: "Admins" is not a group this import may create or join users to (allowed: Staff, Everyone) ${WHERE}`,
        `groups.departmentGroupPattern: "A {department}" is not an allowed department group pattern (allowed: Team {department}, D {department}) ${WHERE}`,
      ],
    );
  });

  it('names the first three refused recipients, then counts the rest', () => {
    const addresses = (n: number) => Array.from({ length: n }, (_, i) => `u${i}@x.example`);
    const named = (n: number) =>
      addresses(n).map(
        (a, i) => `notify.email[${i}]: ${JSON.stringify(a)} is not an allowed recipient ${WHERE}`,
      );
    const wide = policyOf({ notify: { maxRecipients: 100 } });
    assert.deepEqual(messages({ notify: { email: addresses(3) } }, wide), named(3));
    assert.deepEqual(messages({ notify: { email: addresses(4) } }, wide), [
      ...named(3),
      `notify.email: 1 more recipients are not allowed ${WHERE}`,
    ]);
    assert.deepEqual(messages({ notify: { email: addresses(11) } }), [
      ...named(3),
      `notify.email: 8 more recipients are not allowed ${WHERE}`,
      `notify.email: 11 recipients are more than the 10 allowed ${WHERE}`,
    ]);
  });

  it('caps the recipients at the policy’s number, or at the worker’s own list when that is longer', () => {
    const at = (n: number) => Array.from({ length: n }, (_, i) => `u${i}@corp.example`);
    const policy = policyOf({ notify: { emailDomains: ['corp.example'], maxRecipients: 2 } });
    assert.deepEqual(messages({ notify: { email: at(2) } }, policy), []);
    assert.deepEqual(messages({ notify: { email: at(3) } }, policy), [
      `notify.email: 3 recipients are more than the 2 allowed ${WHERE}`,
    ]);
    const three = { recipients: at(3) };
    assert.deepEqual(messages({ notify: { email: at(3) } }, policy, three), []);
    assert.deepEqual(messages({ notify: { email: at(4) } }, policy, three), [
      `notify.email: 4 recipients are more than the 3 allowed ${WHERE}`,
    ]);
  });
});

describe('safeguards against the policy’s floors', () => {
  it('a rule at its floor passes; one past it is refused', () => {
    assert.deepEqual(messages({ safeguards: { maxSuspensions: 25, maxChangesPercent: 30 } }), []);
    assert.deepEqual(
      check({ safeguards: { maxChangesPercent: 31 } }).problems.map((p) => p.path),
      ['safeguards.maxChangesPercent'],
    );
  });

  it('the run takes the input’s rule where it set one, the floor elsewhere', () => {
    const policy = policyOf({
      safeguards: { maxSuspensions: 5, maxSuspensionsPercent: 4, maxChangesPercent: 20 },
    });
    const verdict = check({ safeguards: { maxSuspensions: 2, approvalTimeout: '1h' } }, policy);
    assert.deepEqual(verdict.problems, []);
    assert.deepEqual(verdict.safeguards, {
      maxSuspensions: 2,
      maxSuspensionsPercent: 4,
      maxChangesPercent: 20,
      minimumImportedUsers: 20,
      approvalTimeout: '1h',
    });
  });

  it('no input at all (a workflow started without an argument) gets the floors', () => {
    const policy = policyOf({ safeguards: { maxSuspensions: 5 } });
    const parsed = parseImportInput(undefined);
    assert.ok(parsed.ok);
    const verdict = checkInputAgainstPolicy(undefined, parsed.input, policy, own);
    assert.deepEqual(verdict.problems, []);
    assert.equal(verdict.safeguards?.maxSuspensions, 5);
  });

  it('a floor the policy switched off (null) leaves that rule to the input, null included', () => {
    const policy = policyOf({ safeguards: { maxChangesPercent: null } });
    const verdict = check({ safeguards: { maxChangesPercent: null, maxSuspensions: 1000 } }, policy);
    assert.deepEqual(
      verdict.problems.map((p) => p.path),
      ['safeguards.maxSuspensions'],
    );
    assert.equal(verdict.safeguards?.maxChangesPercent, null);
    assert.equal(check({}, policy).safeguards?.maxChangesPercent, 30, 'the input’s own default');
  });

  it('with the safeguards allowed off, the input’s rules are taken as given', () => {
    const off = policyOf({ safeguards: null });
    assert.equal(check({ safeguards: null }, off).safeguards, null);
    assert.equal(check({ safeguards: { maxSuspensions: 1000 } }, off).safeguards?.maxSuspensions, 1000);
  });
});

describe('describeUrl', () => {
  it('keeps the scheme and host (with its port), never the path, query or user info', () => {
    assert.equal(
      describeUrl('https://u:p@hooks.example:8443/T0/secret?token=t'),
      'https://hooks.example:8443/…',
    );
    assert.equal(describeUrl('http://hooks.example/secret'), 'http://hooks.example/…');
    assert.equal(describeUrl('not a url /secret'), 'the URL');
  });
});
