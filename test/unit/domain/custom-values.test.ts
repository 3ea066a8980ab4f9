// How a mapping reads a Personio value (domain/personio-values.ts) and how the custom attributes
// it writes meet those a JumpCloud user already has (domain/custom-attributes.ts), value by value.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  attributesToWrite,
  attributeTextChanges,
  NO_DESIRED_ATTRIBUTES,
  type DesiredAttributes,
} from '../../../domain/custom-attributes.js';
import {
  customValue,
  isDynamicKey,
  isSourceKey,
  personioValue,
  STANDARD_SOURCE_KEYS,
} from '../../../domain/personio-values.js';
import { employee, emptyEmployee } from './employee-fixture.js';

describe('personioValue', () => {
  const full = employee({
    hireDate: '2026-12-01T00:00:00+01:00',
    terminationDate: '2027-06-30',
    lastModifiedAt: '2026-11-30T10:00:00+01:00',
    costCenters: [
      { id: 1, name: 'Support', percentage: 30 },
      { id: 2, name: 'Sales', percentage: 70 },
    ],
  });
  const empty = emptyEmployee();
  const table: [key: string, of: unknown, ofEmpty: unknown][] = [
    ['id', '1001', '1001'],
    ['first_name', 'Anna', 'Anna'],
    ['last_name', 'Schmidt', 'Schmidt'],
    ['email', 'anna.schmidt@example.com', ''],
    ['status', 'active', 'active'],
    ['position', 'Engineer', ''],
    ['employment_type', 'internal', ''],
    ['subcompany', 'CS Demo GmbH', ''],
    ['office', 'Munich', ''],
    ['department', 'Customer Support', ''],
    ['team', 'T_X', ''],
    ['cost_centers', ['Sales', 'Support'], []],
    ['hire_date', '2026-12-01T00:00:00+01:00', ''],
    ['termination_date', '2027-06-30', ''],
    ['last_modified_at', '2026-11-30T10:00:00+01:00', ''],
  ];
  for (const [key, of, ofEmpty] of table) {
    it(`${key}: the employee's value, "" or [] when empty`, () => {
      assert.deepEqual(personioValue(full, key), of);
      assert.deepEqual(personioValue(empty, key), ofEmpty);
    });
  }

  it('reads every standard key the table lists, and nothing else', () => {
    assert.deepEqual([...STANDARD_SOURCE_KEYS].sort(), table.map(([key]) => key).sort());
    assert.equal(personioValue(full, 'salary'), '');
    assert.equal(personioValue(full, 'toString'), '');
  });

  it('dynamic_<digits> only', () => {
    for (const key of ['dynamic_1', 'dynamic_51201']) assert.ok(isDynamicKey(key) && isSourceKey(key), key);
    for (const key of ['dynamic_', 'xdynamic_1', 'dynamic_1x', 'dynamic_a', 'Dynamic_1', 'salary'])
      assert.ok(!isDynamicKey(key) && !isSourceKey(key), key);
    assert.ok(isSourceKey('email'));
  });

  it('a custom value from a page employee, from a parsed record, or none', () => {
    const { dynamic: _, ...page } = employee();
    assert.equal(personioValue({ ...page, custom: { dynamic_1: 'M' } }, 'dynamic_1'), 'M');
    assert.equal(
      personioValue(
        employee({ dynamic: { dynamic_1: { label: 'Size', type: 'standard', value: 'L' } } }),
        'dynamic_1',
      ),
      'L',
    );
    assert.equal(personioValue(page, 'dynamic_1'), '', 'no custom values at all');
    assert.equal(personioValue({ ...page, custom: {} }, 'dynamic_1'), '');
    assert.equal(personioValue(full, 'not_dynamic_1'), '');
    // A key the mapping cannot read stays unread, even when a page happens to carry it.
    assert.equal(personioValue({ ...page, custom: { salary: '1' } }, 'salary'), '');
  });
});

describe('customValue', () => {
  const table: [what: string, raw: unknown, value: unknown][] = [
    ['text as is', 'M', 'M'],
    ['absent', undefined, ''],
    ['null', null, ''],
    ['a number as text', 42, '42'],
    ['a boolean as text', false, 'false'],
    ['an org unit as its name', { type: 'Team', attributes: { id: 3, name: 'Blue' } }, 'Blue'],
    ['a plain object with a name', { name: 'Blue' }, 'Blue'],
    ['a null attributes holder: the object itself', { attributes: null, name: 'Blue' }, 'Blue'],
    ['an object without a name as JSON', { id: 3 }, '{"id":3}'],
    ['an object with a non-text name as JSON', { name: 3 }, '{"name":3}'],
    [
      'a list: each item as text, the empty ones left out',
      ['a', null, '', 7, { name: 'b' }],
      ['a', '7', 'b'],
    ],
    ['anything else: nothing', Symbol('x'), ''],
  ];
  for (const [what, raw, value] of table) {
    it(what, () => assert.deepEqual(customValue(raw), value));
  }
});

