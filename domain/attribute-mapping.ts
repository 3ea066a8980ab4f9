// The attribute mapping: which Personio attribute (standard or `dynamic_<id>`) goes into which
// JumpCloud field or custom attribute, with simple transforms. A company's mapping file is read
// by the worker (ATTRIBUTE_MAPPING_FILE) and checked by `npm run cli -- mapping check <file>`;
// without one, DEFAULT_MAPPING applies, which is the README's mapping table.
// Deterministic and free of Node built-ins: workflow code imports this file.
//
// Only the profile fields are open to remapping. employeeIdentifier and email are how a user is
// found again, username never changes, state follows the status rules and manager is linked
// after all users exist: letting a file move those would break re-runs, so they stay fixed.
import { z } from 'zod';
import type { CustomAttribute, DesiredAttributes } from './custom-attributes.js';
import type { ManagedField } from './managed-fields.js';
import { applyTransforms, asText, transformProblem, type Transform } from './mapping-transforms.js';
import {
  isDynamicKey,
  isSourceKey,
  personioValue,
  STANDARD_SOURCE_KEYS,
  type MappableEmployee,
} from './personio-values.js';

/** The JumpCloud fields a mapping may fill; the rest of MANAGED_FIELDS are identity fields. */
export const MAPPABLE_FIELDS = [
  'firstname',
  'lastname',
  'displayname',
  'jobTitle',
  'employeeType',
  'company',
  'location',
  'department',
  'costCenter',
] as const satisfies readonly ManagedField[];
export type MappableField = (typeof MAPPABLE_FIELDS)[number];

/** JumpCloud fields the import sets itself, by rules a mapping must not change. */
export const FIXED_FIELDS = ['employeeIdentifier', 'email', 'username', 'state', 'manager'] as const;

export interface MappingRule {
  /** A Personio key, or several whose values are joined with a space (e.g. a display name). */
  from: string | readonly string[];
  transform?: readonly Transform[];
}

export interface AttributeRule extends MappingRule {
  /** The JumpCloud custom attribute's name: letters and digits, fewer than 32 characters. */
  name: string;
}

/** A complete mapping: a rule for every mappable field, and the custom attributes. */
export interface AttributeMapping {
  fields: Readonly<Record<MappableField, MappingRule>>;
  attributes: readonly AttributeRule[];
}

/** The README's mapping table, as a mapping file would say it. */
export const DEFAULT_MAPPING: AttributeMapping = {
  fields: {
    firstname: { from: 'first_name' },
    lastname: { from: 'last_name' },
    displayname: { from: ['first_name', 'last_name'] },
    jobTitle: { from: 'position' },
    employeeType: { from: 'employment_type' },
    company: { from: 'subcompany' },
    location: { from: 'office' },
    department: { from: 'department' },
    costCenter: { from: 'cost_centers', transform: ['first'] },
  },
  attributes: [],
};

// ---------------------------------------------------------------------------------------------
// Applying a mapping

export interface MappedEmployee {
  fields: Record<MappableField, string>;
  attributes: DesiredAttributes;
}

/**
 * What the mapping makes of one employee: the value of every mappable field ("" when empty, as
 * JumpCloud stores unset text), and the custom attributes (an empty value removes the attribute
 * rather than writing "").
 */
export function mapEmployee(
  employee: MappableEmployee,
  mapping: AttributeMapping = DEFAULT_MAPPING,
): MappedEmployee {
  const fields = {} as Record<MappableField, string>;
  for (const field of MAPPABLE_FIELDS) fields[field] = ruleValue(employee, mapping.fields[field]);
  const values: CustomAttribute[] = [];
  for (const rule of mapping.attributes) {
    const value = ruleValue(employee, rule);
    if (value !== '') values.push({ name: rule.name, value });
  }
  return { fields, attributes: { managed: mapping.attributes.map((rule) => rule.name), values } };
}

/** Each source is transformed on its own; the non-empty results are joined with a space. */
function ruleValue(employee: MappableEmployee, rule: MappingRule): string {
  return sourcesOf(rule)
    .map((key) => asText(applyTransforms(personioValue(employee, key), rule.transform ?? [])))
    .filter((text) => text !== '')
    .join(' ');
}

