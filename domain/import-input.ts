// The input of the importEmployees workflow: what an operator may choose per run.
// Deterministic and free of Node built-ins: workflow code imports this file.
//
// Every field has a default, so `{}` is a complete input. Unknown fields are rejected rather than
// ignored, because a misspelt option (say `dryrun`) silently ignored would do a real import.
// No secrets belong here: the input is stored in Temporal history. How hard to drive the APIs
// (concurrency, requests per second) is the worker's setting, not the run's: it belongs to the
// machine and the API limits, and several imports share one worker.
import { z } from 'zod';

export const DEPARTMENT_PLACEHOLDER = '{department}';
/** Our own limit (JumpCloud publishes none), so group names stay readable in the console. */
export const GROUP_NAME_MAX_LENGTH = 200;
/** The pattern's fixed text may use at most this much, leaving the rest for the department name. */
export const GROUP_PATTERN_FIXED_MAX_LENGTH = 100;

type Issue = { input?: unknown };
/**
 * A zod error callback whose message states the rule and echoes the rejected value. A type's
 * error is also the error of its checks (zod passes it down): a check names its own only when
 * it says something else.
 */
const rule =
  (text: string) =>
  (issue: Issue): string =>
    `${text}; got ${describe(issue.input)}`;

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object') return 'an object';
  return `a value of type ${typeof value}`;
}

/** An integer in [min, max]; `why` explains the bounds, e.g. "(Personio's maximum)". */
function wholeNumber(min: number, max: number, why = '') {
  const bounds = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `between ${min} and ${max}`;
  const suffix = why === '' ? '' : ` ${why}`;
  const notWhole = rule(`must be a whole number ${bounds}${suffix}`);
  const outOfRange = rule(`must be ${bounds}${suffix}`);
  return z.number({ error: notWhole }).int().min(min, { error: outOfRange }).max(max, { error: outOfRange });
}

const label = (what: string) => {
  const error = rule(`must be a non-empty ${what} of at most ${GROUP_NAME_MAX_LENGTH} characters`);
  return z.string({ error }).trim().min(1).max(GROUP_NAME_MAX_LENGTH);
};

const departmentGroupPattern = z
  .string({ error: rule('must be text containing {department}') })
  .trim()
  .refine((pattern) => pattern.split(DEPARTMENT_PLACEHOLDER).length === 2, {
    error: rule('must contain {department} exactly once, e.g. "Personio - {department}"'),
  })
  .refine((pattern) => pattern.replace(DEPARTMENT_PLACEHOLDER, '').length <= GROUP_PATTERN_FIXED_MAX_LENGTH, {
    error: rule(
      `must have at most ${GROUP_PATTERN_FIXED_MAX_LENGTH} characters besides {department}, ` +
        `leaving room in the ${GROUP_NAME_MAX_LENGTH}-character group name`,
    ),
  });

/** A Temporal duration such as "90s", "15m", "24h" or "7d". */
const duration = z
  .string({ error: rule('must be a duration like "30s", "15m", "24h" or "7d"') })
  .trim()
  .regex(/^[1-9][0-9]{0,5}(ms|s|m|h|d)$/);

const percent = z
  .number({ error: rule('must be a percentage between 0 and 100, or null (rule off)') })
  .min(0)
  .max(100);

/** "HH:MM" on a 24-hour clock. */
const localTime = z
  .string({ error: rule('must be a time of day like "09:00"') })
  .regex(/^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$/, {
    error: rule('must be a time of day like "09:00" (24-hour clock)'),
  });

const timeZone = z
  .string({ error: rule('must be an IANA time zone like "Europe/Berlin"') })
  .refine(isTimeZone, { error: rule('must be an IANA time zone like "Europe/Berlin" or "UTC"') });

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** An ISO 8601 date or date-time, as Personio's `updated_since` takes it. */
const isoInstant = z
  .string({
    error: rule('must be an ISO 8601 date or date-time like "2026-11-01" or "2026-11-01T08:00:00Z"'),
  })
  .refine((text) => /^\d{4}-\d{2}-\d{2}(T.+)?$/.test(text) && !Number.isNaN(Date.parse(text)));

const emailAddress = z.email({ error: rule('must be an e-mail address like admin@example.com') });

