// The simple transforms a custom attribute mapping may apply to a Personio value on its way to
// JumpCloud: trim, lower, upper, first (item of a list) and date:<format>.
// Deterministic and free of Node built-ins: workflow code imports this file.
//
// Dates are never turned into instants: Personio sends "2014-11-09T00:00:00+01:00" in the
// company's offset, and going through UTC would move a midnight hire date to the day before.
// The digits are taken as written, so the date is the one HR sees in Personio.

/** A value read from Personio: text, or a list (tags, cost centers); empty is "" or []. */
export type MappedValue = string | readonly string[];

export type Transform = 'trim' | 'lower' | 'upper' | 'first' | `date:${string}`;

export const TRANSFORM_NAMES = ['trim', 'lower', 'upper', 'first', 'date:<format>'] as const;

const DATE_PREFIX = 'date:';
const DATE_TOKENS = ['yyyy', 'MM', 'dd', 'HH', 'mm'] as const;
type DateToken = (typeof DATE_TOKENS)[number];
type DatePart = { token: DateToken } | { literal: string };

// Date-only or date-time, as Personio writes them; the offset (if any) is deliberately ignored.
const PERSONIO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/;

/**
 * Why a transform is not one of ours, as "…: use …" text for the mapping file's error list;
 * undefined when it is fine.
 */
export function transformProblem(transform: string): string | undefined {
  if (transform.startsWith(DATE_PREFIX)) {
    const format = transform.slice(DATE_PREFIX.length);
    if (compileDateFormat(format) !== null) return undefined;
    return (
      `date format ${JSON.stringify(format)} is not supported: use the tokens ${DATE_TOKENS.join(', ')} ` +
      'and separators that are not letters, e.g. "date:yyyy-MM-dd" or "date:dd.MM.yyyy"'
    );
  }
  if ((['trim', 'lower', 'upper', 'first'] as const).some((name) => name === transform)) return undefined;
  return `unknown transform ${JSON.stringify(transform)}: use ${TRANSFORM_NAMES.join(', ')} (e.g. "date:yyyy-MM-dd")`;
}

/** Applies the transforms in order. Text transforms apply to every item of a list. */
export function applyTransforms(value: MappedValue, transforms: readonly Transform[]): MappedValue {
  let current = value;
  for (const transform of transforms) current = applyTransform(current, transform);
  return current;
}

/** A value as JumpCloud text: list items that are not empty, joined with ", ". */
export function asText(value: MappedValue): string {
  if (typeof value === 'string') return value;
  return value.filter((item) => item !== '').join(', ');
}

function applyTransform(value: MappedValue, transform: Transform): MappedValue {
  if (transform === 'first') return typeof value === 'string' ? value : (value[0] ?? '');
  const each = itemTransform(transform);
  return typeof value === 'string' ? each(value) : value.map(each);
}

function itemTransform(transform: Exclude<Transform, 'first'>): (text: string) => string {
  switch (transform) {
    case 'trim':
      return (text) => text.trim();
    case 'lower':
      // toLowerCase, not toLocaleLowerCase: a worker's locale must not change what is written.
      return (text) => text.toLowerCase();
    case 'upper':
      return (text) => text.toUpperCase();
    default: {
      const parts = compileDateFormat(transform.slice(DATE_PREFIX.length));
      // The schema rejects a bad format before a mapping is ever used; be safe anyway.
      if (parts === null) return () => '';
      return (text) => formatPersonioDate(text, parts);
    }
  }
}

/**
 * The date written with the format; "" when the text is not a date (a mistyped custom attribute
 * must not put a wrong date into JumpCloud). Hours and minutes of a date-only value are 00.
 */
function formatPersonioDate(text: string, parts: readonly DatePart[]): string {
  const match = PERSONIO_DATE.exec(text.trim());
  if (match === null) return '';
  const values: Record<DateToken, string> = {
    yyyy: match[1]!,
    MM: match[2]!,
    dd: match[3]!,
    HH: match[4] ?? '00',
    mm: match[5] ?? '00',
  };
  return parts.map((part) => ('token' in part ? values[part.token] : part.literal)).join('');
}

/** The format as tokens and literals; null when it holds a letter that is not part of a token. */
function compileDateFormat(format: string): DatePart[] | null {
  if (format === '') return null;
  const parts: DatePart[] = [];
  let rest = format;
  while (rest !== '') {
    const token = DATE_TOKENS.find((candidate) => rest.startsWith(candidate));
    if (token !== undefined) {
      parts.push({ token });
      rest = rest.slice(token.length);
      continue;
    }
    const char = rest[0]!;
    // A lone letter (yy, M, d, ss…) is most likely a token we do not support: refuse it rather
    // than print it literally.
    if (/\p{L}/u.test(char)) return null;
    parts.push({ literal: char });
    rest = rest.slice(1);
  }
  return parts;
}
