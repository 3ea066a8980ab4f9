import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  departmentKey,
  distinctDepartments,
  findDuplicateEmails,
  findSharedUsernameBases,
  findSupervisorCycles,
  findSupervisorsNotImported,
  type DirectoryEntry,
} from '../../../domain/directory-scan.js';

const entry = (personioId: number, overrides: Partial<DirectoryEntry> = {}): DirectoryEntry => ({
  personioId,
  email: `person${personioId}@example.com`,
  supervisorId: null,
  status: 'active',
  department: null,
  ...overrides,
});

describe('findDuplicateEmails', () => {
  it('finds nothing when every address is different', () => {
    assert.deepEqual(findDuplicateEmails([entry(1), entry(2), entry(3, { email: null })]), []);
  });

  it('holds back both employees of an address that differs only in case', () => {
    const entries = [
      entry(10, { email: 'Anna@Example.com' }),
      entry(3),
      entry(4, { email: 'anna@example.com' }),
    ];
    assert.deepEqual(findDuplicateEmails(entries), [
      { personioId: 4, reason: 'email shared with Personio employee 10: fix it in Personio' },
      { personioId: 10, reason: 'email shared with Personio employee 4: fix it in Personio' },
    ]);
  });

  it('gives the same answer whatever the order', () => {
    const entries = [
      entry(1, { email: 'x@example.com' }),
      entry(2, { email: 'X@example.com' }),
      entry(3, { email: 'x@example.com' }),
    ];
    assert.deepEqual(findDuplicateEmails(entries), findDuplicateEmails([...entries].reverse()));
    assert.equal(
      findDuplicateEmails(entries)[0]?.reason,
      'email shared with Personio employees 2, 3: fix it in Personio',
    );
  });

  it('summarises a long list of sharers', () => {
    const entries = Array.from({ length: 9 }, (_, i) => entry(i + 1, { email: 'hr@example.com' }));
    assert.equal(
      findDuplicateEmails(entries)[0]?.reason,
      'email shared with Personio employees 2, 3, 4, 5, 6 and 3 more: fix it in Personio',
    );
  });

  it('does not count the same employee listed twice as a duplicate', () => {
    assert.deepEqual(findDuplicateEmails([entry(1), entry(1)]), []);
  });

  it('ignores empty addresses', () => {
    assert.deepEqual(findDuplicateEmails([entry(1, { email: '' }), entry(2, { email: '' })]), []);
    assert.deepEqual(findDuplicateEmails([entry(1, { email: ' ' }), entry(2, { email: '  ' })]), []);
  });

  it('compares addresses without surrounding spaces, and by lower case only', () => {
    assert.deepEqual(
      findDuplicateEmails([
        entry(1, { email: ' anna@example.com' }),
        entry(2, { email: 'ANNA@example.com ' }),
      ]).map((h) => h.personioId),
      [1, 2],
    );
    // Upper-casing would make "ß" and "ss" one address; they are two.
    assert.deepEqual(
      findDuplicateEmails([
        entry(1, { email: 'straße@example.com' }),
        entry(2, { email: 'strasse@example.com' }),
      ]),
      [],
    );
  });

  it('lists the employees of several shared addresses by id, whatever address came first', () => {
    const entries = [
      entry(5, { email: 'a@example.com' }),
      entry(1, { email: 'b@example.com' }),
      entry(6, { email: 'a@example.com' }),
      entry(2, { email: 'b@example.com' }),
    ];
    assert.deepEqual(
      findDuplicateEmails(entries).map((h) => h.personioId),
      [1, 2, 5, 6],
    );
  });

  it('lists up to five other sharers in full', () => {
    const entries = Array.from({ length: 6 }, (_, i) => entry(i + 1, { email: 'hr@example.com' }));
    assert.equal(
      findDuplicateEmails(entries)[0]?.reason,
      'email shared with Personio employees 2, 3, 4, 5, 6: fix it in Personio',
    );
  });
});

