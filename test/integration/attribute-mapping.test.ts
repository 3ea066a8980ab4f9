/**
 * A custom attribute mapping end to end: a `dynamic_` attribute and the hire date go into
 * JumpCloud custom attributes, one standard field is remapped; a re-run writes nothing; a
 * changed custom value in Personio updates that attribute alone, keeping the user's own.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAttributeMapping } from '../../domain/attribute-mapping.js';
import { customKeys } from '../../sandbox/personio/attributes.js';
import { SANDBOX_JUMPCLOUD_API_KEY } from '../../sandbox/jumpcloud/server.js';
import { startImportEnv } from '../helpers/import-env.js';

interface StateUser extends Record<string, unknown> {
  _id: string;
  employeeIdentifier?: string;
  jobTitle?: string;
  attributes?: { name: string; value: string }[];
}

async function users(url: string): Promise<StateUser[]> {
  return ((await (await fetch(`${url}/_sandbox/state`)).json()) as { users: StateUser[] }).users;
}

const input = { notify: { when: 'never' as const } };

const parsed = parseAttributeMapping(
  JSON.stringify({
    fields: { jobTitle: { from: 'position', transform: ['trim', 'upper'] } },
    attributes: [
      { name: 'personnelNumber', from: customKeys.personnelNumber, transform: ['trim'] },
      { name: 'startDate', from: 'hire_date', transform: ['date:yyyy-MM-dd'] },
    ],
  }),
  'mapping.json',
);
assert.ok(parsed.ok);
const mapping = parsed.mapping;

test('a mapping sends custom attributes and a remapped field to JumpCloud, and re-runs stay quiet', async (t) => {
  const env = await startImportEnv(t, { personio: { employees: 30, seed: 11 }, mapping });
  const first = await env.runImport(input);
  assert.ok(first.report.counts.created > 0);

  const imported = (await users(env.jumpcloud.url)).filter((u) => u.employeeIdentifier);
  assert.equal(imported.length, first.report.counts.created);
  for (const user of imported) {
    const record = env.personio.data.get(Number(user.employeeIdentifier))!;
    assert.equal(user.jobTitle, record.position.trim().toUpperCase(), 'jobTitle remapped');
    assert.deepEqual(
      user.attributes,
      [
        { name: 'personnelNumber', value: String(record.custom[customKeys.personnelNumber]).trim() },
        // Personio's "2014-11-09T00:00:00+01:00": the date as written, not shifted to UTC.
        { name: 'startDate', value: record.hireDate.slice(0, 10) },
      ],
      `attributes of ${user.employeeIdentifier}`,
    );
  }

  // An attribute someone else put on a user is not the import's: it must survive.
  const target = imported[0]!;
  const put = await fetch(`${env.jumpcloud.url}/api/systemusers/${target._id}`, {
    method: 'PUT',
    headers: { 'x-api-key': SANDBOX_JUMPCLOUD_API_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ attributes: [{ name: 'badge', value: '42' }, ...target.attributes!] }),
  });
  assert.equal(put.status, 200);

  env.jumpcloud.stats.clear();
  const rerun = await env.runImport(input);
  assert.deepEqual(env.jumpcloud.stats.snapshot().writes, {}, 're-run writes nothing');
  assert.equal(rerun.report.counts.created + rerun.report.counts.updated, 0);

  // A changed custom value in Personio: only that attribute of that user changes.
  const personioId = Number(target.employeeIdentifier);
  env.personio.data.setCustomAttribute(personioId, customKeys.personnelNumber, ' P-NEW-1 ');
  env.jumpcloud.stats.clear();
  const changed = await env.runImport(input);
  assert.equal(changed.report.counts.updated, 1);
  assert.deepEqual(env.jumpcloud.stats.snapshot().writes, { usersUpdated: 1 });
  const after = (await users(env.jumpcloud.url)).find((u) => u._id === target._id)!;
  assert.deepEqual(after.attributes, [
    { name: 'badge', value: '42' },
    { name: 'personnelNumber', value: 'P-NEW-1' },
    { name: 'startDate', value: target.attributes!.find((a) => a.name === 'startDate')!.value },
  ]);
  const { attributes: _before, ...restBefore } = target;
  const { attributes: _after, ...restAfter } = after;
  assert.deepEqual(restAfter, restBefore, 'nothing else of the user changed');
});
