import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  desiredJumpCloudFields,
  FIELD_MAPPING,
  MANAGED_FIELDS,
  type ManagedField,
} from '../../../domain/jumpcloud-fields.js';
import type { Employee } from '../../../domain/personio-record.js';
import { employee, emptyEmployee } from './employee-fixture.js';

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

  // Each JumpCloud field a Personio value fills, and that value: empty, the field is "".
  const fromEmpty: [field: ManagedField, personio: keyof Employee][] = [
    ['email', 'email'],
    ['jobTitle', 'position'],
    ['employeeType', 'employmentType'],
    ['company', 'subcompany'],
    ['location', 'office'],
    ['department', 'department'],
    ['costCenter', 'costCenters'],
  ];
  const allEmpty = desiredJumpCloudFields(emptyEmployee({ emailProblem: 'missing' }));
  for (const [field, personio] of fromEmpty) {
    it(`writes "" to ${field} for an empty ${personio}`, () => {
      assert.equal(allEmpty[field], '', 'every value empty');
      const one = desiredJumpCloudFields(employee({ [personio]: personio === 'costCenters' ? [] : null }));
      assert.equal(one[field], '', `only ${personio} empty`);
    });
  }

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
