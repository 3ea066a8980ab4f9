/**
 * The attribute mapping wired in: a page carries only the mapped custom attributes,
 * ATTRIBUTE_MAPPING_FILE is read (or refused with a clear message) by the worker configuration,
 * and the worker and CLI refuse a bad file. The pure rules (schema, transforms, the default
 * mapping, custom attributes): test/unit/domain/attribute-mapping.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, test } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { PersonioClient } from '../../clients/personio.js';
import { createFetchPageActivities, type FetchedPage } from '../../activities/fetch-page.js';
import { ConfigError, loadAttributeMapping, loadWorkerConfig } from '../../config/env.js';
import {
  DEFAULT_MAPPING,
  parseAttributeMapping,
  type AttributeMapping,
} from '../../domain/attribute-mapping.js';
import { runProject } from '../helpers/worker-process.js';
import { rawEmployee, wrap } from './domain/personio-fixtures.js';

function parsed(json: unknown): AttributeMapping {
  const result = parseAttributeMapping(JSON.stringify(json), 'mapping.json');
  assert.ok(result.ok, result.ok ? '' : result.problems.join('\n'));
  return result.mapping;
}

describe('a page carries only the mapped custom attributes', () => {
  it('keeps the mapped dynamic_ values and drops the rest; passes updatedSince on', async () => {
    const queries: unknown[] = [];
    const personio = {
      listEmployees: async (query: unknown) => {
        queries.push(query);
        return {
          records: [
            rawEmployee({ dynamic_51201: wrap(null, 'M', 'list'), dynamic_99999: wrap(null, 'secret IBAN') }),
          ],
          totalElements: 1,
          offset: 0,
          limit: 100,
        };
      },
    } as unknown as PersonioClient;
    const mapping = parsed({ attributes: [{ name: 'shirtSize', from: 'dynamic_51201' }] });
    const env = new MockActivityEnvironment();
    const withMapping = createFetchPageActivities({ personio, mapping });
    const fetchPage = (activities: ReturnType<typeof createFetchPageActivities>, updatedSince?: string) =>
      env.run(async (): Promise<FetchedPage> => activities.fetchEmployeePage(0, 100, updatedSince));
    const page = await fetchPage(withMapping, '2025-01-01');
    assert.deepEqual(page.employees[0]!.custom, { dynamic_51201: 'M' });
    assert.ok(!JSON.stringify(page).includes('secret IBAN'));
    assert.ok(!('dynamic' in page.employees[0]!));
    const byDefault = createFetchPageActivities({ personio });
    const plain = await fetchPage(byDefault);
    assert.deepEqual(plain.employees[0]!.custom, {});
    assert.deepEqual(queries, [
      { offset: 0, limit: 100, updatedSince: '2025-01-01' },
      { offset: 0, limit: 100 },
    ]);
  });
});

describe('ATTRIBUTE_MAPPING_FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mapping-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const bad = file('bad.json', JSON.stringify({ attributes: [{ name: 'cost-center', from: 'position' }] }));

  it('unset is the default mapping; a good file is read', () => {
    assert.equal(loadAttributeMapping({}), DEFAULT_MAPPING);
    const good = file(
      'good.json',
      JSON.stringify({ attributes: [{ name: 'shirtSize', from: 'dynamic_1' }] }),
    );
    assert.deepEqual(loadAttributeMapping({ ATTRIBUTE_MAPPING_FILE: good }).attributes, [
      { name: 'shirtSize', from: 'dynamic_1' },
    ]);
  });

  it('a bad or missing file: each problem names the variable and the file', () => {
    assert.throws(
      () => loadAttributeMapping({ ATTRIBUTE_MAPPING_FILE: bad }),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.problems.length === 1 &&
        err.problems[0] ===
          `ATTRIBUTE_MAPPING_FILE=${bad}: attributes[0].name: must be letters and digits only and shorter than 32 characters; got "cost-center"`,
    );
    assert.throws(
      () => loadAttributeMapping({ ATTRIBUTE_MAPPING_FILE: '/nonexistent/mapping.json' }),
      /ATTRIBUTE_MAPPING_FILE=\/nonexistent\/mapping\.json: cannot be read \(ENOENT\)/,
    );
  });

  it('the worker configuration lists its problems with the others', () => {
    assert.throws(
      () => loadWorkerConfig({ ATTRIBUTE_MAPPING_FILE: bad, PAYLOAD_ENCRYPTION: 'off' }),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.problems.some((p) => p.startsWith('PERSONIO_CLIENT_ID is missing')) &&
        err.problems.some((p) => p.startsWith(`ATTRIBUTE_MAPPING_FILE=${bad}: attributes[0].name`)),
    );
  });

  test('a worker started with a bad file exits with the message, no stack trace', async () => {
    const worker = runProject('worker/main.ts', [], {
      PERSONIO_CLIENT_ID: 'papi-123',
      PERSONIO_CLIENT_SECRET: 'x',
      JUMPCLOUD_API_KEY: 'x',
      PAYLOAD_ENCRYPTION: 'off',
      ATTRIBUTE_MAPPING_FILE: bad,
    });
    assert.equal(await worker.exited, 1);
    const out = worker.output.join('\n');
    assert.match(out, /Configuration problems:/);
    assert.ok(
      out.includes(`ATTRIBUTE_MAPPING_FILE=${bad}: attributes[0].name: must be letters and digits only`),
    );
    assert.doesNotMatch(out, /\n\s+at /, 'no stack trace');
  });

  test('`mapping check` prints what goes where, or the problems and exit code 2', async () => {
    const good = file(
      'check.json',
      JSON.stringify({
        fields: { jobTitle: { from: 'dynamic_24407' } },
        attributes: [{ name: 'startDate', from: 'hire_date', transform: ['date:yyyy-MM-dd'] }],
      }),
    );
    const ok = runProject('client/cli.ts', ['mapping', 'check', good], {});
    assert.equal(await ok.exited, 0);
    const summary = ok.output.join('\n');
    assert.match(summary, /: OK/);
    assert.match(summary, /jobTitle +← dynamic_24407 +\(changed from the default\)/);
    assert.match(summary, /startDate +← hire_date \(date:yyyy-MM-dd\)/);

    const refused = runProject('client/cli.ts', ['mapping', 'check', bad], {});
    assert.equal(await refused.exited, 2);
    const out = refused.output.join('\n');
    assert.ok(out.includes(`${bad}: attributes[0].name: must be letters and digits only`));
    assert.doesNotMatch(out, /\n\s+at /, 'no stack trace');

    const shown = runProject('client/cli.ts', ['mapping', 'show-default'], {});
    assert.equal(await shown.exited, 0);
    assert.deepEqual(JSON.parse(shown.output.join('\n')), DEFAULT_MAPPING);
  });
});
