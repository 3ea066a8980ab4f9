// The worker's import policy (IMPORT_POLICY_FILE): what any workflow input may ask of this
// worker. The input comes from anyone who can start a workflow on the namespace, so the limits
// live on the worker, are checked by an activity at the start of every run, and are never taken
// from the input itself. Pure: the activity and the unit tests call it; workflow code does not.
import { z } from 'zod';
import type { ImportInput, InputProblem } from './import-input.js';
import type { SafeguardRules } from './safeguards.js';

/** The rule values an input may tighten but never loosen; a null rule may be switched off. */
export interface SafeguardFloors {
  maxSuspensions: number | null;
  maxSuspensionsPercent: number | null;
  maxChangesPercent: number | null;
  minimumImportedUsers: number | null;
}

export interface ImportPolicy {
  /** null: the input may switch the safeguards off (the policy says so explicitly). */
  safeguards: SafeguardFloors | null;
  notify: {
    /** Webhook URLs an input may name (besides the worker's NOTIFY_WEBHOOK_URL). */
    webhookUrlPrefixes: string[];
    /** Domains an input's recipients may be at (besides the worker's NOTIFY_EMAIL). */
    emailDomains: string[];
    maxRecipients: number;
  };
  groups: {
    /** Names the all-employees group may have ("*": any). null (no group) is always allowed. */
    allEmployeesGroups: string[];
    /** Department group patterns ("*": any). */
    departmentGroupPatterns: string[];
  };
  /** Applications the import's groups may be bound to, by display label ("*": any). */
  applications: string[];
}

/** The worker's own destinations: used as configured, and the only ones without a policy file. */
export interface OwnDestinations {
  recipients: string[];
  webhookUrl?: string;
}

export const DEFAULT_FLOORS: SafeguardFloors = {
  maxSuspensions: 25,
  maxSuspensionsPercent: 10,
  maxChangesPercent: 30,
  minimumImportedUsers: 20,
};

/** Without a policy file the worker is strict (README, "Import policy"). */
export const STRICT_POLICY: ImportPolicy = {
  safeguards: DEFAULT_FLOORS,
  notify: { webhookUrlPrefixes: [], emailDomains: [], maxRecipients: 10 },
  groups: { allEmployeesGroups: ['Personio Import'], departmentGroupPatterns: ['Personio - {department}'] },
  applications: ['Personio Import'],
};

const ANY = '*';

const webhookPrefix = z
  .string({ error: (issue) => `must be text, an http(s) URL prefix; got ${JSON.stringify(issue.input)}` })
  .refine(isWebhookPrefix, {
    error: (issue) =>
      `must be an http(s) URL prefix without user info, e.g. "https://hooks.slack.com/services/" ("*." before a host: its subdomains; "*" as the host: any public host); got ${JSON.stringify(issue.input)}`,
  });

const floor = (name: string, max: number) => {
  // A count has no upper bound worth naming (Number.MAX_SAFE_INTEGER reads as noise).
  const range = max === Number.MAX_SAFE_INTEGER ? '0 or more' : `from 0 to ${max}`;
  return z
    .number({ error: `must be a number ${range}, or null (the input may switch the rule off)` })
    .min(0, { error: `must be ${range}` })
    .max(max, { error: `must be ${range}` })
    .nullable()
    .default(DEFAULT_FLOORS[name as keyof SafeguardFloors]);
};

const names = (what: string) =>
  z.array(z.string({ error: `must be a list of ${what}` }).min(1), { error: `must be a list of ${what}` });

export const importPolicySchema = z.strictObject({
  safeguards: z
    .strictObject({
      maxSuspensions: floor('maxSuspensions', Number.MAX_SAFE_INTEGER),
      maxSuspensionsPercent: floor('maxSuspensionsPercent', 100),
      maxChangesPercent: floor('maxChangesPercent', 100),
      minimumImportedUsers: floor('minimumImportedUsers', Number.MAX_SAFE_INTEGER),
    })
    .nullable()
    .prefault({}),
  notify: z
    .strictObject({
      webhookUrlPrefixes: z.array(webhookPrefix, { error: 'must be a list of URL prefixes' }).default([]),
      emailDomains: z
        .array(
          z
            .string({ error: (issue) => `must be text, a domain; got ${JSON.stringify(issue.input)}` })
            .regex(/^(\*|(\*\.)?[a-z0-9.-]+\.[a-z0-9-]+)$/i, {
              error: 'must be a domain like "example.com", "*.example.com" (its subdomains) or "*" (any)',
            }),
          { error: 'must be a list of domains' },
        )
        .default([]),
      // The number's message is also its checks' message (zod passes it down).
      maxRecipients: z
        .number({ error: 'must be a whole number from 0 to 1000' })
        .int()
        .min(0)
        .max(1000)
        .default(10),
    })
    .prefault({}),
  groups: z
    .strictObject({
      allEmployeesGroups: names('group names').default(STRICT_POLICY.groups.allEmployeesGroups),
      departmentGroupPatterns: names('group name patterns').default(
        STRICT_POLICY.groups.departmentGroupPatterns,
      ),
    })
    .prefault({}),
  applications: names('application display labels').default(STRICT_POLICY.applications),
});

