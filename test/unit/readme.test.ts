/** The README stays true: its mapping table and option table match the code. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIELD_MAPPING } from '../../domain/jumpcloud-fields.js';
import { parseImportInput } from '../../domain/import-input.js';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
// Table rows with Prettier's column padding squeezed out: "| a | b | c |".
const rows = new Set(
  readme
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) => line.replace(/ {2,}/g, ' ').trim()),
);

test('the README mapping table lists every field mapping with its rule', () => {
  for (const m of FIELD_MAPPING) {
    const source = m.source
      .split(', ')
      .map((s) => `\`${s}\``)
      .join(', ');
    assert.ok(
      rows.has(`| ${source} | \`${m.jumpcloud}\` | ${m.rule} |`),
      `README row for ${m.source} → ${m.jumpcloud}`,
    );
  }
});

test('the README documents every import option', () => {
  const parsed = parseImportInput({});
  assert.ok(parsed.ok);
  for (const key of Object.keys(parsed.input))
    assert.ok(readme.includes(`\`${key}`), `README mentions option ${key}`);
});

test('the README tests table lists every test folder once', () => {
  const listed = [...readme.matchAll(/^\| `test\/([^/`]+)\/` +\|/gm)].map((m) => m[1]);
  const folders = readdirSync(join(import.meta.dirname, '..'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'helpers')
    .map((entry) => entry.name);
  assert.deepEqual([...listed].sort(), [...new Set(listed)].sort(), 'no folder listed twice');
  assert.deepEqual([...listed].sort(), folders.sort());
});