describe('attributesToWrite', () => {
  const desired = (values: Record<string, string>, managed = Object.keys(values)): DesiredAttributes => ({
    managed,
    values: Object.entries(values).map(([name, value]) => ({ name, value })),
  });

  it('manages nothing without mapped attributes', () => {
    assert.deepEqual(NO_DESIRED_ATTRIBUTES, { managed: [], values: [] });
    assert.equal(attributesToWrite([{ name: 'a', value: '1' }], NO_DESIRED_ATTRIBUTES), undefined);
  });

  it('writes nothing when every managed attribute already has its value', () => {
    const have = [
      { name: 'shirtSize', value: 'M' },
      { name: 'desk', value: 7 },
      { name: 'own', value: 'x' },
    ];
    assert.equal(attributesToWrite(have, desired({ shirtSize: 'M', desk: '7' })), undefined);
  });

  it('writes the whole list when a value differs, one is missing, or one must go', () => {
    const have = [
      { name: 'shirtSize', value: 'L' },
      { name: 'own', value: 'x' },
      null,
      'odd',
      { value: 'no name' },
      { name: 3, value: 'x' },
    ];
    const kept = [{ name: 'own', value: 'x' }, null, 'odd', { value: 'no name' }, { name: 3, value: 'x' }];
    assert.deepEqual(attributesToWrite(have, desired({ shirtSize: 'M' })), {
      from: have,
      to: [...kept, { name: 'shirtSize', value: 'M' }],
    });
    assert.deepEqual(attributesToWrite(kept, desired({ shirtSize: 'M' }))?.to, [
      ...kept,
      { name: 'shirtSize', value: 'M' },
    ]);
    // Mapped but empty now: the attribute is removed.
    assert.deepEqual(attributesToWrite(have, desired({}, ['shirtSize']))?.to, kept);
    // Two managed, one differs.
    const two = [
      { name: 'a', value: '1' },
      { name: 'b', value: '2' },
    ];
    assert.deepEqual(attributesToWrite(two, desired({ a: '1', b: '3' }))?.to, [
      { name: 'a', value: '1' },
      { name: 'b', value: '3' },
    ]);
  });

  it('reads a user without attributes as one with none', () => {
    assert.deepEqual(attributesToWrite({ not: 'a list' }, desired({ a: '1' })), {
      from: [],
      to: [{ name: 'a', value: '1' }],
    });
  });
});

describe('attributeTextChanges', () => {
  const desired: DesiredAttributes = {
    managed: ['shirtSize', 'desk', 'badge'],
    values: [
      { name: 'shirtSize', value: 'M' },
      { name: 'desk', value: '7' },
    ],
  };

  it('one entry per managed attribute that differs, as text; the name spelled differently counts', () => {
    const have = [
      null, // entries that are not attributes come first: looking for a name passes over them
      { value: 'no name' },
      { name: 'shirtsize', value: 'M' },
      { name: 'desk', value: 7 },
      { name: 'badge' },
      { name: 'own', value: 'x' },
      null,
      { value: 'no name' },
      { name: 3, value: 'x' },
    ];
    assert.deepEqual(attributeTextChanges(have, desired), [
      { field: 'attributes.shirtSize', from: 'M', to: 'M' },
    ]);
  });

  it('absent, odd and object values', () => {
    assert.deepEqual(attributeTextChanges('not a list', desired), [
      { field: 'attributes.shirtSize', from: '', to: 'M' },
      { field: 'attributes.desk', from: '', to: '7' },
    ]);
    const have = [
      { name: 'shirtSize', value: true },
      { name: 'desk', value: { n: 7 } },
      { name: 'badge', value: 'B-1' },
    ];
    assert.deepEqual(attributeTextChanges(have, desired), [
      { field: 'attributes.shirtSize', from: 'true', to: 'M' },
      { field: 'attributes.desk', from: '{"n":7}', to: '7' },
      { field: 'attributes.badge', from: 'B-1', to: '' },
    ]);
  });
});
