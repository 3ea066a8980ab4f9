/**
 * `/_sandbox/…` routes for tests and demos: change employees between imports, look at the
 * internal record, reset. No auth, never faulted (see faults.ts), not counted in stats.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { employeeStatuses } from './model.js';
import { MutationError, type EmployeeMutations } from './mutations.js';

const orgUnit = z.object({ id: z.number().int(), name: z.string() }).strict();
/** As stored, including the malformed "" and [] that real accounts send. */
const orgUnitValue = z.union([orgUnit, z.null(), z.literal(''), z.tuple([])]);

const hireBody = z
  .object({
    firstName: z.string(),
    lastName: z.string(),
    email: z.string(),
    gender: z.enum(['male', 'female', 'diverse']),
    status: z.enum(employeeStatuses),
    position: z.string(),
    supervisorId: z.number().int().nullable(),
    employmentType: z.enum(['internal', 'external']),
    weeklyWorkingHours: z.number().min(0).max(80),
    hireDate: z.string(),
    subcompany: orgUnitValue,
    office: orgUnitValue,
    department: z.union([z.string(), orgUnitValue]),
    team: orgUnitValue,
    costCenters: z.array(
      z.object({ id: z.number().int(), name: z.string(), percentage: z.number() }).strict(),
    ),
    custom: z.record(z.string(), z.union([z.string(), z.array(z.string()), z.null()])),
  })
  .strict()
  .partial();

const idParams = z.object({ id: z.coerce.number().int().positive() });
const terminateBody = z.object({ date: z.string().optional() }).strict();
const departmentBody = z.object({ department: z.union([z.string().min(1), orgUnit, z.null()]) }).strict();
const emailBody = z.object({ email: z.string() }).strict();
const nameBody = z.object({ firstName: z.string().min(1), lastName: z.string().min(1) }).strict();
const statusBody = z.object({ status: z.enum(employeeStatuses) }).strict();
const supervisorBody = z.object({ supervisorId: z.number().int().nullable() }).strict();

function parse<T>(schema: z.ZodType<T>, value: unknown, reply: FastifyReply): T | undefined {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  void reply.code(400).send({ error: 'invalid request', issues: result.error.issues });
  return undefined;
}

/** Run a mutation, turning MutationError into its status. */
function attempt(reply: FastifyReply, run: () => unknown, status = 200) {
  try {
    const result = run();
    return reply.code(status).send(result);
  } catch (error) {
    if (error instanceof MutationError) return reply.code(error.status).send({ error: error.message });
    throw error;
  }
}

export function registerAdminRoutes(
  app: FastifyInstance,
  data: EmployeeMutations,
  reset: () => void,
  info: () => unknown,
): void {
  const base = '/_sandbox/employees';
  type WithId = { Params: { id: string } };

  app.get('/_sandbox/info', async () => info());

  app.post('/_sandbox/reset', async () => {
    reset();
    return { reset: true };
  });

  app.get<WithId>(`${base}/:id`, async (request, reply) => {
    const params = parse(idParams, request.params, reply);
    if (!params) return reply;
    const employee = data.get(params.id);
    return employee ?? reply.code(404).send({ error: `employee ${params.id} not found` });
  });

  app.post(base, async (request, reply) => {
    const body = parse(hireBody, request.body, reply);
    return body ? attempt(reply, () => data.hire(body), 201) : reply;
  });

  /** POST /_sandbox/employees/:id/<action> with a validated body. */
  function action<T>(name: string, schema: z.ZodType<T>, run: (id: number, body: T) => unknown) {
    app.post<WithId>(`${base}/:id/${name}`, async (request, reply) => {
      const params = parse(idParams, request.params, reply);
      const body = params && parse(schema, request.body, reply);
      return params && body ? attempt(reply, () => run(params.id, body)) : reply;
    });
  }

  action('terminate', terminateBody, (id, b) => data.terminate(id, b.date));
  action('rehire', z.object({}).strict(), (id) => data.rehire(id));
  action('department', departmentBody, (id, b) => data.moveDepartment(id, b.department));
  action('email', emailBody, (id, b) => data.changeEmail(id, b.email));
  action('name', nameBody, (id, b) => data.changeName(id, b.firstName, b.lastName));
  action('status', statusBody, (id, b) => data.setStatus(id, b.status));
  action('supervisor', supervisorBody, (id, b) => data.setSupervisor(id, b.supervisorId));

  app.delete<WithId>(`${base}/:id`, async (request, reply) => {
    const params = parse(idParams, request.params, reply);
    return params ? attempt(reply, () => data.remove(params.id)) : reply;
  });
}
