/**
 * The attribute mapping as pure code: the file's schema and error messages, the transforms, the
 * default mapping (exactly the README table, as the import always behaved) and custom attributes
 * merged into a user's own. Reading the file from ATTRIBUTE_MAPPING_FILE, a page carrying the
 * mapped attributes, and the worker and CLI refusing a bad file: test/unit/attribute-mapping.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_MAPPING,
  FIXED_FIELDS,
  MAPPABLE_FIELDS,
  mapEmployee,
  mappedCustomKeys,
  parseAttributeMapping,
  type AttributeMapping,
} from '../../../domain/attribute-mapping.js';
import { primaryCostCenter } from '../../../domain/cost-center.js';
import { attributesToWrite } from '../../../domain/custom-attributes.js';
import {
  desiredJumpCloudFields,
  desiredJumpCloudUser,
  MANAGED_FIELDS,
} from '../../../domain/jumpcloud-fields.js';
import { applyTransforms, asText, transformProblem } from '../../../domain/mapping-transforms.js';
import { parseEmployee, type Employee } from '../../../domain/personio-record.js';
import { diffUser, textChanges } from '../../../domain/user-diff.js';
import { employee, emptyEmployee } from './employee-fixture.js';
import { rawEmployee, wrap } from './personio-fixtures.js';

function parsed(json: unknown): AttributeMapping {
  const result = parseAttributeMapping(JSON.stringify(json), 'mapping.json');
  assert.ok(result.ok, result.ok ? '' : result.problems.join('\n'));
  return result.mapping;
}

function problems(text: string): string[] {
  const result = parseAttributeMapping(text, 'mapping.json');
  assert.ok(!result.ok, 'expected problems');
  return result.problems;
}

const problemsOf = (json: unknown) => problems(JSON.stringify(json));

describe('the mapping file schema', () => {
  it('an empty file is the default mapping; the default mapping is a valid file', () => {
    assert.deepEqual(parsed({}), DEFAULT_MAPPING);
    assert.deepEqual(parsed(JSON.parse(JSON.stringify(DEFAULT_MAPPING))), DEFAULT_MAPPING);
  });

  it('overrides only the fields it names', () => {
    const mapping = parsed({ fields: { jobTitle: { from: 'dynamic_1234567', transform: ['trim'] } } });
    assert.deepEqual(mapping.fields.jobTitle, { from: 'dynamic_1234567', transform: ['trim'] });
    assert.deepEqual(mapping.fields.department, DEFAULT_MAPPING.fields.department);
    assert.deepEqual(mapping.attributes, []);
  });

  it('names a bad attribute name with its path, the rule and the value', () => {
    assert.deepEqual(
      problemsOf({
        attributes: [
          { name: 'ok1', from: 'position' },
          { name: 'ok2', from: 'position' },
          { name: 'cost-center', from: 'position' },
          { name: 'a'.repeat(32), from: 'position' },
        ],
      }),
      [
        'mapping.json: attributes[2].name: must be letters and digits only and shorter than 32 characters; got "cost-center"',
        `mapping.json: attributes[3].name: must be letters and digits only and shorter than 32 characters; got "${'a'.repeat(32)}"`,
      ],
    );
    assert.ok(
      parseAttributeMapping(JSON.stringify({ attributes: [{ name: 'a'.repeat(31), from: 'id' }] }), 'm').ok,
    );
  });

  it('rejects a name used twice, ignoring case', () => {
    assert.deepEqual(
      problemsOf({
        attributes: [
          { name: 'shirtSize', from: 'dynamic_1' },
          { name: 'ShirtSize', from: 'dynamic_2' },
        ],
      }),
      [
        'mapping.json: attributes[1].name: "ShirtSize" is already used by attributes[0] (names are compared ignoring case): pick another name',
      ],
    );
  });

  it('rejects unknown keys, naming the ones allowed there', () => {
    assert.deepEqual(
      problemsOf({
        feilds: {},
        fields: { jobTitle: { from: 'position', tranform: ['trim'] } },
        attributes: [{ name: 'x', from: 'id', value: 'fixed' }],
      }),
      [
        'mapping.json: fields.jobTitle.tranform: unknown key: remove it (allowed here: from, transform)',
        'mapping.json: attributes[0].value: unknown key: remove it (allowed here: name, from, transform)',
        'mapping.json: feilds: unknown key: remove it (allowed here: fields, attributes)',
      ],
    );
  });

  it('keeps the identity fields fixed and names the fields a mapping may fill', () => {
    const found = problemsOf({
      fields: { email: { from: 'dynamic_1' }, manager: { from: 'id' }, title: { from: 'position' } },
    });
    assert.deepEqual(found, [
      "mapping.json: fields.email: cannot be mapped: employeeIdentifier, email, username, state, manager are set by the import's own rules (see the README); remove it",
      "mapping.json: fields.manager: cannot be mapped: employeeIdentifier, email, username, state, manager are set by the import's own rules (see the README); remove it",
      'mapping.json: fields.title: is not a JumpCloud field a mapping may fill: use one of firstname, lastname, displayname, jobTitle, employeeType, company, location, department, costCenter, or put it under "attributes" as a custom attribute',
    ]);
    for (const field of [...FIXED_FIELDS, 'username'])
      assert.ok(!(MAPPABLE_FIELDS as readonly string[]).includes(field), field);
  });

  it('rejects an unknown Personio attribute and a malformed dynamic key', () => {
    const [positon, dynamic, missing, empty] = problemsOf({
      attributes: [
        { name: 'a', from: 'positon' },
        { name: 'b', from: ['first_name', 'dynamic_x'] },
        { name: 'c' },
        { name: 'd', from: [] },
      ],
    });
    assert.match(
      positon!,
      /^mapping\.json: attributes\[0\]\.from: unknown Personio attribute "positon": use a Personio key \(id, first_name, .*\) or dynamic_<digits>, e\.g\. "dynamic_1234567"$/,
    );
    assert.match(
      dynamic!,
      /^mapping\.json: attributes\[1\]\.from\[1\]: unknown Personio attribute "dynamic_x"/,
    );
    assert.match(missing!, /^mapping\.json: attributes\[2\]\.from: is required: use a Personio key/);
    assert.match(empty!, /^mapping\.json: attributes\[3\]\.from: must name at least one Personio attribute/);
  });

  it('rejects an unknown transform and an unsupported date format', () => {
    assert.deepEqual(
      problemsOf({
        attributes: [{ name: 'a', from: 'hire_date', transform: ['lowercase', 'date:dd.MM.yy'] }],
      }),
      [
        'mapping.json: attributes[0].transform[0]: unknown transform "lowercase": use trim, lower, upper, first, date:<format> (e.g. "date:yyyy-MM-dd")',
        'mapping.json: attributes[0].transform[1]: date format "dd.MM.yy" is not supported: use the tokens yyyy, MM, dd, HH, mm and separators that are not letters, e.g. "date:yyyy-MM-dd" or "date:dd.MM.yyyy"',
      ],
    );
  });

  it('names wrong types and a file that is not an object', () => {
    assert.deepEqual(problemsOf({ fields: [], attributes: {} }), [
      'mapping.json: fields: must be an object of JumpCloud fields, e.g. {"jobTitle": {"from": "position"}}',
      'mapping.json: attributes: must be a list, e.g. [{"name": "shirtSize", "from": "dynamic_1234567"}]',
    ]);
    assert.deepEqual(problemsOf([]), [
      'mapping.json: (top level): must be a JSON object with "fields" and/or "attributes"',
    ]);
    assert.deepEqual(problemsOf({ attributes: ['shirtSize'] }), [
      'mapping.json: attributes[0]: must be an object, e.g. {"name": "shirtSize", "from": "dynamic_1234567"}',
    ]);
  });

  it('reports invalid JSON with its line and column', () => {
    const [problem] = problems('{\n  "fields": {},\n}\n');
    assert.match(problem!, /^mapping\.json: not valid JSON: .*\(line 3 column 1\): fix the file/);
  });
});

describe('transforms', () => {
  it('trim, lower, upper apply to text and to every item of a list', () => {
    assert.equal(applyTransforms('  Größe M ', ['trim', 'upper']), 'GRÖSSE M');
    assert.equal(applyTransforms('  Größe M ', ['lower']), '  größe m ');
    assert.deepEqual(applyTransforms([' a', 'B '], ['trim', 'lower']), ['a', 'b']);
  });

  it('first takes the first item of a list; a single value is its own first item', () => {
    assert.equal(applyTransforms(['SAP', 'English'], ['first']), 'SAP');
    assert.equal(applyTransforms([], ['first']), '');
    assert.equal(applyTransforms('SAP', ['first']), 'SAP');
    assert.equal(asText(['SAP', '', 'English']), 'SAP, English');
  });

  it('date:<format> keeps the date in the company offset, never shifted to UTC', () => {
    // Midnight in +01:00 is the day before in UTC: the local date must win.
    assert.equal(applyTransforms('2014-11-09T00:00:00+01:00', ['date:yyyy-MM-dd']), '2014-11-09');
    assert.equal(applyTransforms('2014-11-09T23:30:00-05:00', ['date:dd.MM.yyyy']), '09.11.2014');
    assert.equal(applyTransforms('1921-03-01T00:00:00+00:53', ['date:yyyy/MM/dd HH:mm']), '1921/03/01 00:00');
    assert.equal(applyTransforms('2020-11-18T17:33:55+01:00', ['date:HH:mm']), '17:33');
    assert.equal(applyTransforms('2024-02-29', ['date:ddMMyyyy']), '29022024');
    assert.equal(applyTransforms('not a date', ['date:yyyy-MM-dd']), '', 'a non-date writes nothing wrong');
  });

  it('date:<format>: a date-only value has hours and minutes 00; spaces around the value are ignored', () => {
    assert.equal(applyTransforms('2026-12-01', ['date:yyyy-MM-dd HH:mm']), '2026-12-01 00:00');
    assert.equal(applyTransforms(' 2026-12-01 ', ['date:dd.MM.yyyy']), '01.12.2026');
  });

  it('a format the schema would refuse writes nothing; an empty format is refused', () => {
    assert.equal(applyTransforms('2026-12-01', ['date:yy']), '');
    assert.equal(applyTransforms('on 2026-12-01', ['date:yyyy']), '', 'the date must come first');
    assert.match(transformProblem('date:') ?? '', /^date format "" is not supported/);
    assert.equal(transformProblem('date:yyyy'), undefined);
  });
});

/** The import's field rules as they were before mappings: the default must not change a thing. */
function legacyFields(e: Employee) {
  return {
    employeeIdentifier: String(e.personioId),
    firstname: e.firstName,
    lastname: e.lastName,
    displayname: `${e.firstName} ${e.lastName}`,
    email: e.email ?? '',
    jobTitle: e.position ?? '',
    employeeType: e.employmentType ?? '',
    company: e.subcompany ?? '',
    location: e.office ?? '',
    department: e.department ?? '',
    costCenter: primaryCostCenter(e.costCenters)?.name ?? '',
  };
}