function sourcesOf(rule: MappingRule): readonly string[] {
  return typeof rule.from === 'string' ? [rule.from] : rule.from;
}

/**
 * The `dynamic_<id>` keys the mapping reads, sorted: a fetched page keeps only these custom
 * attributes, so the others (bank details, birthdays…) never reach workflow history.
 */
export function mappedCustomKeys(mapping: AttributeMapping): string[] {
  const rules: MappingRule[] = [...Object.values(mapping.fields), ...mapping.attributes];
  return [...new Set(rules.flatMap(sourcesOf).filter(isDynamicKey))].sort();
}

// ---------------------------------------------------------------------------------------------
// The mapping file

export type MappingParseResult = { ok: true; mapping: AttributeMapping } | { ok: false; problems: string[] };

const ATTRIBUTE_NAME = /^[A-Za-z0-9]{1,31}$/;
const NAME_RULE = 'must be letters and digits only and shorter than 32 characters';
const SOURCE_HINT = `use a Personio key (${STANDARD_SOURCE_KEYS.join(', ')}) or dynamic_<digits>, e.g. "dynamic_1234567"`;
const EXAMPLE_RULE = '{"from": "position"}';
const EXAMPLE_ATTRIBUTE = '{"name": "shirtSize", "from": "dynamic_1234567"}';

const sourceSchema = z.string({ error: `must be text: ${SOURCE_HINT}` }).superRefine((key, ctx) => {
  if (!isSourceKey(key))
    ctx.addIssue({
      code: 'custom',
      message: `unknown Personio attribute ${JSON.stringify(key)}: ${SOURCE_HINT}`,
    });
});

// `from` is text or a list of texts; checked by hand because a zod union would report the
// failure of both branches instead of the one mistake.
const fromSchema = z.unknown().superRefine((from, ctx) => {
  if (from === undefined) {
    ctx.addIssue({ code: 'custom', message: `is required: ${SOURCE_HINT}` });
  } else if (Array.isArray(from)) {
    if (from.length === 0)
      ctx.addIssue({ code: 'custom', message: `must name at least one Personio attribute: ${SOURCE_HINT}` });
    from.forEach((key: unknown, index) => {
      const parsed = sourceSchema.safeParse(key);
      if (!parsed.success)
        for (const issue of parsed.error.issues)
          ctx.addIssue({ code: 'custom', path: [index], message: issue.message });
    });
  } else {
    const parsed = sourceSchema.safeParse(from);
    if (!parsed.success)
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
  }
}) as z.ZodType<string | string[]>;

const transformSchema = z
  .string({ error: 'must be a transform name in quotes, e.g. "trim"' })
  .superRefine((transform, ctx) => {
    const problem = transformProblem(transform);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  }) as z.ZodType<Transform>;

const ruleShape = {
  from: fromSchema,
  transform: z
    .array(transformSchema, { error: 'must be a list of transforms, e.g. ["trim", "upper"]' })
    .optional(),
};

const fieldRuleSchema = z.strictObject(ruleShape, {
  error: `must be an object, e.g. ${EXAMPLE_RULE}`,
});

const attributeRuleSchema = z.strictObject(
  {
    name: z
      .string({
        error: (issue) =>
          `${issue.input === undefined ? 'is required' : 'must be text'}: the JumpCloud attribute's name, e.g. "shirtSize"`,
      })
      .superRefine((name, ctx) => {
        if (!ATTRIBUTE_NAME.test(name))
          ctx.addIssue({ code: 'custom', message: `${NAME_RULE}; got ${JSON.stringify(name)}` });
      }),
    ...ruleShape,
  },
  { error: `must be an object, e.g. ${EXAMPLE_ATTRIBUTE}` },
);

