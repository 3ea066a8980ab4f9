import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { desiredJumpCloudFields } from '../../../domain/jumpcloud-fields.js';
import { diffUser } from '../../../domain/user-diff.js';
import { employee } from './employee-fixture.js';

const desired = desiredJumpCloudFields(employee());

describe('diffUser', () => {
  it('finds nothing when the user is up to date, so a re-run writes nothing', () => {
    assert.deepEqual(diffUser({ _id: 'x', username: 'anna', state: 'STAGED', ...desired }, desired), []);
  });

  it('lists each differing field with old and new value', () => {
    const existing = { ...desired, jobTitle: 'Intern', department: 'Sales' };
    assert.deepEqual(diffUser(existing, desired), [
      { field: 'jobTitle', from: 'Intern', to: 'Engineer' },
      { field: 'department', from: 'Sales', to: 'Customer Support' },
    ]);
  });

  it('reads undefined and null in JumpCloud as "" and equal to an empty desired value', () => {
    const emptyDesired = { ...desired, jobTitle: '', costCenter: '' };
    const existing: Record<string, unknown> = { ...desired, jobTitle: null };
    delete existing.costCenter;
    assert.deepEqual(diffUser(existing, emptyDesired), []);
  });

  it('clears a field that Personio emptied', () => {
    assert.deepEqual(diffUser(desired, { ...desired, location: '' }), [
      { field: 'location', from: 'Munich', to: '' },
    ]);
  });

  it('fills fields missing in JumpCloud', () => {
    const changes = diffUser({ email: desired.email }, desired);
    assert.equal(changes.length, Object.keys(desired).length - 1);
    assert.ok(changes.every((change) => change.from === ''));
  });

  it('compares e-mail addresses ignoring case', () => {
    assert.deepEqual(diffUser({ ...desired, email: 'Anna.Schmidt@Example.COM' }, desired), []);
    assert.deepEqual(diffUser({ ...desired, email: 'old@example.com' }, desired), [
      { field: 'email', from: 'old@example.com', to: 'anna.schmidt@example.com' },
    ]);
  });

  it('never clears an e-mail address when Personio has none', () => {
    assert.deepEqual(diffUser(desired, { ...desired, email: '' }), []);
  });

  it('never proposes a username change', () => {
    const changes = diffUser({ ...desired, username: 'someone.else' }, desired);
    assert.deepEqual(changes, []);
  });

  it('compares a non-text employeeIdentifier as text', () => {
    assert.deepEqual(diffUser({ ...desired, employeeIdentifier: 1001 }, desired), []);
  });

  it('reads an odd JumpCloud value (number, boolean, object) as its JSON text, a difference', () => {
    for (const [odd, text] of [
      [42, '42'],
      [true, 'true'],
      [{ name: 'x' }, '{"name":"x"}'],
      [['x'], '["x"]'],
    ] as const)
      assert.deepEqual(diffUser({ ...desired, department: odd }, desired), [
        { field: 'department', from: text, to: desired.department },
      ]);
  });
});
