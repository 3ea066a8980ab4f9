import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { desiredJumpCloudFields, FIELD_MAPPING, MANAGED_FIELDS } from '../../../domain/jumpcloud-fields.js';
import { employee } from './employee-fixture.js';

describe('desiredJumpCloudFields', () => {
  it('maps every Personio attribute to its JumpCloud field', () => {
    assert.deepEqual(desiredJumpCloudFields(employee()), {
      employeeIdentifier: '1001',
      firstname: 'Anna',
      lastname: 'Schmidt',
      displayname: 'Anna Schmidt',
      email: 'anna.schmidt@example.com',
      jobTitle: 'Engineer',
      employeeType: 'internal',
      company: 'CS Demo GmbH',
      location: 'Munich',
      department: 'Customer Support',
      costCenter: 'Support',
    });
  });

  it('writes "" for every empty Personio value', () => {
    const fields = desiredJumpCloudFields(
      employee({
        email: null,
        emailProblem: 'missing',
        position: null,
        employmentType: null,
        subcompany: null,
        office: null,
        department: null,
        costCenters: [],
      }),
    );
    for (const field of [
      'email',
      'jobTitle',
      'employeeType',
      'company',
      'location',
      'department',
      'costCenter',
    ] as const) {
      assert.equal(fields[field], '', field);
    }
  });

  it('uses the primary cost center', () => {
    const fields = desiredJumpCloudFields(
      employee({
        costCenters: [
          { id: 1, name: 'Support', percentage: 30 },
          { id: 2, name: 'Sales', percentage: 70 },
        ],
      }),
    );
    assert.equal(fields.costCenter, 'Sales');
  });

  it('produces exactly the managed fields, never username or state', () => {
    assert.deepEqual(Object.keys(desiredJumpCloudFields(employee())).sort(), [...MANAGED_FIELDS].sort());
    assert.ok(!(MANAGED_FIELDS as readonly string[]).includes('username'));
  });
});

describe('FIELD_MAPPING', () => {
  it('documents every managed field exactly once, as applied by the field diff', () => {
    const documented = FIELD_MAPPING.filter((row) => row.appliedBy === 'field-diff').map(
      (row) => row.jumpcloud,
    );
    assert.deepEqual([...documented].sort(), [...MANAGED_FIELDS].sort());
  });

  it('also documents state and manager, which other steps apply', () => {
    assert.deepEqual(
      FIELD_MAPPING.filter((row) => row.appliedBy !== 'field-diff').map((row) => row.jumpcloud),
      ['state', 'manager'],
    );
    const by = Object.fromEntries(FIELD_MAPPING.map((row) => [row.jumpcloud, row.appliedBy]));
    assert.equal(by.state, 'status-rules');
    assert.equal(by.manager, 'manager-linking');
  });
});