const mappingFileSchema = z.strictObject(
  {
    fields: z
      .record(z.string(), fieldRuleSchema, {
        error: `must be an object of JumpCloud fields, e.g. {"jobTitle": ${EXAMPLE_RULE}}`,
      })
      .superRefine((fields, ctx) => {
        for (const field of Object.keys(fields)) {
          const problem = fieldProblem(field);
          if (problem !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: problem });
        }
      })
      .optional(),
    attributes: z
      .array(attributeRuleSchema, { error: `must be a list, e.g. [${EXAMPLE_ATTRIBUTE}]` })
      .optional(),
  },
  { error: 'must be a JSON object with "fields" and/or "attributes"' },
);

function fieldProblem(field: string): string | undefined {
  if ((MAPPABLE_FIELDS as readonly string[]).includes(field)) return undefined;
  if ((FIXED_FIELDS as readonly string[]).includes(field))
    return `cannot be mapped: ${FIXED_FIELDS.join(', ')} are set by the import's own rules (see the README); remove it`;
  return `is not a JumpCloud field a mapping may fill: use one of ${MAPPABLE_FIELDS.join(', ')}, or put it under "attributes" as a custom attribute`;
}

/** Keys allowed in the object at a path, for the "unknown key" message. */
function allowedKeys(path: readonly PropertyKey[]): readonly string[] {
  if (path.length === 0) return ['fields', 'attributes'];
  return path[0] === 'attributes' ? ['name', 'from', 'transform'] : ['from', 'transform'];
}

/**
 * Reads a mapping file's text (or its already-parsed JSON). Every problem comes back at once as
 * "<source>: <path>: <what is wrong and how to fix it>"; fields the file does not name keep
 * their default rule.
 */
export function parseAttributeMapping(raw: unknown, source: string): MappingParseResult {
  let json = raw;
  if (typeof raw === 'string') {
    const decoded = decodeJson(raw);
    if (!decoded.ok) return { ok: false, problems: [`${source}: ${decoded.problem}`] };
    json = decoded.value;
  }
  const problems: string[] = [];
  const parsed = mappingFileSchema.safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(...issueMessages(issue));
  }
  problems.push(...duplicateNames(json));
  if (problems.length > 0 || !parsed.success)
    return { ok: false, problems: problems.map((p) => `${source}: ${p}`) };
  const file = parsed.data;
  return {
    ok: true,
    mapping: {
      fields: { ...DEFAULT_MAPPING.fields, ...(file.fields as Partial<Record<MappableField, MappingRule>>) },
      attributes: file.attributes ?? [],
    },
  };
}

function issueMessages(issue: z.core.$ZodIssue): string[] {
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeys(issue.path);
    return issue.keys.map(
      (key) =>
        `${formatPath([...issue.path, key])}: unknown key: remove it (allowed here: ${allowed.join(', ')})`,
    );
  }
  return [`${formatPath(issue.path)}: ${issue.message}`];
}

/** Names must be unique ignoring case: JumpCloud would otherwise hold two versions of one attribute. */
function duplicateNames(json: unknown): string[] {
  const attributes = (json as { attributes?: unknown } | null)?.attributes;
  if (!Array.isArray(attributes)) return [];
  const firstIndex = new Map<string, number>();
  const problems: string[] = [];
  attributes.forEach((rule: unknown, index) => {
    const name = (rule as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') return;
    const first = firstIndex.get(name.toLowerCase());
    if (first === undefined) firstIndex.set(name.toLowerCase(), index);
    else
      problems.push(
        `attributes[${index}].name: ${JSON.stringify(name)} is already used by attributes[${first}] (names are compared ignoring case): pick another name`,
      );
  });
  return problems;
}

/** `attributes[2].name`, `fields.jobTitle.from[0]`; the whole file is "(top level)". */
function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

/** JSON.parse with the error's line and column (Node 20 reports only a character position). */
function decodeJson(text: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const position = /at position (\d+)/.exec(message);
    const where =
      /\(line \d+ column \d+\)/.test(message) || position === null
        ? ''
        : ` (${lineAndColumn(text, Number(position[1]))})`;
    return {
      ok: false,
      problem: `not valid JSON: ${message}${where}: fix the file (a JSON object, no comments or trailing commas)`,
    };
  }
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position).split('\n');
  return `line ${before.length} column ${before.at(-1)!.length + 1}`;
}