/** Parses a policy file's text; each problem names the file (`label`) and the field. */
export function parseImportPolicy(
  text: string,
  label: string,
): { ok: true; policy: ImportPolicy } | { ok: false; problems: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, problems: [`${label}: not valid JSON (${(err as Error).message})`] };
  }
  const parsed = importPolicySchema.safeParse(raw);
  if (parsed.success) return { ok: true, policy: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => {
      const path = issue.path.map(String).join('.');
      if (issue.code === 'unrecognized_keys')
        return `${label}: ${[path, issue.keys[0]].filter(Boolean).join('.')}: unknown field; remove it or check the spelling`;
      return `${label}: ${path || 'the policy'}: ${issue.message.startsWith('Invalid input') ? 'must be an object' : issue.message}`;
    }),
  };
}

function isWebhookPrefix(prefix: string): boolean {
  const url = parsePrefix(prefix);
  // A "*" anywhere else in the host ("https://*evil.example/") would be taken as a letter and
  // match nothing, though it reads as a wildcard: refused, so the operator writes what they mean.
  return (
    url !== null &&
    /^https?:$/.test(url.protocol) &&
    url.username === '' &&
    url.password === '' &&
    !url.hostname.includes('*')
  );
}

/**
 * A prefix as a URL, its wildcard kept aside: a "*" host becomes a placeholder host, and a leading
 * "*." is dropped, leaving the domain whose subdomains match.
 */
function parsePrefix(prefix: string): (URL & { wildcard: 'any' | 'subdomains' | null }) | null {
  const any = /^https?:\/\/\*(?=[/:]|$)/i.test(prefix);
  const subdomains = !any && /^https?:\/\/\*\./i.test(prefix);
  const text = any ? prefix.replace('*', 'wildcard.invalid') : subdomains ? prefix.replace('*.', '') : prefix;
  if (!URL.canParse(text)) return null;
  const url = new URL(text) as URL & { wildcard: 'any' | 'subdomains' | null };
  url.wildcard = any ? 'any' : subdomains ? 'subdomains' : null;
  return url;
}

export type DestinationMatch = 'own' | 'named' | 'wildcard' | null;

/**
 * Whether a webhook URL from an input is allowed, and how: the worker's own one ('own'), a prefix
 * that names its exact host ('named': the operator chose that host, private addresses included),
 * a "*." or "*" host ('wildcard': allowed, but its addresses must be public), or not at all (null).
 * A prefix without a port matches any port of its host; its path is a path prefix.
 */
export function matchWebhook(url: string, policy: ImportPolicy, own: OwnDestinations): DestinationMatch {
  if (own.webhookUrl && url === own.webhookUrl) return 'own';
  if (!URL.canParse(url)) return null;
  const target = new URL(url);
  if (target.username !== '' || target.password !== '') return null;
  let best: DestinationMatch = null;
  for (const text of policy.notify.webhookUrlPrefixes) {
    const prefix = parsePrefix(text);
    if (!prefix || prefix.protocol !== target.protocol) continue;
    const hostMatches =
      prefix.wildcard === 'any' ||
      (prefix.wildcard === 'subdomains'
        ? target.hostname.endsWith(`.${prefix.hostname}`)
        : target.hostname === prefix.hostname);
    if (!hostMatches) continue;
    if (prefix.port !== '' && prefix.port !== target.port) continue;
    if (!target.pathname.startsWith(prefix.pathname)) continue;
    if (!prefix.wildcard) return 'named';
    best = 'wildcard';
  }
  return best;
}

/** Whether an input's recipient is allowed: one of the worker's own, or at a policy domain. */
export function matchRecipient(address: string, policy: ImportPolicy, own: OwnDestinations): boolean {
  const lower = address.toLowerCase();
  if (own.recipients.some((r) => r.toLowerCase() === lower)) return true;
  const domain = lower.slice(lower.lastIndexOf('@') + 1);
  return policy.notify.emailDomains.some((d) => {
    const allowed = d.toLowerCase();
    if (allowed === ANY) return true;
    return allowed.startsWith('*.') ? domain.endsWith(allowed.slice(1)) : domain === allowed;
  });
}

