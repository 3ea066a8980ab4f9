/**
 * The per-employee decision (domain/employee-plan.ts), table-driven: every Personio status ×
 * the matched JumpCloud user's state (or none) × reactivation allowed or not × how the user
 * was matched (by employeeIdentifier, by email, none, an email someone else owns) × an email
 * problem, each with the outcome the README's status rules give and the write it implies.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  asValueChange,
  createdFieldNames,
  matchByEmail,
  planEmployee,
  stateOf,
  type EmployeePlan,
  type JumpCloudUser,
  type Match,
} from '../../../domain/employee-plan.js';
import { desiredJumpCloudUser } from '../../../domain/jumpcloud-fields.js';
import type { EmailProblem, EmployeeStatus } from '../../../domain/personio-record.js';
import { EMPLOYEE_STATUSES } from '../../../domain/personio-record.js';
import { REACTIVATION_NOT_ALLOWED, type JumpCloudUserState } from '../../../domain/status-rules.js';
import { employee } from './employee-fixture.js';

const PERSONIO_ID = 1001;
const desired = desiredJumpCloudUser(employee({ personioId: PERSONIO_ID }));

/** A JumpCloud user as the import would leave it, in `state`. */
function user(state: JumpCloudUserState, overrides: Record<string, unknown> = {}): JumpCloudUser {
  return { _id: 'u1', username: 'anna.schmidt', state, ...desired.fields, ...overrides };
}

type Existing = JumpCloudUserState | 'none';
type Expected = 'created' | 'updated' | 'unchanged' | 'suspended' | 'reactivated' | `skipped: ${string}`;

/**
 * [status][existing state] → [reactivation not allowed, allowed], for a user already as
 * desired (a changed field turns `unchanged` into `updated`; see below).
 */
const OUTCOMES: Record<EmployeeStatus, Record<Existing, [Expected, Expected]>> = {
  active: {
    none: ['created', 'created'],
    STAGED: ['unchanged', 'unchanged'],
    ACTIVATED: ['unchanged', 'unchanged'],
    SUSPENDED: [`skipped: ${REACTIVATION_NOT_ALLOWED}`, 'reactivated'],
  },
  onboarding: {
    none: ['created', 'created'],
    STAGED: ['unchanged', 'unchanged'],
    ACTIVATED: ['unchanged', 'unchanged'],
    SUSPENDED: [`skipped: ${REACTIVATION_NOT_ALLOWED}`, 'reactivated'],
  },
  leave: {
    none: ['skipped: status leave: not imported', 'skipped: status leave: not imported'],
    STAGED: ['suspended', 'suspended'],
    ACTIVATED: ['suspended', 'suspended'],
    SUSPENDED: ['unchanged', 'unchanged'],
  },
  inactive: {
    none: ['skipped: status inactive: not imported', 'skipped: status inactive: not imported'],
    STAGED: ['suspended', 'suspended'],
    ACTIVATED: ['suspended', 'suspended'],
    SUSPENDED: ['unchanged', 'unchanged'],
  },
};

/** How the existing user (if any) was found. */
const MATCHES = {
  'by employeeIdentifier': (u: JumpCloudUser | null): Match => ({
    user: u && { ...u, employeeIdentifier: String(PERSONIO_ID) },
  }),
  'by email (a user made by hand: adopted)': (u: JumpCloudUser | null): Match =>
    matchByEmail(PERSONIO_ID, u && { ...u, employeeIdentifier: null }),
  'by email (already this employee’s)': (u: JumpCloudUser | null): Match =>
    matchByEmail(PERSONIO_ID, u && { ...u, employeeIdentifier: String(PERSONIO_ID) }),
} as const;

function outcomeOf(plan: EmployeePlan): Expected {
  if (plan.kind === 'skip') return `skipped: ${plan.reason}`;
  if (plan.kind === 'create') return 'created';
  return plan.outcome;
}

describe('planEmployee: status × JumpCloud state × reactivation × match', () => {
  for (const status of EMPLOYEE_STATUSES)
    for (const existing of ['none', 'STAGED', 'ACTIVATED', 'SUSPENDED'] as const)
      for (const [i, allowReactivation] of [false, true].entries())
        for (const [how, match] of Object.entries(MATCHES)) {
          if (existing === 'none' && how !== 'by employeeIdentifier') continue; // nothing matched
          // An adopted user gets the employee's id written: `unchanged` becomes `updated`.
          const adopted = how.includes('adopted');
          const table = OUTCOMES[status][existing][i]!;
          const expected = adopted && table === 'unchanged' ? 'updated' : table;
          it(`${status}, ${existing === 'none' ? 'no user' : `${existing} user matched ${how}`}, reactivation ${allowReactivation ? 'allowed' : 'not allowed'} → ${expected}`, () => {
            const found = existing === 'none' ? null : user(existing);
            const plan = planEmployee({ status }, match(found), desired, {
              createState: 'STAGED',
              allowReactivation,
            });
            assert.equal(outcomeOf(plan), expected);
            // The write each outcome implies: a state change only where the outcome says so.
            if (plan.kind === 'change') {
              const idWritten = adopted ? { employeeIdentifier: String(PERSONIO_ID) } : {};
              assert.deepEqual(
                plan.changes.map((c) => c.field),
                Object.keys(idWritten),
              );
              const state = { suspended: 'SUSPENDED', reactivated: 'ACTIVATED' }[plan.outcome as string];
              assert.deepEqual(plan.patch, { ...idWritten, ...(state ? { state } : {}) });
              assert.equal(plan.user._id, 'u1');
            }
            if (plan.kind === 'skip') assert.equal(plan.user?._id, found?._id);
          });
        }
});

