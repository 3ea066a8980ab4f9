/**
 * Which records a list or search answers with, in what order, which page and which fields.
 *
 * JumpCloud has three filter dialects and the sandbox speaks all of them:
 * - v1 query:  `filter=field:$eq:value` (`$ne $gt $gte $lt $lte`), repeat for AND;
 * - v2 query:  `filter=field:eq:value` (`ne gt ge lt le search in`; `in` takes `a|b`), repeat for AND;
 * - v1 search body: `{"filter":{"and":[{"email":"x"}]}}` / `{"or":[…]}`, values either plain
 *   (equality) or `{"$eq":x}`-style operator objects; plus `searchFilter {searchTerm, fields}`.
 * All comparisons are case-sensitive, as documented, except searchTerm, which is a
 * case-insensitive "contains" like the admin console's search box.
 */
import { badRequest } from './errors.js';

export type Operator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'search' | 'in' | 'containsIgnoreCase';

export interface Condition {
  field: string;
  op: Operator;
  value: unknown;
}

export type FilterNode = { all: FilterNode[] } | { any: FilterNode[] } | { cond: Condition };

export const MATCH_ALL: FilterNode = { all: [] };

type Doc = Record<string, unknown>;

/** Text of a scalar; objects as JSON (they never match a text comparison, but stay readable). */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value) ?? '';
}

const asList = (raw: unknown): string[] =>
  raw === undefined ? [] : Array.isArray(raw) ? raw.map(asText) : [asText(raw)];

// ---- parsing ---------------------------------------------------------------------------

const V1_OPERATORS: Record<string, Operator> = {
  $eq: 'eq',
  $ne: 'ne',
  $gt: 'gt',
  $gte: 'ge',
  $lt: 'lt',
  $lte: 'le',
};

/** `field:$op:value`; the value may itself contain colons (URLs, times). */
export function parseV1Filters(raw: unknown): FilterNode {
  return {
    all: asList(raw).map((text) => {
      const match = /^([^:]+):(\$[a-z]+):(.*)$/s.exec(text);
      const op = match ? V1_OPERATORS[match[2] ?? ''] : undefined;
      if (!match || !op) {
        throw badRequest(`invalid filter "${text}": expected field:$op:value with $eq $ne $gt $gte $lt $lte`);
      }
      return { cond: { field: match[1] ?? '', op, value: match[3] ?? '' } };
    }),
  };
}

const V2_OPERATORS = new Set<Operator>(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'search', 'in']);

export function parseV2Filters(raw: unknown): FilterNode {
  return {
    all: asList(raw).map((text) => {
      const match = /^([^:]+):([a-z]+):(.*)$/s.exec(text);
      const op = match?.[2] as Operator | undefined;
      if (!match || !op || !V2_OPERATORS.has(op)) {
        throw badRequest(
          `invalid filter "${text}": expected field:op:value with eq ne gt ge lt le search in`,
        );
      }
      const value = match[3] ?? '';
      return { cond: { field: match[1] ?? '', op, value: op === 'in' ? value.split('|') : value } };
    }),
  };
}

const SEARCH_OPERATORS: Record<string, Operator> = { ...V1_OPERATORS, $in: 'in', $search: 'search' };

/** The `filter` of `POST /api/search/systemusers`. */
export function parseSearchBodyFilter(filter: unknown): FilterNode {
  if (filter === undefined || filter === null) return MATCH_ALL;
  if (Array.isArray(filter)) return { all: filter.map(parseSearchBodyFilter) };
  if (typeof filter !== 'object') throw badRequest('filter must be an object or an array');
  const nodes: FilterNode[] = [];
  for (const [key, value] of Object.entries(filter as Record<string, unknown>)) {
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(value)) throw badRequest(`filter.${key} must be an array`);
      const children = value.map(parseSearchBodyFilter);
      nodes.push(key === 'and' ? { all: children } : { any: children });
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [opName, operand] of Object.entries(value)) {
        const op = SEARCH_OPERATORS[opName];
        if (!op) throw badRequest(`unsupported operator "${opName}" for field "${key}"`);
        if (op === 'in' && !Array.isArray(operand)) throw badRequest(`$in for "${key}" takes an array`);
        nodes.push({ cond: { field: key, op, value: operand } });
      }
    } else {
      nodes.push({ cond: { field: key, op: 'eq', value } });
    }
  }
  return nodes.length === 1 && nodes[0] ? nodes[0] : { all: nodes };
}

const DEFAULT_SEARCH_FIELDS = ['username', 'email', 'firstname', 'lastname', 'displayname'];

/** `searchFilter: {searchTerm: "ann" | ["ann","bob"], fields: [...]}` → any field contains any term. */
export function parseSearchTerm(searchFilter: unknown): FilterNode {
  if (searchFilter === undefined || searchFilter === null) return MATCH_ALL;
  if (typeof searchFilter !== 'object') throw badRequest('searchFilter must be an object');
  const { searchTerm, fields } = searchFilter as { searchTerm?: unknown; fields?: unknown };
  const terms = asList(searchTerm).filter((t) => t !== '');
  if (terms.length === 0) return MATCH_ALL;
  const searchFields = fields === undefined ? DEFAULT_SEARCH_FIELDS : asList(fields);
  return {
    any: searchFields.flatMap((field) =>
      terms.map((term) => ({ cond: { field, op: 'containsIgnoreCase' as const, value: term } })),
    ),
  };
}

