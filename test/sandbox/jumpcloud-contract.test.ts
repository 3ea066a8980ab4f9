/**
 * Contract tests: real answers of the JumpCloud sandbox validated against JumpCloud's own
 * Swagger 2.0 files (read in place, never copied: `${SPECS_DIR}/jumpcloud/`, by default
 * `<repo>/../shared/specs`). Each route is checked for its success answer and for the error
 * answers it gives, against the spec's standard error schemas; the request bodies the tests
 * send are checked against the spec's request schemas too.
 *
 * Where the spec and the facts doc (shared/docs/jumpcloud-api.md) differ, the sandbox follows
 * the doc; each such exception is named where it is applied:
 * - GraphConnection.attributes is `null` on real answers ("attributes":null in the doc); the
 *   spec types it as an object without x-nullable, so the schema is widened to allow null.
 * - POST /systemusers/{id}/state/activate takes `{"email": false}` per the doc; the spec types
 *   `email` as a string, so that request body is not validated against the spec.
 * - Errors the paths do not list (the spec's v1 paths list only 200) are validated against
 *   the spec's `trait:standardErrors:<status>` responses, whatever the path.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { startSandbox, userBody, type Call, type SystemUser, type UserGroup } from './jumpcloud-helpers.js';
import { required } from '../helpers/requirements.js';

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on .default.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

type Schema = Record<string, unknown>;
interface SwaggerOperation {
  parameters?: ({ in?: string; schema?: Schema } & Schema)[];
  responses: Record<string, { schema?: Schema } | undefined>;
}
interface SwaggerSpec {
  paths: Record<string, Record<string, SwaggerOperation | undefined> | undefined>;
  definitions: Record<string, Schema>;
  responses: Record<string, { schema?: Schema } | undefined>;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const specsDir = join(process.env.SPECS_DIR ?? join(repoRoot, '..', 'shared', 'specs'), 'jumpcloud');

function loadSpec(file: string, dir = specsDir): SwaggerSpec {
  const path = join(dir, file);
  if (!existsSync(path))
    throw new Error(`specs not found at ${path} (set SPECS_DIR to the folder holding jumpcloud/)`);
  return JSON.parse(readFileSync(path, 'utf8')) as SwaggerSpec;
}

/** Swagger 2.0 `x-nullable: true` → JSON Schema "this, or null". */
function allowNulls(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(allowNulls);
  if (node === null || typeof node !== 'object') return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) out[key] = allowNulls(value);
  if (out['x-nullable'] !== true) return out;
  delete out['x-nullable'];
  return { anyOf: [out, { type: 'null' }] };
}

/** Point local `#/…` refs at the document registered under `id`. */
function qualifyRefs(node: unknown, id: string): unknown {
  if (Array.isArray(node)) return node.map((n) => qualifyRefs(n, id));
  if (node === null || typeof node !== 'object') return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] =
      key === '$ref' && typeof value === 'string' && value.startsWith('#')
        ? id + value
        : qualifyRefs(value, id);
  }
  return out;
}

class SwaggerContract {
  constructor(
    private readonly ajv: Ajv,
    private readonly spec: SwaggerSpec,
    private readonly id: string,
  ) {
    const definitions = structuredClone(spec.definitions);
    // Doc over spec: plain edges carry "attributes": null.
    const graphConnection = definitions.GraphConnection as
      { properties?: Record<string, Schema> } | undefined;
    if (graphConnection?.properties?.attributes) graphConnection.properties.attributes['x-nullable'] = true;
    ajv.addSchema({ $id: id, definitions: allowNulls(definitions) });
  }

  private compile(schema: Schema): ValidateFunction {
    return this.ajv.compile(qualifyRefs(allowNulls(schema), this.id) as Schema);
  }

  private operation(path: string, method: string): SwaggerOperation {
    const operation = this.spec.paths[path]?.[method];
    if (!operation) throw new Error(`${this.id}: no ${method.toUpperCase()} ${path} in the spec`);
    return operation;
  }

  /** The schema of a documented answer; undefined when the spec gives that answer no body. */
  response(path: string, method: string, status: number): ValidateFunction | undefined {
    const answer = this.operation(path, method).responses[String(status)];
    if (!answer) throw new Error(`${this.id}: ${method.toUpperCase()} ${path} documents no ${status}`);
    return answer.schema ? this.compile(answer.schema) : undefined;
  }

  error(status: number): ValidateFunction {
    const schema = this.spec.responses[`trait:standardErrors:${status}`]?.schema;
    if (!schema) throw new Error(`${this.id}: no standard error schema for ${status}`);
    return this.compile(schema);
  }

  request(path: string, method: string): ValidateFunction {
    const body = this.operation(path, method).parameters?.find((p) => p.in === 'body');
    if (!body?.schema) throw new Error(`${this.id}: ${method.toUpperCase()} ${path} takes no body`);
    return this.compile(body.schema);
  }
}

