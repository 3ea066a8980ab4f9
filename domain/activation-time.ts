// When a staged user is activated: on the hire date, at a configured time of day, in the
// company's time zone.
//
// Deterministic and free of Node built-ins (luxon uses only Intl and Date), so activities and,
// if ever needed, workflow code can share it. Time-zone arithmetic is luxon's: DST rules and
// historical offsets are exactly what hand-written offset math gets wrong.
import { DateTime } from 'luxon';

/** Activation on the hire date (the input's `activation`): at this local time, in this zone. */
export interface ActivationSettings {
  /** "HH:MM" */
  localTime: string;
  /** IANA, e.g. "Europe/Berlin" */
  timeZone: string;
}

/** The calendar date at the start of a Personio date or date-time, as written. */
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/;
/** "HH:MM", optionally with seconds (tests use them for timers a few seconds ahead). */
const LOCAL_TIME = /^([01][0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9]))?$/;

/** An input activationInstant cannot turn into an instant; the message names the value's problem. */
export class ActivationTimeError extends Error {
  override readonly name = 'ActivationTimeError';
}

/**
 * The UTC instant (ISO 8601, e.g. "2026-12-01T08:00:00.000Z") at which a user hired on
 * `hireDate` is activated: that calendar date at `localTime` ("HH:MM") in `timeZone` (IANA).
 *
 * The date is the one Personio wrote. Personio sends "2026-12-01T00:00:00+01:00": midnight in
 * the company's offset, which is 2026-11-30 in UTC. Converting first would activate a day early
 * in every zone east of UTC, so the offset is ignored and only the date part is used.
 *
 * DST: on the spring-forward day a local time inside the gap (02:30 in Berlin) does not exist
 * and moves forward by the gap (03:30 CEST); on the fall-back day a local time that occurs
 * twice (02:30 in Berlin) is the second occurrence, in standard time (02:30 CET). These are
 * luxon's rules; an activation time outside 02:00–03:00 never meets either case in Europe.
 */
export function activationInstant(hireDate: string, localTime: string, timeZone: string): string {
  const date = CALENDAR_DATE.exec(hireDate.trim());
  if (!date)
    throw new ActivationTimeError(`hire date must start with YYYY-MM-DD; got ${JSON.stringify(hireDate)}`);
  const time = LOCAL_TIME.exec(localTime);
  if (!time)
    throw new ActivationTimeError(
      `local time must be "HH:MM" (24-hour clock); got ${JSON.stringify(localTime)}`,
    );
  const local = DateTime.fromObject(
    {
      year: Number(date[1]),
      month: Number(date[2]),
      day: Number(date[3]),
      hour: Number(time[1]),
      minute: Number(time[2]),
      second: Number(time[3] ?? 0),
    },
    { zone: timeZone },
  );
  if (!local.isValid) {
    // luxon reports an unknown zone and an impossible date (2026-02-30) the same way: say which.
    const reason =
      local.invalidReason === 'unsupported zone'
        ? `unknown time zone ${JSON.stringify(timeZone)}`
        : `invalid hire date ${JSON.stringify(hireDate)}`;
    throw new ActivationTimeError(reason);
  }
  return local.toUTC().toISO();
}

/** Whether an activation instant has come: `now` is epoch milliseconds (Date.now() in a workflow is deterministic). */
export function activationDue(instant: string, now: number): boolean {
  return millisUntil(instant, now) <= 0;
}

/** Milliseconds from `now` until the instant; ≤ 0 once it has come. An unparsable instant throws. */
export function millisUntil(instant: string, now: number): number {
  const at = Date.parse(instant);
  if (Number.isNaN(at)) throw new ActivationTimeError(`not an ISO 8601 instant: ${JSON.stringify(instant)}`);
  return at - now;
}

/** The calendar date of a Personio date or date-time as written ("YYYY-MM-DD"), or null. */
export function calendarDate(personioDate: string | null | undefined): string | null {
  const date = personioDate ? CALENDAR_DATE.exec(personioDate.trim()) : null;
  return date ? `${date[1]}-${date[2]}-${date[3]}` : null;
}