export const importInputSchema = z.strictObject({
  pageSize: wholeNumber(1, 100, "(Personio's maximum)").default(100),
  createState: z
    .enum(['STAGED', 'ACTIVATED'], { error: rule('must be "STAGED" or "ACTIVATED"') })
    .default('STAGED'),
  allowReactivation: z.boolean({ error: rule('must be true or false') }).default(false),
  groups: z
    .strictObject(
      {
        allEmployeesGroup: label('group name').nullable().default('Personio Import'),
        perDepartment: z.boolean({ error: rule('must be true or false') }).default(false),
        departmentGroupPattern: departmentGroupPattern.default('Personio - {department}'),
        /** Leavers (suspended) also leave this import's groups; other groups are never touched. */
        removeLeavers: z.boolean({ error: rule('must be true or false') }).default(false),
      },
      { error: rule('must be an object') },
    )
    .prefault({}),
  applications: z
    .array(label('application display label'), {
      error: rule('must be a list of application display labels'),
    })
    .default(['Personio Import']),
  notify: z
    .strictObject(
      {
        when: z
          .enum(['auto', 'always', 'never'], {
            error: rule(
              'must be "auto" (when more than `threshold` employees were processed), "always" or "never"',
            ),
          })
          .default('auto'),
        threshold: wholeNumber(0, Number.MAX_SAFE_INTEGER).default(100),
        email: z.array(emailAddress, { error: rule('must be a list of e-mail addresses') }).default([]),
        webhookUrl: z
          .url({ protocol: /^https?$/, error: rule('must be an http(s) URL or null') })
          .nullable()
          .default(null),
      },
      { error: rule('must be an object') },
    )
    .prefault({}),
  pagesInFlight: wholeNumber(1, 20).default(4),
  /**
   * Advanced: the import continues as new once its history passes this many events, so no
   * history nears Temporal's limits (warnings from 10,240 events). Lower only to test it.
   */
  continueAsNewAfterEvents: wholeNumber(100, 40_000).default(6000),
  dryRun: z.boolean({ error: rule('must be true or false') }).default(false),
  /**
   * Approval safeguards: a run that would suspend or change more users than these pauses
   * before writing anything and waits for an `approve` or `reject` update. null: off.
   */
  safeguards: z
    .strictObject(
      {
        maxSuspensions: wholeNumber(0, Number.MAX_SAFE_INTEGER).nullable().default(25),
        maxSuspensionsPercent: percent.nullable().default(10),
        maxChangesPercent: percent.nullable().default(30),
        /** The percentage rules apply from this many imported (already matched) users on. */
        minimumImportedUsers: wholeNumber(0, Number.MAX_SAFE_INTEGER).default(20),
        approvalTimeout: duration.default('72h'),
      },
      { error: rule('must be an object, or null to turn the safeguards off') },
    )
    .nullable()
    .prefault({}),
  /**
   * Which employees a run reads: `full` (all), `delta` (changed since `updatedSince`, or since
   * the last successful scheduled run), `auto` (schedules: delta, and a full reconcile every
   * `fullReconcileEvery`).
   */
  sync: z
    .strictObject(
      {
        mode: z
          .enum(['full', 'delta', 'auto'], { error: rule('must be "full", "delta" or "auto"') })
          .default('full'),
        updatedSince: isoInstant.nullable().default(null),
        fullReconcileEvery: duration.default('24h'),
      },
      { error: rule('must be an object') },
    )
    .prefault({}),
  /** Activation of staged users on their hire date, by a durable timer. */
  activation: z
    .strictObject(
      {
        onHireDate: z.boolean({ error: rule('must be true or false') }).default(false),
        localTime: localTime.default('09:00'),
        timeZone: timeZone.default('Europe/Berlin'),
      },
      { error: rule('must be an object') },
    )
    .prefault({}),
});

export type ImportInput = z.output<typeof importInputSchema>;
/** What a caller may pass: every field optional. */
export type ImportInputOptions = z.input<typeof importInputSchema>;

export interface InputProblem {
  /** Dotted path with list indexes in brackets, e.g. `notify.email[1]`; "" for the input itself. */
  path: string;
  /** Starts with the path, says what is wrong and what is allowed. */
  message: string;
}

export type ParsedImportInput = { ok: true; input: ImportInput } | { ok: false; problems: InputProblem[] };

export function parseImportInput(raw: unknown): ParsedImportInput {
  // A workflow started with no argument receives undefined; treat it as "all defaults".
  const parsed = importInputSchema.safeParse(raw ?? {});
  if (parsed.success) return { ok: true, input: parsed.data };
  return { ok: false, problems: parsed.error.issues.flatMap(toProblems) };
}

function toProblems(issue: z.core.$ZodIssue): InputProblem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const path = formatPath([...issue.path, key]);
      return { path, message: `${path}: unknown field; remove it or check the spelling` };
    });
  }
  const path = formatPath(issue.path);
  const message = issue.message.startsWith('Invalid input')
    ? 'must be an object of import options'
    : issue.message;
  return [{ path, message: `${path === '' ? 'input' : path}: ${message}` }];
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    return text === '' ? String(key) : `${text}.${String(key)}`;
  }, '');
}

/**
 * The JumpCloud group name for a department: the pattern with {department} replaced by the
 * department name (whitespace collapsed), cut so the whole name stays within 200 characters.
 */
export function groupNameForDepartment(pattern: string, department: string): string {
  const fixedLength = pattern.length - DEPARTMENT_PLACEHOLDER.length;
  const name = department
    .trim()
    .replace(/\s+/g, ' ')
    .slice(0, Math.max(0, GROUP_NAME_MAX_LENGTH - fixedLength));
  // A function replacement, so a `$` in a department name is taken literally.
  return pattern.replace(DEPARTMENT_PLACEHOLDER, () => name.trimEnd()).trim();
}