// ---- matching --------------------------------------------------------------------------

/** Field lookup; dotted paths reach into nested objects ("mfa.configured"). */
export function fieldValue(doc: Doc, field: string): unknown {
  if (!field.includes('.')) return doc[field];
  let current: unknown = doc;
  for (const part of field.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Doc)[part];
  }
  return current;
}

/** Query strings carry text; let "true" match true and "3" match 3 as the real API does. */
function equals(actual: unknown, wanted: unknown): boolean {
  if (actual === undefined || actual === null) return wanted === null || wanted === 'null';
  if (typeof wanted === 'string' && typeof actual !== 'string' && typeof actual !== 'object') {
    return asText(actual) === wanted;
  }
  return actual === wanted;
}

/** Numbers compare as numbers, everything else as strings (ISO dates sort correctly so). */
export function compareValues(a: unknown, b: unknown): number {
  const aMissing = a === undefined || a === null;
  const bMissing = b === undefined || b === null;
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
  if (typeof a === 'number' || typeof b === 'number') {
    const na = Number(a);
    const nb = Number(b);
    if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  }
  const sa = asText(a);
  const sb = asText(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function conditionHolds(doc: Doc, { field, op, value }: Condition): boolean {
  const actual = fieldValue(doc, field);
  switch (op) {
    case 'eq':
      return equals(actual, value);
    case 'ne':
      return !equals(actual, value);
    case 'in':
      return Array.isArray(value) && value.some((v) => equals(actual, v));
    case 'search':
      return typeof actual === 'string' && actual.includes(asText(value));
    case 'containsIgnoreCase':
      return typeof actual === 'string' && actual.toLowerCase().includes(asText(value).toLowerCase());
  }
  if (actual === undefined || actual === null) return false;
  const order = compareValues(actual, value);
  switch (op) {
    case 'gt':
      return order > 0;
    case 'ge':
      return order >= 0;
    case 'lt':
      return order < 0;
    case 'le':
      return order <= 0;
  }
}

export function matches(doc: Doc, node: FilterNode): boolean {
  if ('cond' in node) return conditionHolds(doc, node.cond);
  if ('all' in node) return node.all.every((child) => matches(doc, child));
  return node.any.some((child) => matches(doc, child));
}

/** The equality conditions on `field` that every match must satisfy (for index lookups). */
export function requiredEquality(node: FilterNode, fields: readonly string[]): Condition | undefined {
  if ('cond' in node) {
    const { cond } = node;
    return cond.op === 'eq' && typeof cond.value === 'string' && fields.includes(cond.field)
      ? cond
      : undefined;
  }
  if ('all' in node) {
    for (const child of node.all) {
      const found = requiredEquality(child, fields);
      if (found) return found;
    }
    return undefined;
  }
  return node.any.length === 1 && node.any[0] ? requiredEquality(node.any[0], fields) : undefined;
}

// ---- ordering, paging, projection -------------------------------------------------------

export interface SortKey {
  field: string;
  descending: boolean;
}

/** v1 separates sort fields with spaces, v2 with commas; accept both everywhere. */
export function parseSort(raw: unknown): SortKey[] {
  return asList(raw)
    .flatMap((s) => s.split(/[\s,]+/))
    .filter((s) => s !== '')
    .map((s) =>
      s.startsWith('-') ? { field: s.slice(1), descending: true } : { field: s, descending: false },
    );
}

export function sortRecords<T extends Doc>(records: readonly T[], keys: readonly SortKey[]): T[] {
  if (keys.length === 0) return [...records];
  return [...records].sort((a, b) => {
    for (const { field, descending } of keys) {
      const order = compareValues(fieldValue(a, field), fieldValue(b, field));
      if (order !== 0) return descending ? -order : order;
    }
    return 0;
  });
}

export interface Paging {
  limit: number;
  skip: number;
}

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 100;

function parseCount(name: string, raw: unknown): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const text = asText(Array.isArray(raw) ? raw[0] : raw);
  if (!/^\d+$/.test(text)) throw badRequest(`${name} must be a non-negative integer`);
  return Number(text);
}

/** limit defaults to 10 and may not exceed 100 (the real API answers 400 beyond that). */
export function parsePaging(limitRaw: unknown, skipRaw: unknown): Paging {
  const limit = parseCount('limit', limitRaw) ?? DEFAULT_LIMIT;
  if (limit < 1 || limit > MAX_LIMIT) throw badRequest(`limit must be between 1 and ${MAX_LIMIT}`);
  return { limit, skip: parseCount('skip', skipRaw) ?? 0 };
}

export const page = <T>(records: readonly T[], { limit, skip }: Paging): T[] =>
  records.slice(skip, skip + limit);

/** `fields=email username` (v1, spaces) or `fields=name,description` (v2, commas). */
export function parseFields(raw: unknown): string[] | undefined {
  const fields = asList(raw)
    .flatMap((s) => s.split(/[\s,]+/))
    .filter((s) => s !== '');
  return fields.length > 0 ? fields : undefined;
}

/** Keep only `fields`, plus the ids the API always returns. */
export function project(doc: Doc, fields: readonly string[] | undefined, alwaysKept: readonly string[]): Doc {
  if (!fields) return doc;
  const out: Doc = {};
  for (const field of [...alwaysKept, ...fields]) {
    if (field in doc) out[field] = doc[field];
  }
  return out;
}