describe('the default mapping', () => {
  const cases: Employee[] = [
    employee(),
    emptyEmployee(),
    employee({
      costCenters: [
        { id: 1, name: 'support', percentage: 50 },
        { id: 2, name: 'Sales', percentage: 50 },
        { id: 3, name: 'Big', percentage: null },
      ],
    }),
    employee({ costCenters: [{ id: 9, name: 'Only', percentage: null }], employmentType: 'external' }),
  ];

  it('gives exactly the fields the README table gives', () => {
    for (const e of cases) {
      assert.deepEqual(desiredJumpCloudFields(e), legacyFields(e));
      assert.deepEqual(desiredJumpCloudFields(e, DEFAULT_MAPPING), legacyFields(e));
    }
  });

  it('gives the same for every parsed sandbox-like record, and writes no custom attribute', () => {
    const record = parseEmployee(rawEmployee({ dynamic_51201: wrap(null, 'M', 'list') }));
    assert.ok(record.ok);
    const user = desiredJumpCloudUser(record.employee);
    assert.deepEqual(user.fields, legacyFields(record.employee));
    assert.deepEqual(user.attributes, { managed: [], values: [] });
    assert.deepEqual(mappedCustomKeys(DEFAULT_MAPPING), []);
  });

  it('covers every managed field but the identity ones', () => {
    assert.deepEqual(
      [...MAPPABLE_FIELDS].sort(),
      MANAGED_FIELDS.filter((f) => f !== 'employeeIdentifier' && f !== 'email').sort(),
    );
  });
});