function conforms(validate: ValidateFunction | undefined, data: unknown, label: string): void {
  if (!validate) return;
  assert.ok(validate(data), `${label}: ${JSON.stringify(validate.errors, null, 1)}\n${JSON.stringify(data)}`);
}

const specsPresent = required(
  'JumpCloud Swagger specs',
  ['JumpCloud.SDK.V1.json', 'JumpCloud.SDK.V2.json'].every((f) => existsSync(join(specsDir, f))),
  `no JumpCloud.SDK.V1.json/V2.json in ${specsDir}: set SPECS_DIR to the folder holding jumpcloud/ (the shared specs checkout)`,
);
/** The spec tests, registered only when the specs are there (else one skip line above). */
const specTest: typeof test = specsPresent ? test : ((() => {}) as unknown as typeof test);

let contracts: { v1: SwaggerContract; v2: SwaggerContract } | undefined;
function specs() {
  if (!contracts) {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    contracts = {
      v1: new SwaggerContract(ajv, loadSpec('JumpCloud.SDK.V1.json'), 'jumpcloud-v1'),
      v2: new SwaggerContract(ajv, loadSpec('JumpCloud.SDK.V2.json'), 'jumpcloud-v2'),
    };
  }
  return contracts;
}

/** Send a request (its body checked against `requestSchema` when given) and check the answer. */
async function expectAnswer(
  call: Call,
  method: string,
  path: string,
  status: number,
  validate: ValidateFunction | undefined,
  options: { body?: unknown; requestSchema?: ValidateFunction; apiKey?: string | null } = {},
) {
  const label = `${method} ${path} → ${status}`;
  if (options.requestSchema) conforms(options.requestSchema, options.body, `request of ${label}`);
  const response = await call(method, path, { body: options.body, apiKey: options.apiKey });
  assert.equal(response.status, status, `${label}: got ${response.status} ${JSON.stringify(response.body)}`);
  conforms(validate, response.body, label);
  return response;
}

const UNKNOWN_USER = '5a00000000000000000000ff';
const UNKNOWN_GROUP = '5b00000000000000000000ff';
const UNKNOWN_APP = '5c00000000000000000000ff';

specTest('v1 system users: every route, success and errors, match the spec', async (t) => {
  const { v1 } = specs();
  const { call, sandbox } = await startSandbox(t);
  const [boss] = sandbox.seedUsers([userBody(0)]);
  const err = (status: number) => v1.error(status);

  const createBody = {
    ...userBody(1, {
      state: 'STAGED',
      manager: boss!._id,
      jobTitle: 'Dev',
      department: 'IT',
      costCenter: 'CC1',
    }),
    attributes: [{ name: 'personioId', value: '1' }],
  };
  const created = await expectAnswer(
    call,
    'POST',
    '/api/systemusers',
    200,
    v1.response('/systemusers', 'post', 200),
    {
      body: createBody,
      requestSchema: v1.request('/systemusers', 'post'),
    },
  );
  const user = created.body as unknown as SystemUser;
  await expectAnswer(call, 'POST', '/api/systemusers', 400, err(400), { body: createBody }); // duplicate
  await expectAnswer(call, 'POST', '/api/systemusers', 400, err(400), { body: { email: 'x@example.com' } });
  await expectAnswer(call, 'POST', '/api/systemusers', 401, err(401), { body: createBody, apiKey: 'wrong' });

  const list = v1.response('/systemusers', 'get', 200);
  await expectAnswer(call, 'GET', '/api/systemusers?limit=100&sort=_id', 200, list);
  await expectAnswer(
    call,
    'GET',
    '/api/systemusers?filter=email:$eq:user1@example.com&fields=email%20username',
    200,
    list,
  );
  await expectAnswer(call, 'GET', '/api/systemusers?limit=101', 400, err(400));
  await expectAnswer(call, 'GET', '/api/systemusers', 401, err(401), { apiKey: null });

  const one = v1.response('/systemusers/{id}', 'get', 200);
  await expectAnswer(call, 'GET', `/api/systemusers/${user._id}`, 200, one);
  await expectAnswer(call, 'GET', `/api/systemusers/${UNKNOWN_USER}`, 404, err(404));

  const search = v1.response('/search/systemusers', 'post', 200);
  const searchRequest = v1.request('/search/systemusers', 'post');
  for (const body of [
    { filter: { and: [{ email: 'user1@example.com' }] }, fields: 'email username', limit: 10, skip: 0 },
    { filter: { or: [{ email: 'user1@example.com' }, { username: 'user0' }] } },
    { searchFilter: { searchTerm: 'user', fields: ['username'] }, limit: 100 },
  ]) {
    await expectAnswer(call, 'POST', '/api/search/systemusers', 200, search, {
      body,
      requestSchema: searchRequest,
    });
  }
  await expectAnswer(call, 'POST', '/api/search/systemusers', 400, err(400), { body: { limit: 500 } });

  const put = v1.response('/systemusers/{id}', 'put', 200);
  const putRequest = v1.request('/systemusers/{id}', 'put');
  const path = `/api/systemusers/${user._id}`;
  await expectAnswer(call, 'PUT', path, 200, put, {
    body: { jobTitle: 'Lead', attributes: [], state: 'SUSPENDED' },
    requestSchema: putRequest,
  });
  await expectAnswer(call, 'PUT', path, 200, put, {
    body: { state: 'ACTIVATED' },
    requestSchema: putRequest,
  });
  // The spec's SystemUserPut has no STAGED in its state enum either: the 400 is by design.
  await expectAnswer(call, 'PUT', path, 400, err(400), { body: { state: 'STAGED' } });
  await expectAnswer(call, 'PUT', path, 400, err(400), {
    body: { manager: UNKNOWN_USER },
    requestSchema: putRequest,
  });
  await expectAnswer(call, 'PUT', `/api/systemusers/${UNKNOWN_USER}`, 404, err(404), {
    body: { jobTitle: 'x' },
  });

  // Doc over spec: {"email": false} is not validated against the spec's `email: string`.
  const staged = sandbox.seedUsers([userBody(2)])[0]!;
  const activate = v1.response('/systemusers/{id}/state/activate', 'post', 200);
  await expectAnswer(call, 'POST', `/api/systemusers/${staged._id}/state/activate`, 200, activate, {
    body: { email: false },
  });
  await expectAnswer(call, 'POST', `/api/systemusers/${UNKNOWN_USER}/state/activate`, 404, err(404));

  await expectAnswer(call, 'DELETE', path, 200, v1.response('/systemusers/{id}', 'delete', 200));
  await expectAnswer(call, 'DELETE', path, 404, err(404));
});