describe('planEmployee: the fields and the created state', () => {
  const rules = { createState: 'ACTIVATED' as const, allowReactivation: false };

  it('creates in the configured state with the desired fields', () => {
    assert.deepEqual(planEmployee({ status: 'active' }, { user: null }, desired, rules), {
      kind: 'create',
      state: 'ACTIVATED',
      desired,
    });
  });

  for (const problem of ['missing', 'invalid'] as EmailProblem[])
    it(`skips a new user whose email is ${problem} (JumpCloud needs one), and says where to fix it`, () => {
      const plan = planEmployee({ status: 'active', emailProblem: problem }, { user: null }, desired, rules);
      assert.equal(plan.kind, 'skip');
      assert.match(outcomeOf(plan), new RegExp(`email ${problem} in Personio`));
    });

  it('an email problem does not stop an existing user from being updated', () => {
    const plan = planEmployee(
      { status: 'active', emailProblem: 'missing' },
      { user: user('ACTIVATED', { jobTitle: 'Intern' }) },
      desired,
      rules,
    );
    assert.equal(outcomeOf(plan), 'updated');
  });

  it('a changed field is updated, with old → new values and the PUT body', () => {
    const plan = planEmployee(
      { status: 'active' },
      { user: user('ACTIVATED', { jobTitle: 'Intern' }) },
      desired,
      rules,
    );
    assert.ok(plan.kind === 'change');
    assert.equal(plan.outcome, 'updated');
    assert.deepEqual(plan.patch, { jobTitle: desired.fields.jobTitle });
    assert.deepEqual(plan.valueChanges, [{ field: 'jobTitle', from: 'Intern', to: desired.fields.jobTitle }]);
    assert.equal(plan.leftDepartment, null);
  });

  it('a leaver with changed fields is suspended and updated in one write', () => {
    const plan = planEmployee(
      { status: 'inactive' },
      { user: user('ACTIVATED', { location: 'Berlin' }) },
      desired,
      rules,
    );
    assert.ok(plan.kind === 'change');
    assert.equal(plan.outcome, 'suspended');
    assert.deepEqual(plan.patch, { location: desired.fields.location, state: 'SUSPENDED' });
  });

  it('a mover names the department they leave (its group is left too); none when it was empty', () => {
    const moved = planEmployee(
      { status: 'active' },
      { user: user('ACTIVATED', { department: 'Sales' }) },
      desired,
      rules,
    );
    assert.ok(moved.kind === 'change');
    assert.equal(moved.leftDepartment, 'Sales');
    const fromNone = planEmployee(
      { status: 'active' },
      { user: user('ACTIVATED', { department: '' }) },
      desired,
      rules,
    );
    assert.ok(fromNone.kind === 'change');
    assert.equal(fromNone.leftDepartment, null);
  });

  it('a match conflict skips with its reason and no user', () => {
    assert.deepEqual(planEmployee({ status: 'active' }, { conflict: 'why' }, desired, rules), {
      kind: 'skip',
      reason: 'why',
      user: null,
    });
  });
});

describe('matchByEmail', () => {
  it('no user with that email: no match', () => {
    assert.deepEqual(matchByEmail(PERSONIO_ID, null), { user: null });
  });
  it('a user that is another employee’s: a conflict naming the user and the fix', () => {
    const match = matchByEmail(PERSONIO_ID, user('ACTIVATED', { employeeIdentifier: '2002' }));
    assert.ok('conflict' in match);
    assert.match(
      match.conflict,
      /JumpCloud user u1 \(employeeIdentifier 2002\): fix the email in Personio or JumpCloud/,
    );
  });
  it('a user without an employeeIdentifier, or this employee’s: adopted', () => {
    for (const owner of [undefined, null, '', String(PERSONIO_ID)]) {
      const found = user('STAGED', { employeeIdentifier: owner });
      assert.deepEqual(matchByEmail(PERSONIO_ID, found), { user: found });
    }
  });
});

describe('stateOf, asValueChange, createdFieldNames', () => {
  it('reads the state, or `suspended` where a user has no state', () => {
    assert.equal(stateOf({ state: 'STAGED', suspended: true }), 'STAGED');
    assert.equal(stateOf({ suspended: true }), 'SUSPENDED');
    assert.equal(stateOf({ suspended: false }), 'ACTIVATED');
    assert.equal(stateOf({}), 'ACTIVATED');
  });
  it('shows values as text (other values as JSON)', () => {
    assert.deepEqual(asValueChange({ field: 'a', from: 'x', to: [1] }), { field: 'a', from: 'x', to: '[1]' });
  });
  it('names the fields a new user gets (those with a value, and attributes when any)', () => {
    const names = createdFieldNames({
      fields: { ...desired.fields, jobTitle: '' },
      attributes: { values: [{ name: 'x', value: '1' }], managed: ['x'] },
    });
    assert.ok(!names.includes('jobTitle'));
    assert.ok(names.includes('firstname') && names.at(-1) === 'attributes');
    assert.ok(!createdFieldNames(desired).includes('attributes'));
    assert.deepEqual(
      createdFieldNames({ fields: desired.fields, attributes: { values: [], managed: [] } }),
      Object.entries(desired.fields)
        .filter(([, value]) => value !== '')
        .map(([field]) => field),
    );
  });
});
