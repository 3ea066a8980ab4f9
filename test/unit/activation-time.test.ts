import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decideFromJumpCloud,
  decideFromPersonio,
  type ActivationCheck,
} from '../../activities/activation.js';
import type { SystemUser } from '../../clients/jumpcloud.js';
import {
  ActivationTimeError,
  activationDue,
  activationInstant,
  calendarDate,
  millisUntil,
} from '../../domain/activation-time.js';
import { rawEmployee } from './domain/personio-fixtures.js';

describe('activationInstant', () => {
  it('takes the hire date as Personio wrote it, never shifted by the offset', () => {
    // Midnight +01:00 is 23:00 UTC the day before; the activation is still on 1 December.
    assert.equal(
      activationInstant('2026-12-01T00:00:00+01:00', '09:00', 'Europe/Berlin'),
      '2026-12-01T08:00:00.000Z',
    );
    assert.equal(activationInstant('2026-12-01', '09:00', 'Europe/Berlin'), '2026-12-01T08:00:00.000Z');
  });

  it('follows summer time (CEST, UTC+2)', () => {
    assert.equal(
      activationInstant('2026-07-01T00:00:00+02:00', '09:00', 'Europe/Berlin'),
      '2026-07-01T07:00:00.000Z',
    );
  });

  it('is right on both DST change days', () => {
    // 2026-03-29: clocks go 02:00 → 03:00; 2026-10-25: 03:00 → 02:00 (Europe/Berlin).
    assert.equal(activationInstant('2026-03-29', '09:00', 'Europe/Berlin'), '2026-03-29T07:00:00.000Z');
    assert.equal(activationInstant('2026-10-25', '09:00', 'Europe/Berlin'), '2026-10-25T08:00:00.000Z');
    // A time inside the spring gap moves forward by the gap: 02:30 → 03:30 CEST.
    assert.equal(activationInstant('2026-03-29', '02:30', 'Europe/Berlin'), '2026-03-29T01:30:00.000Z');
    // A time that occurs twice in autumn is the second occurrence, 02:30 CET.
    assert.equal(activationInstant('2026-10-25', '02:30', 'Europe/Berlin'), '2026-10-25T01:30:00.000Z');
    // US zones change on other days: 2026-03-08 is already EDT in New York.
    assert.equal(activationInstant('2026-03-08', '09:00', 'America/New_York'), '2026-03-08T13:00:00.000Z');
  });

  it('ignores odd historical offsets in the hire date and uses the zone of that day', () => {
    // Personio writes Berlin's local mean time (+00:53:28) for early dates as +00:53.
    assert.equal(
      activationInstant('1893-03-31T00:00:00+00:53', '09:00', 'Europe/Berlin'),
      '1893-03-31T08:06:32.000Z',
    );
    // Converting "+00:53" midnight to UTC would give 30 November: the date stays 1 December.
    assert.equal(activationInstant('2026-12-01T00:00:00+00:53', '09:00', 'UTC'), '2026-12-01T09:00:00.000Z');
  });

  it('handles zones with non-hour offsets and zones west of UTC', () => {
    assert.equal(activationInstant('2026-07-01', '09:00', 'Asia/Kathmandu'), '2026-07-01T03:15:00.000Z');
    assert.equal(activationInstant('2026-07-01', '09:00', 'America/Los_Angeles'), '2026-07-01T16:00:00.000Z');
    // East of UTC past the date line: 09:00 on 1 July in Auckland is 30 June in UTC.
    assert.equal(activationInstant('2026-07-01', '09:00', 'Pacific/Auckland'), '2026-06-30T21:00:00.000Z');
  });

  it('rejects what it cannot turn into an instant, naming the problem', () => {
    assert.throws(
      () => activationInstant('01.12.2026', '09:00', 'UTC'),
      /hire date must start with YYYY-MM-DD/,
    );
    assert.throws(() => activationInstant('2026-02-30', '09:00', 'UTC'), /invalid hire date "2026-02-30"/);
    assert.throws(() => activationInstant('2026-12-01', '9:00', 'UTC'), /local time must be "HH:MM"/);
    assert.throws(() => activationInstant('2026-12-01', '24:00', 'UTC'), /local time must be "HH:MM"/);
    assert.throws(() => activationInstant('2026-12-01', '09:00', 'Mars/Olympus'), /unknown time zone/);
    assert.throws(() => activationInstant('x', '09:00', 'UTC'), ActivationTimeError);
  });
});

describe('activationDue and millisUntil', () => {
  const at = '2026-12-01T08:00:00.000Z';
  const ms = Date.parse(at);

  it('is due from the instant on, not a millisecond before', () => {
    assert.equal(activationDue(at, ms - 1), false);
    assert.equal(activationDue(at, ms), true);
    assert.equal(activationDue(at, ms + 86_400_000), true);
    assert.equal(millisUntil(at, ms - 3000), 3000);
  });

  it('rejects an unparsable instant instead of treating it as due', () => {
    assert.throws(() => activationDue('soon', ms), ActivationTimeError);
  });
});

