// JumpCloud usernames for new users.
//
// Activities only: this file imports @sindresorhus/transliterate, whose tables workflow code has
// no use for. Workflows never compute usernames; the staging activity does, once, at creation
// (a username never changes afterwards).
//
// The rule:
// 1. Source: the local part of the e-mail address, without a `+tag` sub-address; when there is
//    no e-mail (or nothing usable is left of it), "first.last".
// 2. Transliterate with German rules (ü → ue, ß → ss; other accents stripped; Cyrillic, Greek
//    and other scripts romanised), then lower-case.
// 3. Apostrophes vanish (O'Brien → obrien); any other character outside a-z 0-9 . - _ becomes
//    a dot; runs of . - _ shrink to their first character; none at either end.
// 4. It must start with a letter: a leading digit gets a `u` in front.
// 5. At most 30 characters (cut, then trailing punctuation removed).
// 6. Nothing left at all (e.g. a name only in Han characters) → "user"; the collision variants
//    below then make it unique.
import transliterate from '@sindresorhus/transliterate';

export const USERNAME_MAX_LENGTH = 30;

const VALID_USERNAME = /^[A-Za-z][A-Za-z0-9._-]*$/;
const APOSTROPHES = /['’‘`´ʼ]/g;
const NOT_ALLOWED = /[^a-z0-9._-]/g; // each becomes a dot; PUNCTUATION_RUN then makes a run one
const PUNCTUATION_RUN = /[._-]+/g;
const EDGE_PUNCTUATION = /^[._-]+|[._-]+$/g;
const FALLBACK_USERNAME = 'user';

/** JumpCloud's rules: starts with a letter; letters, digits, `.`, `-`, `_`; at most 30 characters. */
export function isValidUsername(username: string): boolean {
  return username.length <= USERNAME_MAX_LENGTH && VALID_USERNAME.test(username);
}

export function baseUsername(email: string | null, firstName: string, lastName: string): string {
  const fromEmail = email === null ? '' : simplify(emailLocalPart(email));
  if (fromEmail !== '') return fitToRules(fromEmail);
  const fromName = simplify(`${firstName}.${lastName}`);
  return fitToRules(fromName !== '' ? fromName : FALLBACK_USERNAME);
}

/**
 * The username to try on attempt `attempt` (0-based) after the earlier ones were taken.
 * 0 → the base; 1 → `base.<personioId>`; n ≥ 2 → `base.<personioId>.<n>`; the base is shortened
 * so the result stays within 30 characters. Depends only on its arguments, never on timing or on
 * which other users happened to be created first, and the Personio id makes attempt 1 unique
 * among Personio employees.
 */
export function usernameCandidate(base: string, personioId: number, attempt: number): string {
  if (!Number.isSafeInteger(attempt) || attempt < 0) {
    throw new RangeError(`usernameCandidate: attempt must be a whole number ≥ 0; got ${attempt}`);
  }
  if (!Number.isSafeInteger(personioId) || personioId <= 0) {
    throw new RangeError(`usernameCandidate: personioId must be a positive whole number; got ${personioId}`);
  }
  const safeBase = fitToRules(simplify(base) || FALLBACK_USERNAME);
  if (attempt === 0) return safeBase;
  const suffix = attempt === 1 ? `.${personioId}` : `.${personioId}.${attempt}`;
  if (suffix.length >= USERNAME_MAX_LENGTH) {
    throw new RangeError(`usernameCandidate: no room for a username with suffix '${suffix}'`);
  }
  // Stryker disable next-line StringLiteral: never used: the base starts with a letter (fitToRules) and keeps at least one character
  const stem = trimPunctuation(safeBase.slice(0, USERNAME_MAX_LENGTH - suffix.length)) || 'u';
  return `${stem}${suffix}`;
}

function emailLocalPart(email: string): string {
  const at = email.lastIndexOf('@');
  const local = at === -1 ? email : email.slice(0, at);
  const plus = local.indexOf('+');
  return plus === -1 ? local : local.slice(0, plus);
}

/** Steps 2 and 3 of the rule; may return "". */
function simplify(text: string): string {
  const composed = text.normalize('NFC');
  // Stryker disable next-line ObjectLiteral,StringLiteral: German is also the package's default; the locale pins it
  const latin = transliterate(composed, { locale: 'de' }).toLowerCase();
  const allowed = latin.replace(APOSTROPHES, '').replace(NOT_ALLOWED, '.');
  return trimPunctuation(allowed.replace(PUNCTUATION_RUN, (run) => run.charAt(0)));
}

/** Steps 4 and 5 of the rule, for an already simplified, non-empty text. */
function fitToRules(simplified: string): string {
  const startsWithLetter = /^[a-z]/.test(simplified) ? simplified : `u${simplified}`;
  return trimPunctuation(startsWithLetter.slice(0, USERNAME_MAX_LENGTH));
}

function trimPunctuation(text: string): string {
  return text.replace(EDGE_PUNCTUATION, '');
}
