/**
 * Contract tests: the sandbox's v2 answers validated against Personio's official v2 OpenAPI
 * files (read from ${SPECS_DIR:-<repo>/../shared/specs}/personio/v2/, never copied here).
 *
 * Where the spec and observed behaviour (shared/docs/personio-api-v2.md) differ, the sandbox
 * follows the observation and the schema is adjusted in memory, each case named here:
 *
 * 1. Custom attribute `type`: the spec enum is upper case, the live API sends lower case (§2.4).
 *    Exception: the enum also admits the lower-case spellings.
 * 2. `employment_end_date` is `null` when unset (the spec's own example), the schema has no
 *    `nullable`. Exception: made nullable.
 * 3. Custom attribute `value` is `oneOf` [string, string[], object[]]: an empty list matches
 *    both list branches, so no empty tag list could pass. Exception: `anyOf`.
 * 4. Dirty data (invalid emails) is outside the spec: the contract is checked on clean data.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import {
  createPersonioSandbox,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
} from '../../sandbox/personio/server.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const specsDir = join(process.env.SPECS_DIR ?? resolve(repoRoot, '../shared/specs'), 'personio', 'v2');
const files = {
  persons: join(specsDir, 'persons-service-api-v2.json'),
  employments: join(specsDir, 'employment-contract-v2.json'),
  auth: join(specsDir, 'credentials-service-api-v2.json'),
};

type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ??
  addFormatsModule) as unknown as AddFormats;
type Json = Record<string, unknown>;

const pointer = (route: string, method: string, status: string, type = 'application~1json') =>
  `#/paths/${encodeURIComponent(route.replaceAll('~', '~0').replaceAll('/', '~1'))}/${method}/responses/${status}/content/${type}/schema`;

function loadSpecs() {
  const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Json;
  const persons = read(files.persons);
  const employments = read(files.employments);
  const auth = read(files.auth);
  // Exception 1.
  const person = (persons.components as Json).schemas as Json;
  const attrType = (
    ((((person.Person as Json).properties as Json).custom_attributes as Json).items as Json)
      .properties as Json
  ).type as { enum: string[] };
  attrType.enum = [...attrType.enum, ...attrType.enum.map((v) => v.toLowerCase())];
  // Exception 3.
  const attrValue = (
    ((((person.Person as Json).properties as Json).custom_attributes as Json).items as Json)
      .properties as Json
  ).value as Json;
  attrValue.anyOf = attrValue.oneOf;
  delete attrValue.oneOf;
  // Exception 2.
  const employment = ((employments.components as Json).schemas as Json).Employment as Json;
  ((employment.properties as Json).employment_end_date as Json).nullable = true;

  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('url', true);
  ajv.addSchema(persons, 'persons');
  ajv.addSchema(employments, 'employments');
  ajv.addSchema(auth, 'auth');
  const compile = (ref: string): ValidateFunction => {
    const validate = ajv.getSchema(ref);
    if (!validate) throw new Error(`no schema at ${ref}`);
    return validate;
  };
  return {
    personList: compile(`persons${pointer('/v2/persons', 'get', '200')}`),
    person: compile(`persons${pointer('/v2/persons/{id}', 'get', '200')}`),
    person404: compile(`persons${pointer('/v2/persons/{id}', 'get', '404', 'application~1problem+json')}`),
    persons400: compile(`persons${pointer('/v2/persons', 'get', '400', 'application~1problem+json')}`),
    employmentList: compile(`employments${pointer('/v2/persons/{person_id}/employments', 'get', '200')}`),
    employment: compile(`employments${pointer('/v2/persons/{person_id}/employments/{id}', 'get', '200')}`),
    employments404: compile(
      `employments${pointer('/v2/persons/{person_id}/employments', 'get', '404', 'application~1problem+json')}`,
    ),
    token: compile(`auth${pointer('/v2/auth/token', 'post', '200')}`),
    token400: compile(`auth${pointer('/v2/auth/token', 'post', '400', 'application~1problem+json')}`),
  };
}

function assertValid(validate: ValidateFunction, body: unknown, what: string) {
  assert.ok(validate(body), `${what}: ${JSON.stringify(validate.errors?.slice(0, 5), null, 1)}`);
}

const present = Object.values(files).every((f) => existsSync(f));

if (!present) {
  const message = `Personio v2 specs not found at ${specsDir}: set SPECS_DIR to the folder holding personio/v2/`;
  if (process.env.CI === 'true') test('Personio v2 OpenAPI specs are available', () => assert.fail(message));
  else test('Personio v2 contract', { skip: message }, () => {});
} else {
  describe('Personio v2 sandbox against the official v2 OpenAPI files', () => {
    const spec = loadSpecs();
    const sandbox = createPersonioSandbox({ employees: 60, seed: 11 });
    let url = '';
    let token = '';
    const form = (fields: Record<string, string>) => ({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    const get = async (path: string) => {
      const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        body: (await response.json()) as Json,
      };
    };
    before(async () => {
      url = await sandbox.listen();
      const response = await fetch(
        `${url}/v2/auth/token`,
        form({
          grant_type: 'client_credentials',
          client_id: SANDBOX_CLIENT_ID,
          client_secret: SANDBOX_CLIENT_SECRET,
        }),
      );
      const body = (await response.json()) as Json;
      assertValid(spec.token, body, 'token');
      token = body.access_token as string;
    });
    after(() => sandbox.close());

    test('the compiled schemas reject malformed bodies (they are not vacuous)', () => {
      assert.equal(spec.person({ id: 1 }), false, 'numeric id');
      assert.equal(spec.person({ id: '1', gender: 'male' }), false, 'lower-case gender');
      assert.equal(spec.employment({ id: 'x', status: 'active' }), false, 'lower-case status');
      assert.equal(spec.token({ token_type: 'bearer' }), false);
      assert.equal(spec.token400({ error: 'nope' }), false);
    });

    test('token errors match OAuth2TokenErrorResponse', async () => {
      for (const [what, init] of [
        [
          'wrong secret',
          form({ grant_type: 'client_credentials', client_id: SANDBOX_CLIENT_ID, client_secret: 'x' }),
        ],
        ['missing grant', form({ client_id: SANDBOX_CLIENT_ID, client_secret: SANDBOX_CLIENT_SECRET })],
        ['JSON body', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }],
      ] as const) {
        const response = await fetch(`${url}/v2/auth/token`, init);
        assert.equal(response.status, 400, what);
        assert.match(response.headers.get('content-type') ?? '', /application\/problem\+json/);
        assertValid(spec.token400, await response.json(), what);
      }
    });

    test('every person page, person and employment matches the spec', async () => {
      let next: string | undefined = '/v2/persons?limit=50';
      let seen = 0;
      while (next) {
        const page = await get(next);
        assert.equal(page.status, 200);
        assertValid(spec.personList, page.body, next);
        const data = page.body._data as Json[];
        seen += data.length;
        for (const person of data) {
          const one = await get(`/v2/persons/${person.id as string}`);
          assertValid(spec.person, one.body, `person ${person.id as string}`);
          const list = await get(`/v2/persons/${person.id as string}/employments`);
          assertValid(spec.employmentList, list.body, `employments of ${person.id as string}`);
          for (const e of list.body._data as Json[]) {
            const single = await get(`/v2/persons/${person.id as string}/employments/${e.id as string}`);
            assertValid(spec.employment, single.body, `employment ${e.id as string}`);
          }
        }
        const href = ((page.body._meta as Json).links as Record<string, { href: string } | undefined>).next
          ?.href;
        next = href ? href.slice(url.length) : undefined;
      }
      assert.equal(seen, 60);
    });

    test('errors match the spec’s problem+json shapes', async () => {
      const missing = await get('/v2/persons/999999');
      assert.equal(missing.status, 404);
      assert.match(missing.type ?? '', /problem\+json/);
      assertValid(spec.person404, missing.body, 'unknown person');
      assertValid(spec.employments404, (await get('/v2/persons/999999/employments')).body, 'employments 404');
      for (const query of ['created_at.lt=wrong-date-format', 'id.nooperator=1', 'limit=100']) {
        const bad = await get(`/v2/persons?${query}`);
        assert.equal(bad.status, 400, query);
        assertValid(spec.persons400, bad.body, query);
      }
    });
  });
}
