/**
 * Contract tests: real sandbox responses validated against Personio's published OpenAPI
 * schemas (read from ${SPECS_DIR:-<repo>/../shared/specs}/personio/, never copied here).
 *
 * Where the spec and the observed behaviour (shared/docs/personio-api.md) differ, the sandbox
 * follows the observed behaviour and the schema is adjusted in memory, each case named here:
 *
 * 1. EmployeesResponse is `allOf: [Response, {data: array}]`, but Response declares
 *    `data: {type: object}`, so no list can satisfy it. Exception: the list schema uses
 *    Response without the type on `data`.
 * 2. References (office, department, subcompany, team) and the supervisor are `null` when
 *    unset (doc: "… or null"); the spec has no `nullable`. Exception: those value schemas are
 *    made nullable.
 * 3. Dirty data ("" / [] where an object belongs) is real-world behaviour outside the spec:
 *    the contract is checked on clean data, and a test shows the schema rejects the dirty shapes.
 * 4. Error responses of GET /company/employees (401, 403, 422, 429) are not in the spec; they are
 *    checked against the spec's ErrorResponse / 401- and 403-responses used by other routes.
 * 5. Wrong credentials on /auth are not in the auth spec (doc: 401 is the sensible choice);
 *    checked against ErrorResponse.
 * 6. /company/employees/attributes has only an example, no schema: items are compared with
 *    the example's fields and TypeEnum.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { load } from 'js-yaml';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from '../../sandbox/personio/server.js';
import { start, type Started } from './personio-helpers.js';
import { required } from '../helpers/requirements.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const specsDir = join(process.env.SPECS_DIR ?? resolve(repoRoot, '../shared/specs'), 'personio');
const personnelFile = join(specsDir, 'personio-personnel-data-api-oa3.yaml');
const authFile = join(specsDir, 'personio-auth-api.yaml');

// ajv-formats is CommonJS; under NodeNext its default export arrives one level down.
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ??
  addFormatsModule) as unknown as AddFormats;

type Json = Record<string, unknown>;
const at = (object: unknown, ...path: string[]): Json => {
  let current = object;
  for (const key of path) current = (current as Json | undefined)?.[key];
  if (current === undefined) throw new Error(`spec has no ${path.join(' → ')}`);
  return current as Json;
};
/** JSON pointer into a route's response schema, as ajv resolves it. */
const responsePointer = (route: string, method: string, status: string) =>
  `#/paths/${encodeURIComponent(route.replaceAll('~', '~0').replaceAll('/', '~1'))}/${method}/responses/${status}/content/application~1json/schema`;

/**
 * The personnel spec closes some flow sequences in its examples (`options: [ … ]`) at the
 * indentation of their key, which js-yaml 5 rejects as "deficient indentation". Indenting
 * lines that hold only a closing bracket is harmless in flow context and lets it parse;
 * the spec file itself is left untouched.
 */
function loadYaml(file: string): Json {
  const text = readFileSync(file, 'utf8').replace(/^( *)([\]}],?) *$/gm, '$1  $2');
  return load(text, { filename: file }) as Json;
}

function loadSpecs() {
  const personnel = loadYaml(personnelFile);
  const auth = loadYaml(authFile);
  const schemas = at(personnel, 'components', 'schemas');

  // Exception 1: a list response cannot satisfy Response's `data: object`.
  const employeesResponse = at(schemas, 'EmployeesResponse');
  const response = structuredClone(at(schemas, 'Response'));
  delete at(response, 'properties', 'data').type;
  (employeesResponse.allOf as Json[])[0] = response;
  // Exception 2: unset references and supervisors are null.
  for (const name of ['Office', 'Department', 'Team'])
    at(schemas, name, 'properties', 'value').nullable = true;
  at(schemas, 'ShortEmployee').nullable = true;

  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(personnel, 'personnel');
  ajv.addSchema(auth, 'auth');
  const compile = (ref: string): ValidateFunction => {
    const validate = ajv.getSchema(ref);
    if (!validate) throw new Error(`no schema at ${ref}`);
    return validate;
  };
  return {
    authToken: compile(`auth${responsePointer('/auth', 'post', '200')}`),
    employees: compile(`personnel${responsePointer('/company/employees', 'get', '200')}`),
    employee: compile(`personnel${responsePointer('/company/employees/{employee_id}', 'get', '200')}`),
    employee404: compile(`personnel${responsePointer('/company/employees/{employee_id}', 'get', '404')}`),
    unauthorized: compile(
      'personnel#/components/responses/401UnauthorizedResponse/content/application~1json/schema',
    ),
    forbidden: compile(
      'personnel#/components/responses/403ForbiddenResponse/content/application~1json/schema',
    ),
    error: compile('personnel#/components/schemas/ErrorResponse'),
    typeEnum: at(schemas, 'TypeEnum').enum as string[],
    attributesExample: at(
      personnel,
      'paths',
      '/company/employees/attributes',
      'get',
      'responses',
      '200',
      'content',
      'application/json',
      'examples',
      'response',
      'value',
    ),
  };
}

function assertValid(validate: ValidateFunction, body: unknown, what: string) {
  const ok = validate(body);
  assert.ok(ok, `${what}: ${JSON.stringify(validate.errors?.slice(0, 5), null, 1)}`);
}

const specsPresent = existsSync(personnelFile) && existsSync(authFile);