specTest('v1 applications match the spec', async (t) => {
  const { v1 } = specs();
  const { call, sandbox } = await startSandbox(t);
  const [app] = sandbox.store.allApplications();
  const list = v1.response('/applications', 'get', 200);
  await expectAnswer(call, 'GET', '/api/applications?filter=displayLabel:$eq:Personio%20Import', 200, list);
  await expectAnswer(call, 'GET', '/api/applications?limit=5&skip=0', 200, list);
  await expectAnswer(call, 'GET', '/api/applications?limit=101', 400, v1.error(400));
  await expectAnswer(
    call,
    'GET',
    `/api/applications/${app!._id}`,
    200,
    v1.response('/applications/{id}', 'get', 200),
  );
  await expectAnswer(call, 'GET', `/api/applications/${UNKNOWN_APP}`, 404, v1.error(404));
});

specTest('v2 user groups and members match the spec', async (t) => {
  const { v2 } = specs();
  const { call, sandbox } = await startSandbox(t);
  const [user] = sandbox.seedUsers([userBody(1)]);
  const err = (status: number) => v2.error(status);

  const groupRequest = v2.request('/usergroups', 'post');
  const created = await expectAnswer(
    call,
    'POST',
    '/api/v2/usergroups',
    201,
    v2.response('/usergroups', 'post', 201),
    {
      body: { name: 'Engineering', description: 'R&D' },
      requestSchema: groupRequest,
    },
  );
  const group = created.body as unknown as UserGroup;
  await expectAnswer(call, 'POST', '/api/v2/usergroups', 409, err(409), {
    body: { name: 'ENGINEERING' },
    requestSchema: groupRequest,
  });
  await expectAnswer(call, 'POST', '/api/v2/usergroups', 400, err(400), { body: { name: '' } });

  const list = v2.response('/usergroups', 'get', 200);
  const listed = await expectAnswer(call, 'GET', '/api/v2/usergroups?filter=name:eq:Engineering', 200, list);
  assert.equal(listed.headers.get('x-total-count'), '1');
  await expectAnswer(call, 'GET', '/api/v2/usergroups?sort=-name&fields=name&limit=100', 200, list);
  await expectAnswer(call, 'GET', '/api/v2/usergroups?filter=name:like:x', 400, err(400));
  await expectAnswer(call, 'GET', '/api/v2/usergroups', 401, err(401), { apiKey: null });
  await expectAnswer(
    call,
    'GET',
    `/api/v2/usergroups/${group.id}`,
    200,
    v2.response('/usergroups/{id}', 'get', 200),
  );
  await expectAnswer(call, 'GET', `/api/v2/usergroups/${UNKNOWN_GROUP}`, 404, err(404));

  const membersPath = `/api/v2/usergroups/${group.id}/members`;
  const memberRequest = v2.request('/usergroups/{group_id}/members', 'post');
  const memberOp = (op: string) => ({ op, type: 'user', id: user!._id });
  const noContent = v2.response('/usergroups/{group_id}/members', 'post', 204);
  await expectAnswer(call, 'POST', membersPath, 204, noContent, {
    body: memberOp('add'),
    requestSchema: memberRequest,
  });
  await expectAnswer(call, 'POST', membersPath, 409, err(409), {
    body: memberOp('add'),
    requestSchema: memberRequest,
  });
  await expectAnswer(call, 'POST', membersPath, 400, err(400), {
    body: { op: 'add', type: 'system', id: user!._id },
  });
  await expectAnswer(call, 'POST', `/api/v2/usergroups/${UNKNOWN_GROUP}/members`, 404, err(404), {
    body: memberOp('add'),
  });
  const members = v2.response('/usergroups/{group_id}/members', 'get', 200);
  await expectAnswer(call, 'GET', `${membersPath}?limit=10&skip=0`, 200, members);
  await expectAnswer(call, 'GET', `/api/v2/usergroups/${UNKNOWN_GROUP}/members`, 404, err(404));
  const memberOf = v2.response('/users/{user_id}/memberof', 'get', 200);
  await expectAnswer(call, 'GET', `/api/v2/users/${user!._id}/memberof`, 200, memberOf);
  await expectAnswer(call, 'GET', `/api/v2/users/${UNKNOWN_USER}/memberof`, 404, err(404));
  await expectAnswer(call, 'POST', membersPath, 204, noContent, {
    body: memberOp('remove'),
    requestSchema: memberRequest,
  });
  await expectAnswer(call, 'POST', membersPath, 404, err(404), { body: memberOp('remove') });

  // The spec allows 200 with the group or 204; the sandbox answers 204.
  await expectAnswer(
    call,
    'DELETE',
    `/api/v2/usergroups/${group.id}`,
    204,
    v2.response('/usergroups/{id}', 'delete', 204),
  );
  await expectAnswer(call, 'DELETE', `/api/v2/usergroups/${group.id}`, 404, err(404));
});