export interface PolicyVerdict {
  problems: InputProblem[];
  /** The safeguards the run uses: the input's where it set a rule, the policy's floor elsewhere. */
  safeguards: SafeguardRules | null;
}

const FLOOR_FIELDS = [
  'maxSuspensions',
  'maxSuspensionsPercent',
  'maxChangesPercent',
  'minimumImportedUsers',
] as const;

/**
 * Checks a parsed input against the policy. `raw` is the input as given, to tell a rule the
 * input set from one it left to its default (a default never loosens a floor: the floor applies).
 */
export function checkInputAgainstPolicy(
  raw: unknown,
  input: ImportInput,
  policy: ImportPolicy,
  own: OwnDestinations,
): PolicyVerdict {
  const problems: InputProblem[] = [];
  const refuse = (path: string, text: string) =>
    problems.push({
      path,
      message: `${path}: ${text} (the worker's IMPORT_POLICY_FILE sets the limits; see the README's "Import policy")`,
    });

  // Safeguards: a floor may be tightened, never loosened or switched off.
  const given = (raw ?? {}) as { safeguards?: unknown };
  const rawSafeguards = given.safeguards as Record<string, unknown> | null | undefined;
  let safeguards: SafeguardRules | null = input.safeguards;
  const floors = policy.safeguards;
  if (floors) {
    if (rawSafeguards === null || input.safeguards === null) {
      refuse('safeguards', 'may not be switched off (null): the policy keeps them on');
      safeguards = null;
    } else {
      const effective = { ...input.safeguards };
      for (const field of FLOOR_FIELDS) {
        const limit = floors[field];
        if (limit === null) continue;
        const set = rawSafeguards !== undefined && Object.hasOwn(rawSafeguards, field);
        if (!set) {
          effective[field] = limit;
          continue;
        }
        const value = input.safeguards[field];
        if (value === null) refuse(`safeguards.${field}`, `may not be switched off (null): at most ${limit}`);
        else if (value > limit)
          refuse(`safeguards.${field}`, `${value} is looser than the policy allows: at most ${limit}`);
      }
      safeguards = effective;
    }
  }

  // Notification destinations.
  if (input.notify.webhookUrl !== null && matchWebhook(input.notify.webhookUrl, policy, own) === null)
    refuse('notify.webhookUrl', `${describeUrl(input.notify.webhookUrl)} is not an allowed destination`);
  // The first few refused recipients are named; a list of thousands is one problem, not thousands.
  const refusedRecipients = input.notify.email
    .map((address, index) => ({ address, index }))
    .filter(({ address }) => !matchRecipient(address, policy, own));
  for (const { address, index } of refusedRecipients.slice(0, 3))
    refuse(`notify.email[${index}]`, `${JSON.stringify(address)} is not an allowed recipient`);
  if (refusedRecipients.length > 3)
    refuse('notify.email', `${refusedRecipients.length - 3} more recipients are not allowed`);
  const cap = Math.max(policy.notify.maxRecipients, own.recipients.length);
  if (input.notify.email.length > cap)
    refuse('notify.email', `${input.notify.email.length} recipients are more than the ${cap} allowed`);

  // Groups and applications.
  const allows = (list: string[], value: string) =>
    list.includes(ANY) || list.some((name) => name.toLowerCase() === value.toLowerCase());
  if (
    input.groups.allEmployeesGroup !== null &&
    !allows(policy.groups.allEmployeesGroups, input.groups.allEmployeesGroup)
  )
    refuse(
      'groups.allEmployeesGroup',
      `${JSON.stringify(input.groups.allEmployeesGroup)} is not a group this import may create or join users to (allowed: ${policy.groups.allEmployeesGroups.join(', ')})`,
    );
  if (
    input.groups.perDepartment &&
    !allows(policy.groups.departmentGroupPatterns, input.groups.departmentGroupPattern)
  )
    refuse(
      'groups.departmentGroupPattern',
      `${JSON.stringify(input.groups.departmentGroupPattern)} is not an allowed department group pattern (allowed: ${policy.groups.departmentGroupPatterns.join(', ')})`,
    );
  input.applications.forEach((label, index) => {
    if (!allows(policy.applications, label))
      refuse(`applications[${index}]`, `${JSON.stringify(label)} is not an application this import may bind`);
  });
  return { problems, safeguards };
}

/** A URL for a message: scheme and host only (the path of a webhook is often its secret). */
export function describeUrl(url: string): string {
  if (!URL.canParse(url)) return 'the URL';
  const { protocol, host } = new URL(url);
  return `${protocol}//${host}/…`;
}
