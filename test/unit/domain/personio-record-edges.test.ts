// The edges of reading a Personio record, attribute by attribute: which odd values are kept,
// which are emptied with a warning, and the exact warning an admin reads (it names the
// attribute, never its value). The main cases: personio-record.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeTags,
  isEmptyPersonioValue,
  parseEmployee,
  type Employee,
} from '../../../domain/personio-record.js';
import { JUMPCLOUD_TEXT_LIMIT } from '../../../domain/text-safety.js';
import { orgUnit, rawEmployee } from './personio-fixtures.js';

function parsed(raw: unknown): Employee {
  const result = parseEmployee(raw);
  assert.ok(result.ok, `expected the record to parse, got: ${JSON.stringify(result)}`);
  return result.employee;
}

const costCenter = (attributes: Record<string, unknown>) => ({ type: 'CostCenter', attributes });

describe('warnings name the attribute', () => {
  const long = 'x'.repeat(JUMPCLOUD_TEXT_LIMIT + 6);
  const cut = (key: string) =>
    `${key}: cut from ${JUMPCLOUD_TEXT_LIMIT + 6} to ${JUMPCLOUD_TEXT_LIMIT} characters (JumpCloud's limit; 6 characters cut)`;
  const table: [attributes: Record<string, unknown>, warning: string][] = [
    [{ first_name: long }, cut('first_name')],
    [{ last_name: long }, cut('last_name')],
    [{ position: long }, cut('position')],
    [{ subcompany: orgUnit('Subcompany', 1, long) }, cut('subcompany')],
    [{ office: orgUnit('Office', 1, long) }, cut('office')],
    [{ department: orgUnit('Department', 1, long) }, cut('department')],
    [{ team: orgUnit('Team', 1, long) }, cut('team')],
    [{ position: true }, 'position: not text; treated as empty'],
    [{ subcompany: 5 }, 'subcompany: unexpected shape; treated as empty'],
    [{ office: orgUnit('Office', 1, 5 as unknown as string) }, 'office: unexpected shape; treated as empty'],
    [{ team: { attributes: { id: 'one', name: 'T' } } }, 'team: unexpected shape; treated as empty'],
    [{ hire_date: '1.1.2021' }, 'hire_date: not an ISO 8601 date; treated as empty'],
    [{ termination_date: '31.12.2025' }, 'termination_date: not an ISO 8601 date; treated as empty'],
    [{ employment_type: 5 }, 'employment_type: neither internal nor external; treated as empty'],
    [{ employment_type: 'freelance' }, 'employment_type: neither internal nor external; treated as empty'],
    [
      { cost_centers: [costCenter({ id: 1, name: '  ' })] },
      'cost_centers: entry 0 has an unexpected shape; ignored',
    ],
    [
      { dynamic_7: { label: 'Size', value: 'M', type: 5 } },
      'dynamic_7: attribute is not wrapped as {label, value, type}; ignored',
    ],
  ];
  for (const [attributes, warning] of table) {
    it(`${Object.keys(attributes)[0]}: ${warning.slice(0, 60)}`, () => {
      assert.deepEqual(parsed(rawEmployee(attributes)).warnings, [warning]);
    });
  }

  it('a wrapper whose label is not text is not Personio’s wrapping', () => {
    const raw = rawEmployee();
    raw.attributes.position = { label: 5, value: 'Engineer', type: 'standard' };
    const employee = parsed(raw);
    assert.equal(employee.position, null);
    assert.deepEqual(employee.warnings, [
      'position: attribute is not wrapped as {label, value, type}; treated as empty',
    ]);
  });

  it('control characters in a name: removed, and said so', () => {
    const employee = parsed(rawEmployee({ first_name: 'An\u0007na', last_name: 'Sch\u202emidt' }));
    assert.deepEqual(employee.warnings, [
      'first_name: control or bidi-override characters removed',
      'last_name: control or bidi-override characters removed',
    ]);
  });

  it('something that is not a record: the reason says so', () => {
    assert.deepEqual(parseEmployee({ type: 'Employee' }), {
      ok: false,
      personioId: null,
      reason: 'record is not a Personio employee (no attributes object)',
    });
  });
});

