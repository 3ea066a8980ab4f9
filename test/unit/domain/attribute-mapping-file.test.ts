// A mapping file's mistakes, word for word: each names the file, the path and the fix (the
// schema's main cases: attribute-mapping.test.ts). Plus the edges of reading a file: JSON
// already parsed, `null`, an empty file, and sources that come out empty.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapEmployee, parseAttributeMapping } from '../../../domain/attribute-mapping.js';
import { STANDARD_SOURCE_KEYS } from '../../../domain/personio-values.js';
import { employee } from './employee-fixture.js';

const HINT = `use a Personio key (${STANDARD_SOURCE_KEYS.join(', ')}) or dynamic_<digits>, e.g. "dynamic_1234567"`;

describe('a mapping file’s mistakes: one message each, with the path and the fix', () => {
  const table: [json: unknown, problem: string][] = [
    [{ attributes: [{ name: 'a', from: 5 }] }, `attributes[0].from: must be text: ${HINT}`],
    [{ attributes: [{ name: 'a', from: ['id', 5] }] }, `attributes[0].from[1]: must be text: ${HINT}`],
    [
      { fields: { jobTitle: { from: 'position', transform: [5] } } },
      'fields.jobTitle.transform[0]: must be a transform name in quotes, e.g. "trim"',
    ],
    [
      { fields: { jobTitle: { from: 'position', transform: 'trim' } } },
      'fields.jobTitle.transform: must be a list of transforms, e.g. ["trim", "upper"]',
    ],
    [{ fields: { jobTitle: 'position' } }, 'fields.jobTitle: must be an object, e.g. {"from": "position"}'],
    [
      { attributes: [{ from: 'id' }] },
      `attributes[0].name: is required: the JumpCloud attribute's name, e.g. "shirtSize"`,
    ],
    [
      { attributes: [{ name: 5, from: 'id' }] },
      `attributes[0].name: must be text: the JumpCloud attribute's name, e.g. "shirtSize"`,
    ],
    [
      { attributes: [null] },
      'attributes[0]: must be an object, e.g. {"name": "shirtSize", "from": "dynamic_1234567"}',
    ],
    [null, '(top level): must be a JSON object with "fields" and/or "attributes"'],
  ];
  for (const [json, problem] of table) {
    it(`${JSON.stringify(json)}: ${problem}`, () => {
      assert.deepEqual(parseAttributeMapping(JSON.stringify(json), 'mapping.json'), {
        ok: false,
        problems: [`mapping.json: ${problem}`],
      });
    });
  }

  it('an empty file: the parser’s words and the fix', () => {
    assert.deepEqual(parseAttributeMapping('', 'mapping.json'), {
      ok: false,
      problems: [
        'mapping.json: not valid JSON: Unexpected end of JSON input: fix the file (a JSON object, no comments or trailing commas)',
      ],
    });
  });

  it('a trailing comma: its line and column, said once', () => {
    const result = parseAttributeMapping('{\n  "fields": {},\n}\n', 'mapping.json');
    assert.ok(!result.ok);
    assert.equal(result.problems.length, 1);
    // Node 20 gives a position, which the message turns into a line and column; newer Node
    // versions add the line and column themselves, and then they must not appear twice.
    assert.match(result.problems[0]!, /^mapping\.json: not valid JSON: .*\(line 3 column 1\): fix the file/);
    assert.equal(result.problems[0]!.split('(line ').length, 2, result.problems[0]);
  });
});

describe('reading a mapping', () => {
  it('takes JSON already parsed as well as text', () => {
    const json = { fields: { jobTitle: { from: 'office' } } };
    assert.deepEqual(
      parseAttributeMapping(json, 'mapping.json'),
      parseAttributeMapping(JSON.stringify(json), 'mapping.json'),
    );
    assert.ok(parseAttributeMapping(json, 'mapping.json').ok);
    assert.deepEqual(parseAttributeMapping(null, 'mapping.json'), {
      ok: false,
      problems: ['mapping.json: (top level): must be a JSON object with "fields" and/or "attributes"'],
    });
  });

  it('joins only the sources that have a value: no double or trailing space', () => {
    const result = parseAttributeMapping(
      { fields: { displayname: { from: ['first_name', 'position', 'last_name', 'team'] } } },
      'mapping.json',
    );
    assert.ok(result.ok);
    const { fields } = mapEmployee(employee({ position: null, team: null }), result.mapping);
    assert.equal(fields.displayname, 'Anna Schmidt');
  });
});