if (
  required(
    'Personio OpenAPI specs',
    specsPresent,
    `no ${personnelFile} and ${authFile}: set SPECS_DIR to the folder holding personio/ (the shared specs checkout)`,
  )
) {
  describe('Personio sandbox against the OpenAPI spec', () => {
    const spec = loadSpecs();
    let s: Started;
    let raw: (path: string, init?: RequestInit) => Promise<{ status: number; body: unknown }>;
    before(async () => {
      s = await start({ employees: 150, seed: 9 });
      raw = async (path, init) => {
        const response = await fetch(`${s.url}${path}`, init);
        return { status: response.status, body: await response.json() };
      };
    });
    after(() => s.sandbox.close());

    test('the compiled schemas reject malformed bodies (they are not vacuous)', () => {
      const attribute = { label: 'First name', value: 'A', type: 'bogus', universal_id: 'first_name' };
      const metadata = { total_elements: 1, current_page: 0, total_pages: 1 };
      const list = (attributes: unknown, meta: unknown = metadata) => ({
        success: true,
        metadata: meta,
        offset: 0,
        limit: 1,
        data: [{ type: 'Employee', attributes }],
      });
      assert.equal(spec.employees(list({ first_name: attribute })), false, 'unknown attribute type');
      assert.equal(spec.employees(list({}, { total_elements: 1 })), false, 'incomplete metadata');
      assert.equal(spec.employees(list({ first_name: { ...attribute, type: 'standard' } })), true);
      assert.equal(spec.error({ success: false, error: { code: 'x', message: 'm' } }), false);
      assert.equal(spec.authToken({ success: true, data: { expires_in: 1 } }), false, 'token missing');
    });

    test('POST /v1/auth 200 matches AuthenticationTokenResponse', async () => {
      const { status, body } = await raw('/v1/auth', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: SANDBOX_CLIENT_ID, client_secret: SANDBOX_CLIENT_SECRET }),
      });
      assert.equal(status, 200);
      assertValid(spec.authToken, body, 'auth');
      const wrong = await raw('/v1/auth', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: 'x', client_secret: 'y' }),
      });
      assert.equal(wrong.status, 401);
      assertValid(spec.error, wrong.body, 'wrong credentials (exception 5)');
    });

    test('GET /v1/company/employees pages match EmployeesResponse', async () => {
      for (const offset of [0, 100]) {
        const { status, body } = await s.get(`/v1/company/employees?limit=100&offset=${offset}`);
        assert.equal(status, 200);
        assertValid(spec.employees, body, `page at ${offset}`);
      }
      for (const query of [
        'attributes[]=first_name&attributes[]=supervisor',
        'email=nobody%40x.de',
        'updated_since=2024-01-01',
      ]) {
        assertValid(spec.employees, (await s.get(`/v1/company/employees?${query}`)).body, query);
      }
    });

    test('every attribute uses a TypeEnum type and the {label, value, type, universal_id} shape', async () => {
      const { body } = await s.get<{ data: { attributes: Record<string, Json> }[] }>(
        '/v1/company/employees?limit=100',
      );
      for (const employee of body.data) {
        for (const [key, attribute] of Object.entries(employee.attributes)) {
          assert.ok(spec.typeEnum.includes(attribute.type as string), `${key}: ${String(attribute.type)}`);
          assert.equal(typeof attribute.label, 'string');
          assert.ok('value' in attribute && 'universal_id' in attribute, key);
        }
      }
    });

    test('GET /v1/company/employees/{id} matches EmployeeResponse; unknown id matches the 404 schema', async () => {
      for (const id of [1001, 1075, 1150]) {
        const { status, body } = await s.get(`/v1/company/employees/${id}`);
        assert.equal(status, 200);
        assertValid(spec.employee, body, `employee ${id}`);
      }
      const missing = await s.get('/v1/company/employees/1');
      assert.equal(missing.status, 404);
      assertValid(spec.employee404, missing.body, '404');
    });

    test('401, 403, 422 and 429 match the spec error responses (exception 4)', async () => {
      const none = await raw('/v1/company/employees');
      assert.equal(none.status, 401);
      assertValid(spec.unauthorized, none.body, '401');
      const bad = await s.get('/v1/company/employees', 'papi-bogus');
      assert.equal(bad.status, 403);
      assertValid(spec.forbidden, bad.body, '403');
      const invalid = await s.get('/v1/company/employees?limit=101');
      assert.equal(invalid.status, 422);
      assertValid(spec.error, invalid.body, '422');
      const tight = await start({ employees: 1, employeesRateLimit: { perMinute: 1, perSecond: 1 } });
      await tight.get('/v1/company/employees');
      const limited = await tight.get('/v1/company/employees');
      await tight.sandbox.close();
      assert.equal(limited.status, 429);
      assertValid(spec.error, limited.body, '429');
    });

    test('GET /v1/company/employees/attributes items have the example fields (exception 6)', async () => {
      const { status, body } = await s.get<{ success: boolean; data: Json[] }>(
        '/v1/company/employees/attributes',
      );
      assert.equal(status, 200);
      assert.equal(body.success, true);
      const example = spec.attributesExample as { data: Json[] };
      const exampleKeys = Object.keys(example.data[0]!).sort();
      for (const item of body.data) {
        assert.deepEqual(Object.keys(item).sort(), exampleKeys);
        assert.ok(spec.typeEnum.includes(item.type as string));
        assert.ok(Array.isArray(item.options));
      }
    });

    test('dirty shapes are outside the spec, and the schema notices (exception 3)', async () => {
      const dirty = await start({ employees: 20, dirty: true });
      try {
        for (const id of [1009, 1010, 1011]) {
          const { body } = await dirty.get(`/v1/company/employees/${id}`);
          assert.equal(spec.employee(body), false, `employee ${id} should not validate`);
        }
        assertValid(spec.employee, (await dirty.get('/v1/company/employees/1001')).body, 'clean record');
      } finally {
        await dirty.sandbox.close();
      }
    });
  });
}
