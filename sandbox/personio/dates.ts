/**
 * Personio renders dates in the company's time zone with an explicit offset
 * ("2014-11-09T00:00:00+01:00"). The sandbox company sits in Europe/Berlin; the EU
 * summer-time rule is computed here so no time-zone database is needed.
 */

const MINUTE = 60_000;
export const DAY_MS = 86_400_000;

/** Last Sunday of a month at 01:00 UTC: when EU summer time starts (March) or ends (October). */
function lastSundayAt0100Utc(year: number, monthIndex: number): number {
  const lastDay = new Date(Date.UTC(year, monthIndex + 1, 0));
  const lastSunday = lastDay.getUTCDate() - lastDay.getUTCDay();
  return Date.UTC(year, monthIndex, lastSunday, 1);
}

/** Europe/Berlin offset from UTC in minutes at an instant: 120 in summer, 60 otherwise. */
export function berlinOffsetMinutes(utcMs: number): number {
  const year = new Date(utcMs).getUTCFullYear();
  return utcMs >= lastSundayAt0100Utc(year, 2) && utcMs < lastSundayAt0100Utc(year, 9) ? 120 : 60;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** An instant as Personio shows it: local wall time plus offset (Berlin unless given). */
export function formatDateTime(utcMs: number, offsetMinutes = berlinOffsetMinutes(utcMs)): string {
  const local = new Date(utcMs + offsetMinutes * MINUTE);
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    formatOffset(offsetMinutes)
  );
}

/**
 * A calendar date (hire date, termination date) as local midnight. `offsetMinutes` overrides
 * the seasonal offset, for the odd historical ones (+00:53) real accounts contain.
 */
export function formatDate(year: number, month: number, day: number, offsetMinutes?: number): string {
  const noonUtc = Date.UTC(year, month - 1, day, 12);
  const offset = offsetMinutes ?? berlinOffsetMinutes(noonUtc);
  return `${year}-${pad(month)}-${pad(day)}T00:00:00${formatOffset(offset)}`;
}

/** Local midnight of the calendar day (in Berlin) that contains an instant. */
export function formatDayOf(utcMs: number): string {
  const local = new Date(utcMs + berlinOffsetMinutes(utcMs) * MINUTE);
  return formatDate(local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate());
}

/** Parse a date Personio rendered (always carries an offset). NaN when malformed. */
export function parseDateTime(value: string): number {
  return Date.parse(value);
}

const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/;
const isoDateTime =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * `updated_since` accepts ISO 8601 ("2022-12-24T08:15:30", with or without offset) or
 * "YYYY-MM-DD". Without an offset the value is read in the company time zone, as Personio
 * does. Returns epoch ms, or null when the value is not a real date.
 */
export function parseUpdatedSince(value: string): number | null {
  const d = dateOnly.exec(value);
  const t = d ? null : isoDateTime.exec(value);
  const parts = d ?? t;
  if (!parts) return null;
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const [hour, minute, second] = t ? [Number(t[4]), Number(t[5]), Number(t[6] ?? 0)] : [0, 0, 0];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const wallAsUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  // Reject 2023-02-30 and friends: Date.UTC would roll them over silently.
  if (new Date(wallAsUtc).getUTCDate() !== day) return null;
  const zone = t?.[7];
  if (zone === undefined) return wallAsUtc - berlinOffsetMinutes(wallAsUtc) * MINUTE;
  if (zone === 'Z') return wallAsUtc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return wallAsUtc - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * MINUTE;
}

/** "2025-03-01" or a full Personio date → the Personio rendering of that calendar day. */
export function normaliseCalendarDate(value: string): string | null {
  const d = dateOnly.exec(value.slice(0, 10));
  if (!d) return null;
  const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  if (parseUpdatedSince(`${d[1]}-${d[2]}-${d[3]}`) === null) return null;
  return formatDate(year, month, day);
}
