/**
 * When a staged user should be activated (the input's `activation` on): their hire date at
 * the configured local time, if that lies ahead. Computed where the staging steps see the
 * employee and the user's state; the page workflow then keeps one durable timer per user
 * (workflows/activation-timers.ts).
 */
import { DateTime } from 'luxon';
import {
  activationInstant,
  activationDue,
  ActivationTimeError,
  calendarDate,
  type ActivationSettings,
} from '../domain/activation-time.js';
import type { PageEmployee } from './fetch-page.js';

export type { ActivationSettings } from '../domain/activation-time.js';

/**
 * The instant to activate at, or undefined: activation off, no hire date, or a hire date
 * before today. A starter imported on their hire date after its time (created late in their
 * first day) gets that instant although it has passed: the timer fires at once and activates
 * them, and the report says so; otherwise they would stay STAGED with nothing to tell.
 */
export function activateAtFor(
  employee: Pick<PageEmployee, 'hireDate'>,
  userState: string | undefined,
  activation: ActivationSettings | undefined,
  now = Date.now(),
): string | undefined {
  if (!activation || userState !== 'STAGED' || !employee.hireDate) return undefined;
  try {
    const instant = activationInstant(employee.hireDate, activation.localTime, activation.timeZone);
    if (!activationDue(instant, now)) return instant;
    const today = DateTime.fromMillis(now, { zone: activation.timeZone }).toISODate();
    return calendarDate(employee.hireDate) === today ? instant : undefined;
  } catch (err) {
    // An impossible hire date (Personio accepts 2026-02-30): no timer; the admin activates by hand.
    if (err instanceof ActivationTimeError) return undefined;
    throw err;
  }
}