describe('applying a mapping', () => {
  const mapping = parsed({
    fields: {
      jobTitle: { from: 'dynamic_24407', transform: ['trim'] },
      displayname: { from: ['dynamic_24407', 'first_name', 'last_name'] },
    },
    attributes: [
      { name: 'shirtSize', from: 'dynamic_51201', transform: ['trim', 'upper'] },
      { name: 'startDate', from: 'hire_date', transform: ['date:yyyy-MM-dd'] },
      { name: 'skills', from: 'dynamic_51200' },
      { name: 'mainSkill', from: 'dynamic_51200', transform: ['first'] },
      { name: 'office', from: 'office' },
      { name: 'costCenters', from: 'cost_centers' },
    ],
  });

  it('reads custom attributes from a parsed record and from a page employee alike', () => {
    const record = parseEmployee(
      rawEmployee({
        dynamic_24407: wrap(null, ' Dr. '),
        dynamic_51201: wrap(null, ' m ', 'list'),
        dynamic_51200: wrap(null, '["SAP","English"]', 'tags'),
        dynamic_99999: wrap(null, 'DE89 3704 0044 0532 0130 00'),
        cost_centers: [
          { type: 'CostCenter', attributes: { id: 1, name: 'Small', percentage: 20 } },
          { type: 'CostCenter', attributes: { id: 2, name: 'Large', percentage: 80 } },
        ],
      }),
    );
    assert.ok(record.ok);
    const fromRecord = mapEmployee(record.employee, mapping);
    const { dynamic, ...rest } = record.employee;
    const custom = Object.fromEntries(mappedCustomKeys(mapping).map((key) => [key, dynamic[key]!.value]));
    const fromPage = mapEmployee({ ...rest, custom }, mapping);
    assert.deepEqual(fromPage, fromRecord);
    assert.equal(fromRecord.fields.jobTitle, 'Dr.');
    assert.equal(
      fromRecord.fields.displayname,
      ' Dr.  Anna Schmidt',
      'sources joined with a space, untransformed',
    );
    assert.deepEqual(fromRecord.attributes.values, [
      { name: 'shirtSize', value: 'M' },
      { name: 'startDate', value: '2014-11-09' },
      { name: 'skills', value: 'SAP, English' },
      { name: 'mainSkill', value: 'SAP' },
      { name: 'office', value: 'Munich' },
      { name: 'costCenters', value: 'Large, Small' },
    ]);
    assert.deepEqual(mappedCustomKeys(mapping), ['dynamic_24407', 'dynamic_51200', 'dynamic_51201']);
  });

  it('leaves out an attribute whose value is empty, but still manages its name', () => {
    const mapped = mapEmployee(employee({ office: null, hireDate: null }), mapping);
    assert.deepEqual(mapped.attributes.managed, [
      'shirtSize',
      'startDate',
      'skills',
      'mainSkill',
      'office',
      'costCenters',
    ]);
    assert.deepEqual(mapped.attributes.values, [{ name: 'costCenters', value: 'Support' }]);
    assert.equal(mapped.fields.jobTitle, '', 'an absent custom attribute is empty');
  });
});