describe('calendarDate', () => {
  it('is the date part as written', () => {
    assert.equal(calendarDate('2026-12-01T00:00:00+01:00'), '2026-12-01');
    assert.equal(calendarDate('2026-12-01'), '2026-12-01');
    assert.equal(calendarDate(null), null);
    assert.equal(calendarDate('soon'), null);
  });
});

describe('the check before an activation', () => {
  const check: ActivationCheck = {
    personioId: 1001,
    jumpcloudUserId: 'u1',
    activateAt: '2014-11-09T08:00:00.000Z',
    localTime: '09:00',
    timeZone: 'Europe/Berlin',
  };

  it('cancels for an employee Personio no longer has', () => {
    assert.deepEqual(decideFromPersonio(null, check), {
      kind: 'cancelled',
      reason: 'employee no longer in Personio',
    });
  });

  it('cancels for a leaver, whether by status or by a termination before the start date', () => {
    for (const status of ['leave', 'inactive']) {
      assert.deepEqual(decideFromPersonio(rawEmployee({ status }), check), {
        kind: 'cancelled',
        reason: 'terminated before the start date',
      });
    }
    const withdrawn = rawEmployee({ status: 'onboarding', termination_date: '2014-11-01T00:00:00+01:00' });
    assert.equal(decideFromPersonio(withdrawn, check)?.kind, 'cancelled');
  });

  it('goes ahead for an active or onboarding employee whose hire date stands or moved earlier', () => {
    assert.equal(decideFromPersonio(rawEmployee({ status: 'onboarding' }), check), undefined);
    assert.equal(
      decideFromPersonio(rawEmployee({ hire_date: '2014-10-01T00:00:00+02:00' }), check),
      undefined,
    );
    assert.equal(decideFromPersonio(rawEmployee({ hire_date: null }), check), undefined);
  });

  it('waits again when the hire date moved later (and that date is still ahead)', () => {
    const later = rawEmployee({ status: 'onboarding', hire_date: '2099-01-04T00:00:00+01:00' });
    assert.deepEqual(decideFromPersonio(later, check), {
      kind: 'wait',
      activateAt: '2099-01-04T08:00:00.000Z',
    });
    // Moved later, but that day has passed too (the worker was down): activate now.
    const passed = rawEmployee({ hire_date: '2015-01-05T00:00:00+01:00' });
    assert.equal(decideFromPersonio(passed, check), undefined);
  });

  it('acts on the JumpCloud state: STAGED activates, ACTIVATED is done, SUSPENDED or missing cancels', () => {
    const user = (state: SystemUser['state']): SystemUser => ({
      _id: 'u1',
      username: 'a',
      email: 'a@b.c',
      state,
    });
    assert.deepEqual(decideFromJumpCloud(user('STAGED')), { kind: 'activate', userId: 'u1' });
    assert.deepEqual(decideFromJumpCloud(user('ACTIVATED')), {
      kind: 'already-active',
      jumpcloudUserId: 'u1',
    });
    assert.equal(decideFromJumpCloud(user('SUSPENDED')).kind, 'cancelled');
    assert.deepEqual(decideFromJumpCloud(null), {
      kind: 'cancelled',
      reason: 'JumpCloud user no longer exists',
    });
  });
});

describe('what an activation time accepts', () => {
  const at = (hireDate: string, localTime = '08:00') => activationInstant(hireDate, localTime, 'UTC');
  const refused = { name: 'ActivationTimeError' };

  it('a date at the start, spaces around it ignored; nothing before it', () => {
    assert.equal(at(' 2026-12-01 '), '2026-12-01T08:00:00.000Z');
    assert.equal(calendarDate(' 2026-12-01T00:00:00+01:00 '), '2026-12-01');
    assert.throws(() => at('on 2026-12-01'), refused);
    assert.equal(calendarDate('on 2026-12-01'), null);
  });

  it('HH:MM or HH:MM:SS and nothing around it', () => {
    assert.equal(at('2026-12-01', '08:00:07'), '2026-12-01T08:00:07.000Z');
    assert.equal(at('2026-12-01', '23:59:59'), '2026-12-01T23:59:59.000Z');
    for (const localTime of ['x08:00', '08:00x', '08:00:60', '08:00:7', '08:00:0x', '24:00'])
      assert.throws(() => at('2026-12-01', localTime), refused, localTime);
  });

  it('an unparsable instant is named', () => {
    assert.throws(() => millisUntil('soon', 0), {
      name: 'ActivationTimeError',
      message: 'not an ISO 8601 instant: "soon"',
    });
  });
});
