import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeTags, parseEmployee, type Employee } from '../../../domain/personio-record.js';
import { orgUnit, rawEmployee, wrap } from './personio-fixtures.js';

function parsed(raw: unknown): Employee {
  const result = parseEmployee(raw);
  assert.ok(result.ok, `expected the record to parse, got: ${JSON.stringify(result)}`);
  return result.employee;
}

function skipped(raw: unknown): { personioId: number | null; reason: string } {
  const result = parseEmployee(raw);
  assert.ok(!result.ok, 'expected the record to be skipped');
  return result;
}

describe('parseEmployee', () => {
  it('normalises a complete record as the API sends it', () => {
    assert.deepEqual(parsed(rawEmployee()), {
      personioId: 1001,
      firstName: 'Anna',
      lastName: 'Schmidt',
      email: 'anna.schmidt@example.com',
      status: 'active',
      position: 'Engineer',
      supervisorId: 7,
      employmentType: 'internal',
      subcompany: 'CS Demo GmbH',
      office: 'Munich',
      department: 'Customer Support',
      team: 'T_X',
      costCenters: [{ id: 82957, name: 'Cost center 1', percentage: 100 }],
      hireDate: '2014-11-09T00:00:00+01:00',
      terminationDate: null,
      lastModifiedAt: '2020-11-18T17:33:55+01:00',
      dynamic: {},
      warnings: [],
    });
  });

  describe('id', () => {
    for (const [label, id] of [
      ['missing', undefined],
      ['zero', 0],
      ['negative', -4],
      ['fractional', 1.5],
      ['text', '1001'],
      ['null', null],
    ] as const) {
      it(`skips a record whose id is ${label}`, () => {
        assert.deepEqual(skipped(rawEmployee({ id: id })), {
          ok: false,
          personioId: null,
          reason: 'record has no valid id',
        });
      });
    }

    it('skips something that is not an employee record at all', () => {
      for (const raw of [null, 'x', [], { type: 'Employee' }, { type: 'Office', attributes: {} }]) {
        assert.equal(skipped(raw).personioId, null);
      }
    });
  });

  describe('names', () => {
    it('trims names', () => {
      const employee = parsed(rawEmployee({ first_name: '  Jürgen ', last_name: ' Groß\t' }));
      assert.equal(employee.firstName, 'Jürgen');
      assert.equal(employee.lastName, 'Groß');
    });

    it('composes decomposed umlauts (NFC) so equal names compare equal', () => {
      assert.equal(parsed(rawEmployee({ first_name: 'Ju\u0308rgen' })).firstName, 'J\u00fcrgen');
    });

    it('skips a missing or empty first name and says which field, not the value', () => {
      for (const first_name of [undefined, '', '   ', null, 42]) {
        const result = skipped(rawEmployee({ first_name }));
        assert.equal(result.personioId, 1001);
        assert.match(result.reason, /^first_name is missing or empty/);
      }
    });

    it('skips a missing last name', () => {
      assert.match(skipped(rawEmployee({ last_name: '' })).reason, /^last_name is missing/);
    });
  });

  describe('email', () => {
    it('is trimmed and lower-cased', () => {
      assert.equal(
        parsed(rawEmployee({ email: '  Max.Mustermann+HR@Example.DE ' })).email,
        'max.mustermann+hr@example.de',
      );
    });

    it('is null with emailProblem "missing" when absent or empty', () => {
      for (const email of [undefined, null, '', '  ']) {
        const employee = parsed(rawEmployee({ email }));
        assert.equal(employee.email, null);
        assert.equal(employee.emailProblem, 'missing');
      }
    });

    it('is null with emailProblem "invalid" for a malformed address, which appears nowhere', () => {
      const employee = parsed(rawEmployee({ email: 'anna at example' }));
      assert.equal(employee.email, null);
      assert.equal(employee.emailProblem, 'invalid');
      assert.doesNotMatch(JSON.stringify(employee), /anna at example/);
    });

    it('has no emailProblem key when the address is fine', () => {
      assert.ok(!('emailProblem' in parsed(rawEmployee())));
    });
  });

  describe('status', () => {
    for (const status of ['active', 'onboarding', 'leave', 'inactive'] as const) {
      it(`accepts ${status}`, () => assert.equal(parsed(rawEmployee({ status })).status, status));
    }

    it('tolerates case and surrounding spaces', () => {
      assert.equal(parsed(rawEmployee({ status: ' Active ' })).status, 'active');
    });

    it('skips an unknown status and names it', () => {
      assert.deepEqual(skipped(rawEmployee({ status: 'retired' })), {
        ok: false,
        personioId: 1001,
        reason: "unknown status 'retired'",
      });
    });

    it('skips a missing status', () => {
      assert.equal(skipped(rawEmployee({ status: undefined })).reason, 'status is missing in Personio');
    });
  });

  describe('supervisor', () => {
    it('is null for null, "", [] and a missing attribute', () => {
      for (const supervisor of [null, '', [], undefined]) {
        const employee = parsed(rawEmployee({ supervisor }));
        assert.equal(employee.supervisorId, null);
        assert.deepEqual(employee.warnings, []);
      }
    });

    it('is null with a warning when the nested id is not usable', () => {
      const employee = parsed(
        rawEmployee({ supervisor: { type: 'Employee', attributes: { id: wrap('id', 'x') } } }),
      );
      assert.equal(employee.supervisorId, null);
      assert.deepEqual(employee.warnings, ['supervisor: unexpected shape; treated as no supervisor']);
    });
  });

  describe('org units', () => {
    it('are null for "", [], null and missing, without warnings', () => {
      for (const value of ['', [], null, undefined, {}]) {
        const employee = parsed(
          rawEmployee({ subcompany: value, office: value, department: value, team: value }),
        );
        assert.deepEqual(
          [employee.subcompany, employee.office, employee.department, employee.team],
          [null, null, null, null],
        );
        assert.deepEqual(employee.warnings, []);
      }
    });

    it('accept a unit flattened to its name', () => {
      assert.equal(parsed(rawEmployee({ office: 'Berlin' })).office, 'Berlin');
    });

    it('are null with a warning for another shape', () => {
      const employee = parsed(rawEmployee({ department: { id: 3 } }));
      assert.equal(employee.department, null);
      assert.deepEqual(employee.warnings, ['department: unexpected shape; treated as empty']);
    });

    it('treat an empty name as no unit', () => {
      assert.equal(parsed(rawEmployee({ team: orgUnit('Team', 1, '  ') })).team, null);
    });
  });

  describe('cost_centers', () => {
    it('tolerates "", null, [] and missing as no cost centers', () => {
      for (const cost_centers of ['', null, [], undefined]) {
        assert.deepEqual(parsed(rawEmployee({ cost_centers })).costCenters, []);
      }
    });

    it('keeps well-formed entries, reads text percentages and drops broken ones with a warning', () => {
      const employee = parsed(
        rawEmployee({
          cost_centers: [
            { type: 'CostCenter', attributes: { id: 1, name: 'Sales', percentage: '60' } },
            { type: 'CostCenter', attributes: { id: 2 } },
            { type: 'CostCenter', attributes: { id: 3, name: 'R&D', percentage: null } },
          ],
        }),
      );
      assert.deepEqual(employee.costCenters, [
        { id: 1, name: 'Sales', percentage: 60 },
        { id: 3, name: 'R&D', percentage: null },
      ]);
      assert.deepEqual(employee.warnings, ['cost_centers: entry 1 has an unexpected shape; ignored']);
    });
  });

  describe('employment_type and position', () => {
    it('reads internal and external, and empty as null', () => {
      assert.equal(parsed(rawEmployee({ employment_type: 'external' })).employmentType, 'external');
      assert.equal(parsed(rawEmployee({ employment_type: '' })).employmentType, null);
    });

    it('turns an unknown employment type into null with a warning', () => {
      const employee = parsed(rawEmployee({ employment_type: 'freelance' }));
      assert.equal(employee.employmentType, null);
      assert.equal(employee.warnings.length, 1);
    });

    it('reads an empty position as null', () => {
      assert.equal(parsed(rawEmployee({ position: '' })).position, null);
      assert.equal(parsed(rawEmployee({ position: undefined })).position, null);
    });
  });

  describe('dates', () => {
    it('keeps ISO strings with offsets, including odd historical ones, as sent', () => {
      const employee = parsed(
        rawEmployee({ hire_date: '1893-04-01T00:00:00+00:53', termination_date: '2025-01-31T00:00:00Z' }),
      );
      assert.equal(employee.hireDate, '1893-04-01T00:00:00+00:53');
      assert.equal(employee.terminationDate, '2025-01-31T00:00:00Z');
    });

    it('accepts a date without time', () => {
      assert.equal(parsed(rawEmployee({ hire_date: '2021-01-01' })).hireDate, '2021-01-01');
    });

    it('turns a malformed date into null with a warning naming the field', () => {
      const employee = parsed(rawEmployee({ last_modified_at: '18.11.2020' }));
      assert.equal(employee.lastModifiedAt, null);
      assert.deepEqual(employee.warnings, ['last_modified_at: not an ISO 8601 date; treated as empty']);
    });
  });

  describe('dynamic attributes', () => {
    it('keeps dynamic_* attributes with label, type and value, sorted by key', () => {
      const employee = parsed(
        rawEmployee({
          dynamic_33400: { label: 'Anniversary Date', value: '2021-01-01', universal_id: null, type: 'date' },
          dynamic_24407: { label: 'Titel', value: 'Dr', universal_id: null, type: 'standard' },
        }),
      );
      assert.deepEqual(Object.keys(employee.dynamic), ['dynamic_24407', 'dynamic_33400']);
      assert.deepEqual(employee.dynamic.dynamic_24407, { label: 'Titel', type: 'standard', value: 'Dr' });
    });

    it('decodes tags sent as a JSON-encoded string', () => {
      const employee = parsed(
        rawEmployee({
          dynamic_1: { label: 'Skills', value: '["TypeScript","Go"]', universal_id: null, type: 'tags' },
        }),
      );
      assert.deepEqual(employee.dynamic.dynamic_1?.value, ['TypeScript', 'Go']);
    });

    it('ignores a dynamic attribute that is not wrapped, with a warning', () => {
      const employee = parsed(rawEmployee({ dynamic_9: 'bare' }));
      assert.deepEqual(employee.dynamic, {});
      assert.equal(employee.warnings.length, 1);
    });
  });

  it('treats an attribute that is not wrapped as empty, with a warning', () => {
    const raw = rawEmployee();
    raw.attributes.position = 'Engineer';
    const employee = parsed(raw);
    assert.equal(employee.position, null);
    assert.deepEqual(employee.warnings, [
      'position: attribute is not wrapped as {label, value, type}; treated as empty',
    ]);
  });

  it('reads a record projected onto a few attributes (no type field)', () => {
    const { attributes } = rawEmployee();
    const employee = parsed({
      attributes: {
        id: attributes.id,
        first_name: attributes.first_name,
        last_name: attributes.last_name,
        status: attributes.status,
      },
    });
    assert.equal(employee.email, null);
    assert.equal(employee.emailProblem, 'missing');
  });
});

describe('decodeTags', () => {
  it('reads arrays, JSON-encoded arrays and comma-separated text', () => {
    assert.deepEqual(decodeTags(['a', ' b ', '']), ['a', 'b']);
    assert.deepEqual(decodeTags('["a","b"]'), ['a', 'b']);
    assert.deepEqual(decodeTags('a, b'), ['a', 'b']);
    assert.deepEqual(decodeTags('[not json'), ['[not json']);
  });

  it('reads empty values as no tags', () => {
    for (const value of [null, undefined, '', '[]', []]) assert.deepEqual(decodeTags(value), []);
  });
});