describe('custom attributes on the JumpCloud user', () => {
  const desired = { managed: ['shirtSize', 'startDate'], values: [{ name: 'shirtSize', value: 'M' }] };

  it('writes the whole list: the user’s own attributes kept as they are, the mapped ones replaced', () => {
    const existing = [
      { name: 'badge', value: '42' },
      { name: 'shirtSize', value: 'S' },
      { name: 'startDate', value: '2020-01-01' },
      { name: 'legacy', value: 7, note: 'kept whole' },
    ];
    assert.deepEqual(attributesToWrite(existing, desired), {
      from: existing,
      to: [
        { name: 'badge', value: '42' },
        { name: 'legacy', value: 7, note: 'kept whole' },
        { name: 'shirtSize', value: 'M' },
      ],
    });
  });

  it('writes nothing when the mapped ones already match, in any order', () => {
    assert.equal(
      attributesToWrite(
        [
          { name: 'x', value: '1' },
          { name: 'shirtSize', value: 'M' },
        ],
        desired,
      ),
      undefined,
    );
    assert.equal(attributesToWrite([], { managed: [], values: [] }), undefined);
    assert.equal(attributesToWrite(undefined, { managed: ['a'], values: [] }), undefined);
  });

  it('takes over a hand-made attribute whose name differs only in case', () => {
    assert.deepEqual(attributesToWrite([{ name: 'shirtsize', value: 'M' }], desired)?.to, [
      { name: 'shirtSize', value: 'M' },
    ]);
  });

  it('diffUser adds one attributes change whose `to` is the PUT body, only when asked', () => {
    const fields = desiredJumpCloudFields(employee());
    const user = { ...fields, attributes: [{ name: 'badge', value: '42' }] };
    assert.deepEqual(diffUser(user, fields), []);
    const changes = diffUser(user, fields, desired);
    assert.deepEqual(changes, [
      {
        field: 'attributes',
        from: [{ name: 'badge', value: '42' }],
        to: [
          { name: 'badge', value: '42' },
          { name: 'shirtSize', value: 'M' },
        ],
      },
    ]);
    assert.deepEqual(Object.fromEntries(changes.map((c) => [c.field, c.to])), {
      attributes: [
        { name: 'badge', value: '42' },
        { name: 'shirtSize', value: 'M' },
      ],
    });
    assert.deepEqual(textChanges(changes, desired), [{ field: 'attributes.shirtSize', from: '', to: 'M' }]);
    assert.deepEqual(
      diffUser({ ...user, attributes: [{ name: 'shirtSize', value: 'M' }] }, fields, desired),
      [],
    );
  });
});