describe('values kept and values emptied', () => {
  it('a number where text is expected is kept as text', () => {
    assert.equal(parsed(rawEmployee({ position: 42 })).position, '42');
    assert.equal(parsed(rawEmployee({ position: 0 })).position, '0');
  });

  it('an empty employment type is no type, without a warning; case and spaces do not matter', () => {
    const empty = parsed(rawEmployee({ employment_type: '' }));
    assert.equal(empty.employmentType, null);
    assert.deepEqual(empty.warnings, []);
    assert.equal(parsed(rawEmployee({ employment_type: ' External ' })).employmentType, 'external');
  });

  it('an address that is not text is invalid, not missing', () => {
    const employee = parsed(rawEmployee({ email: 5 }));
    assert.equal(employee.email, null);
    assert.equal(employee.emailProblem, 'invalid');
  });

  it('an unknown status is named trimmed and cut to 40 characters, or by its type', () => {
    const reason = (status: unknown) => {
      const result = parseEmployee(rawEmployee({ status }));
      assert.ok(!result.ok);
      return result.reason;
    };
    assert.equal(reason(' Retired '), "unknown status 'Retired'");
    assert.equal(reason(`R${'e'.repeat(50)}`), `unknown status 'R${'e'.repeat(39)}'`);
    assert.equal(reason(5), "unknown status 'number'");
    assert.equal(reason(true), "unknown status 'boolean'");
  });

  it('a dynamic attribute without a type is standard', () => {
    const employee = parsed(rawEmployee({ dynamic_5: { label: 'Size', value: 'M' } }));
    assert.deepEqual(employee.dynamic.dynamic_5, { label: 'Size', type: 'standard', value: 'M' });
  });
});

describe('cost centers', () => {
  it('"" is none, without a warning; a single entry outside a list is read', () => {
    const none = parsed(rawEmployee({ cost_centers: '' }));
    assert.deepEqual([none.costCenters, none.warnings], [[], []]);
    const single = parsed(rawEmployee({ cost_centers: costCenter({ id: 4, name: 'Ops', percentage: 100 }) }));
    assert.deepEqual(single.costCenters, [{ id: 4, name: 'Ops', percentage: 100 }]);
  });

  const percentages: [percentage: unknown, read: number | 'dropped'][] = [
    ['60', 60],
    [' 60 ', 60],
    ['60.25', 60.25],
    ['60.5', 60.5],
    ['60.', 'dropped'],
    ['x60', 'dropped'],
    ['60x', 'dropped'],
    ['6 0', 'dropped'],
    ['-5', 'dropped'],
  ];
  for (const [percentage, read] of percentages) {
    it(`percentage ${JSON.stringify(percentage)}: ${read}`, () => {
      const employee = parsed(
        rawEmployee({ cost_centers: [costCenter({ id: 1, name: 'Sales', percentage })] }),
      );
      if (read === 'dropped') {
        assert.deepEqual(employee.costCenters, []);
        assert.deepEqual(employee.warnings, ['cost_centers: entry 0 has an unexpected shape; ignored']);
      } else {
        assert.deepEqual(employee.costCenters, [{ id: 1, name: 'Sales', percentage: read }]);
      }
    });
  }
});

describe('dates: ISO 8601 kept as sent (trimmed), anything else emptied', () => {
  const table: [sent: string, kept: string | null][] = [
    ['2021-01-01', '2021-01-01'],
    [' 2021-01-01 ', '2021-01-01'],
    ['2021-01-01T23:30:00+01:00', '2021-01-01T23:30:00+01:00'],
    ['2021-01-01T10:00Z', '2021-01-01T10:00Z'],
    ['2021-01-01T10:00:00.123Z', '2021-01-01T10:00:00.123Z'],
    ['2021-01-01T10:00:00+0100', '2021-01-01T10:00:00+0100'],
    ['2021-01-01T24:00:00Z', null],
    ['2021-01-01T10:00:00.Z', null],
    ['2021-01-01T10:00:00.xZ', null],
    ['x2021-01-01', null],
    ['2021-01-01x', null],
    ['2021-01-01T10:00:00', null],
  ];
  for (const [sent, kept] of table) {
    it(`${JSON.stringify(sent)}: ${kept ?? 'emptied'}`, () => {
      assert.equal(parsed(rawEmployee({ hire_date: sent })).hireDate, kept);
    });
  }
});

describe('isEmptyPersonioValue and decodeTags', () => {
  it('a number or a boolean is a value, never "nothing"', () => {
    for (const value of [0, 5, false, true]) assert.equal(isEmptyPersonioValue(value), false, String(value));
    for (const value of [null, undefined, ' ', [], {}]) assert.equal(isEmptyPersonioValue(value), true);
  });

  it('tags: numbers kept as text, other items dropped; a single value is one tag', () => {
    assert.deepEqual(decodeTags(['a', 7, null, {}, ' b ']), ['a', '7', 'b']);
    assert.deepEqual(decodeTags(5), ['5']);
    assert.deepEqual(decodeTags(' ["a", "b"] '), ['a', 'b']);
  });
});