specTest('v2 application associations match the spec', async (t) => {
  const { v2 } = specs();
  const { call, sandbox } = await startSandbox(t);
  const [group] = sandbox.seedGroups([{ name: 'Eng' }]);
  const [app] = sandbox.store.allApplications();
  const err = (status: number) => v2.error(status);
  const path = `/api/v2/applications/${app!._id}/associations`;
  const request = v2.request('/applications/{application_id}/associations', 'post');
  const noContent = v2.response('/applications/{application_id}/associations', 'post', 204);
  const op = (o: string) => ({ op: o, type: 'user_group', id: group!.id });

  await expectAnswer(call, 'POST', path, 204, noContent, { body: op('add'), requestSchema: request });
  await expectAnswer(call, 'POST', path, 409, err(409), { body: op('add'), requestSchema: request });
  await expectAnswer(call, 'POST', path, 400, err(400), {
    body: { op: 'add', type: 'group', id: group!.id },
  });
  await expectAnswer(call, 'POST', `/api/v2/applications/${UNKNOWN_APP}/associations`, 404, err(404), {
    body: op('add'),
  });
  const list = v2.response('/applications/{application_id}/associations', 'get', 200);
  await expectAnswer(call, 'GET', `${path}?targets=user_group`, 200, list);
  await expectAnswer(call, 'GET', path, 400, err(400));
  await expectAnswer(call, 'POST', path, 204, noContent, { body: op('remove'), requestSchema: request });
  await expectAnswer(call, 'POST', path, 404, err(404), { body: op('remove') });
});

specTest('injected faults answer with bodies the spec error schema accepts', async (t) => {
  const { v1, v2 } = specs();
  const { call, sandbox } = await startSandbox(t, { faults: { faultRate: 1 } });
  const serverError = await call('GET', '/api/systemusers');
  assert.ok([500, 502, 503].includes(serverError.status));
  conforms(v1.error(500), serverError.body, 'injected 5xx (v1)');
  conforms(v2.error(500), serverError.body, 'injected 5xx (v2)');
  sandbox.faults.set({ faultRate: 0, rateLimit: 1 });
  await call('GET', '/api/v2/usergroups');
  const limited = await call('GET', '/api/v2/usergroups');
  assert.equal(limited.status, 429);
  // The spec defines no 429 response; its generic Error shape is the closest contract.
  conforms(v2.error(500), limited.body, 'injected 429');
});

test('the spec loader fails with a plain message when the specs are missing', () => {
  assert.throws(
    () => loadSpec('JumpCloud.SDK.V1.json', join(repoRoot, 'no-such-specs', 'jumpcloud')),
    (error: Error) =>
      error.message.startsWith('specs not found at ') && error.message.includes('no-such-specs'),
  );
});