describe('findSupervisorCycles', () => {
  it('finds nothing in a tree', () => {
    const entries = [
      entry(1),
      entry(2, { supervisorId: 1 }),
      entry(3, { supervisorId: 2 }),
      entry(4, { supervisorId: 99 }),
    ];
    assert.deepEqual(findSupervisorCycles(entries), []);
  });

  it('finds a self-loop', () => {
    assert.deepEqual(
      findSupervisorCycles([entry(1, { supervisorId: 1 }), entry(2, { supervisorId: 1 })]),
      [1],
    );
  });

  it('finds a 2-cycle', () => {
    assert.deepEqual(
      findSupervisorCycles([entry(5, { supervisorId: 6 }), entry(6, { supervisorId: 5 })]),
      [5, 6],
    );
  });

  it('finds a 3-cycle but not the employees reporting into it', () => {
    const entries = [
      entry(1, { supervisorId: 2 }),
      entry(2, { supervisorId: 3 }),
      entry(3, { supervisorId: 1 }),
      entry(4, { supervisorId: 1 }),
      entry(5, { supervisorId: 4 }),
    ];
    assert.deepEqual(findSupervisorCycles(entries), [1, 2, 3]);
    assert.deepEqual(findSupervisorCycles([...entries].reverse()), [1, 2, 3]);
  });

  it('lists the employees of several cycles sorted by id, whatever order they were walked in', () => {
    const entries = [
      entry(6, { supervisorId: 5 }),
      entry(5, { supervisorId: 6 }),
      entry(2, { supervisorId: 1 }),
      entry(1, { supervisorId: 2 }),
    ];
    assert.deepEqual(findSupervisorCycles(entries), [1, 2, 5, 6]);
  });

  it('scans a 100,000-long chain closing into a cycle without deep recursion', (t) => {
    const size = 100_000;
    const entries = Array.from({ length: size }, (_, i) => entry(i + 1, { supervisorId: i + 2 }));
    entries[size - 1] = entry(size, { supervisorId: size - 2 }); // 99998 → 99999 → 100000 → 99998
    const cycleOfAll = entries.map((e, i) => ({ ...e, supervisorId: i === size - 1 ? 1 : i + 2 }));
    const started = performance.now();
    const cycles = findSupervisorCycles(entries);
    const wholeCycle = findSupervisorCycles(cycleOfAll);
    const elapsed = performance.now() - started;
    assert.deepEqual(cycles, [size - 2, size - 1, size]);
    assert.equal(wholeCycle.length, size);
    // Without deep recursion it finishes at all (a recursive walk overflows the stack); how
    // fast is the benchmark's business.
    t.diagnostic(`took ${Math.round(elapsed)} ms`);
  });
});

describe('distinctDepartments', () => {
  it('lists each department once, ignoring case and spacing, sorted', () => {
    const entries = [
      entry(1, { department: 'sales' }),
      entry(2, { department: 'Engineering' }),
      entry(3, { department: 'Sales' }),
      entry(4, { department: null }),
      entry(5, { department: ' Customer   Support ' }),
      entry(6, { department: 'customer support' }),
    ];
    assert.deepEqual(distinctDepartments(entries), ['Customer Support', 'Engineering', 'Sales']);
    assert.deepEqual(distinctDepartments([...entries].reverse()), [
      'Customer Support',
      'Engineering',
      'Sales',
    ]);
  });
});

describe('departmentKey', () => {
  it('is the name trimmed, its runs of whitespace one space, in lower case', () => {
    assert.equal(departmentKey(' Customer \t  Support '), 'customer support');
    assert.equal(departmentKey('Sales'), departmentKey('sales'));
  });

  it('ignores a department that is only whitespace', () => {
    assert.deepEqual(
      distinctDepartments([entry(1, { department: '   ' }), entry(2, { department: 'Sales' })]),
      ['Sales'],
    );
  });
});

describe('findSharedUsernameBases', () => {
  it('lists every employee whose base another one shares, so none gets the plain base by luck', () => {
    const entries = [
      { personioId: 3, baseUsername: 'anna' },
      { personioId: 1, baseUsername: 'anna' },
      { personioId: 2, baseUsername: 'bob' },
      { personioId: 2, baseUsername: 'bob' },
    ];
    assert.deepEqual(findSharedUsernameBases(entries), [1, 3]);
  });
});

describe('findSupervisorsNotImported', () => {
  it('lists the named supervisors the run leaves out, and only those, by id', () => {
    const entries = [
      entry(1),
      entry(2, { supervisorId: 1 }), // an active supervisor: imported
      entry(3, { supervisorId: 9 }), // 9 is not in the directory
      entry(4, { status: 'inactive' }),
      entry(5, { supervisorId: 4 }), // an inactive supervisor
      entry(6, { email: null }),
      entry(7, { supervisorId: 6 }), // a supervisor without email
      entry(8, { status: 'onboarding', supervisorId: 11 }),
      entry(11, { status: 'onboarding' }), // onboarding: imported
      entry(12, { supervisorId: 13 }),
      entry(13), // held back below
      entry(14, { supervisorId: 13 }),
      entry(15, { status: 'inactive' }), // left out, but nobody's supervisor
    ];
    assert.deepEqual(
      findSupervisorsNotImported(entries, [{ personioId: 13, reason: 'shared email' }]),
      [4, 6, 9, 13],
    );
  });
});
