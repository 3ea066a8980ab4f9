/**
 * Tests that need what a bare clone lacks (the official API descriptions in ../shared/specs,
 * Chromium): without it, one skipped test whose line says what to install; with CI=true it is
 * required, and its absence fails.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';

/** True when present; otherwise registers the one skip (or, with CI=true, failure) line. */
export function required(what: string, present: boolean, install: string): boolean {
  if (present) return true;
  const message = `${what} not found: ${install}`;
  if (process.env.CI === 'true') test(`${what} (required with CI=true)`, () => assert.fail(message));
  else test(what, { skip: message }, () => {});
  return false;
}
