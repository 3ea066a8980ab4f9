/**
 * JumpCloud's rules for system users: what a create or update may contain, uniqueness,
 * the manager reference and the STAGED → ACTIVATED ⇄ SUSPENDED life cycle.
 *
 * Kept apart from the routes so the admin seeding route applies exactly the same rules
 * without counting writes.
 */
import { z } from 'zod';
import type { SandboxContext } from './context.js';
import { ApiError, badRequest, notFound } from './errors.js';
import type { SystemUser, UserState } from './store.js';

// ---- request shapes ---------------------------------------------------------------------

const MAX_STRING = 1024;
const MAX_EMPLOYEE_IDENTIFIER = 256;
const MAX_USERNAME = 30;

/** Starts with a letter; letters, digits, `.`, `-`, `_`; no spaces, no `@`. */
const USERNAME_PATTERN = /^[A-Za-z][A-Za-z0-9._-]*$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+$/;

const text = (max = MAX_STRING) => z.string().max(max, `must be at most ${max} characters`);

const username = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_USERNAME, `must be at most ${MAX_USERNAME} characters`)
  .regex(USERNAME_PATTERN, 'must start with a letter and contain only letters, digits, ".", "-" and "_"');
const email = text().regex(EMAIL_PATTERN, 'must be a valid email address');

const attribute = z.object({ name: z.string().min(1, 'must not be empty').max(MAX_STRING), value: text() });
const phoneNumber = z.object({ type: text().optional(), number: text().optional() });
const address = z.object({
  type: text().optional(),
  poBox: text().optional(),
  extendedAddress: text().optional(),
  streetAddress: text().optional(),
  locality: text().optional(),
  region: text().optional(),
  postalCode: text().optional(),
  country: text().optional(),
});

/** Writable profile fields; anything else in a body is ignored, as JumpCloud ignores it. */
const profileFields = {
  firstname: text().optional(),
  middlename: text().optional(),
  lastname: text().optional(),
  displayname: text().optional(),
  jobTitle: text().optional(),
  department: text().optional(),
  costCenter: text().optional(),
  employeeType: text().optional(),
  employeeIdentifier: text(MAX_EMPLOYEE_IDENTIFIER).optional(),
  company: text().optional(),
  location: text().optional(),
  description: text().optional(),
  alternateEmail: text().optional(),
  managedAppleId: text().optional(),
  attributes: z.array(attribute).optional(),
  phoneNumbers: z.array(phoneNumber).optional(),
  addresses: z.array(address).optional(),
  password: z.string().optional(),
  sudo: z.boolean().optional(),
  passwordless_sudo: z.boolean().optional(),
  password_never_expires: z.boolean().optional(),
  allow_public_key: z.boolean().optional(),
  enable_user_portal_multifactor: z.boolean().optional(),
  suspended: z.boolean().optional(),
};

const createSchema = z.object({
  ...profileFields,
  username,
  email,
  manager: z.string().optional(),
  state: z.enum(['STAGED', 'ACTIVATED', 'SUSPENDED']).optional(),
});

const updateSchema = z.object({
  ...profileFields,
  username: username.optional(),
  email: email.optional(),
  /** null clears the manager. */
  manager: z.string().nullable().optional(),
  /** A user cannot be put back to STAGED; checked below for a clearer message. */
  state: z.enum(['STAGED', 'ACTIVATED', 'SUSPENDED']).optional(),
});

type ProfileInput = Partial<z.infer<z.ZodObject<typeof profileFields>>>;

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('request body must be a JSON object');
  }
  const result = schema.safeParse(body, {
    error: (issue) =>
      issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined,
  });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.join('.') ?? '';
  const message = issue?.message ?? 'invalid request body';
  // Our own messages read on from the field name ("username is required"); zod's are sentences.
  throw badRequest(!path ? message : /^[a-z]/.test(message) ? `${path} ${message}` : `${path}: ${message}`);
}

// ---- helpers ------------------------------------------------------------------------------

/** Fields a new user gets when the body does not set them (a subset of what JumpCloud sends). */
function defaultUserFields(): Record<string, unknown> {
  return {
    account_locked: false,
    allow_public_key: true,
    addresses: [],
    attributes: [],
    phoneNumbers: [],
    ssh_keys: [],
    sudo: false,
    passwordless_sudo: false,
    password_never_expires: false,
    password_expired: false,
    samba_service_user: false,
    ldap_binding_user: false,
    enable_managed_uid: false,
    enable_user_portal_multifactor: false,
    externally_managed: false,
    totp_enabled: false,
    mfa: { configured: false, exclusion: false },
    creationSource: 'api',
  };
}

const stateFlags = (state: UserState) => ({
  state,
  activated: state === 'ACTIVATED',
  suspended: state === 'SUSPENDED',
});

/** `state` and the legacy `suspended` flag must agree; either alone decides. */
function resolveState(
  current: UserState,
  state: UserState | undefined,
  suspended: boolean | undefined,
): UserState {
  if (state !== undefined && suspended !== undefined && suspended !== (state === 'SUSPENDED')) {
    throw badRequest(`state ${state} and suspended ${String(suspended)} must agree`);
  }
  if (state !== undefined) return state;
  if (suspended === true) return 'SUSPENDED';
  if (suspended === false && current === 'SUSPENDED') return 'ACTIVATED';
  return current;
}

/** Copy the profile fields given in the body (password is accepted but never stored or returned). */
function applyProfile(target: Record<string, unknown>, input: ProfileInput): void {
  for (const [field, value] of Object.entries(input)) {
    if (value === undefined || field === 'password' || field === 'suspended') continue;
    target[field] = value;
  }
  // An empty employeeIdentifier means "none": it must not collide with other users' "none".
  if (target.employeeIdentifier === '') delete target.employeeIdentifier;
}

function assertUnique(
  ctx: SandboxContext,
  candidate: { username: string; email: string; employeeIdentifier?: string | undefined },
  selfId?: string,
): void {
  const { store } = ctx;
  const clashes = [
    store.userByUsername(candidate.username),
    store.userByEmail(candidate.email),
    candidate.employeeIdentifier ? store.userByEmployeeIdentifier(candidate.employeeIdentifier) : undefined,
  ];
  if (clashes.some((other) => other !== undefined && other._id !== selfId)) {
    throw new ApiError(ctx.duplicateUserStatus, 'User already exists');
  }
}

function assertManager(ctx: SandboxContext, manager: string, selfId?: string): void {
  if (manager === selfId) throw badRequest('manager: a user cannot be their own manager');
  if (!ctx.store.getUser(manager)) throw badRequest(`manager: no user with id ${manager}`);
}

export function requireUser(ctx: SandboxContext, id: string): SystemUser {
  const user = ctx.store.getUser(id);
  if (!user) throw notFound(`user ${id} not found`);
  return user;
}

// ---- operations ---------------------------------------------------------------------------

export function createUser(ctx: SandboxContext, body: unknown): SystemUser {
  const input = parseBody(createSchema, body);
  const normalisedEmail = input.email.toLowerCase();
  assertUnique(ctx, { ...input, email: normalisedEmail });
  if (input.manager !== undefined) assertManager(ctx, input.manager);

  const state = resolveState(ctx.defaultState, input.state, input.suspended);
  const _id = ctx.store.ids.next('user');
  const sequence = ctx.store.ids.snapshot().user;
  const user: Record<string, unknown> = defaultUserFields();
  applyProfile(user, input);
  Object.assign(user, {
    _id,
    id: _id,
    username: input.username,
    email: normalisedEmail,
    ...stateFlags(state),
    created: new Date(ctx.now()).toISOString(),
    organization: ctx.organization,
    unix_uid: 5000 + sequence,
    unix_guid: 5000 + sequence,
  });
  if (input.manager !== undefined) user.manager = input.manager;
  const created = user as SystemUser;
  ctx.store.insertUser(created);
  return created;
}

export interface UserUpdate {
  user: SystemUser;
  changed: boolean;
  /** The state before the update, to tell activations and suspensions apart. */
  previousState: UserState;
}

export function updateUser(ctx: SandboxContext, id: string, body: unknown): UserUpdate {
  const existing = requireUser(ctx, id);
  const input = parseBody(updateSchema, body);
  if (input.state === 'STAGED') {
    throw badRequest('state: must be ACTIVATED or SUSPENDED; a user cannot be put back to STAGED');
  }

  const next: Record<string, unknown> = { ...existing };
  applyProfile(next, input);
  if (input.username !== undefined) next.username = input.username;
  if (input.email !== undefined) next.email = input.email.toLowerCase();
  if (input.manager === null) delete next.manager;
  else if (input.manager !== undefined) {
    assertManager(ctx, input.manager, id);
    next.manager = input.manager;
  }
  Object.assign(next, stateFlags(resolveState(existing.state, input.state, input.suspended)));

  const user = next as SystemUser;
  assertUnique(ctx, user, id);
  const changed = JSON.stringify(user) !== JSON.stringify(existing);
  if (changed) ctx.store.replaceUser(user);
  return { user: changed ? user : existing, changed, previousState: existing.state };
}

/** STAGED → ACTIVATED. Activating an active user is a harmless no-op (a retried call). */
export function activateUser(ctx: SandboxContext, id: string): UserUpdate {
  const existing = requireUser(ctx, id);
  if (existing.state === 'SUSPENDED') {
    throw badRequest('user is suspended: reactivate it with PUT {"state":"ACTIVATED"}');
  }
  if (existing.state === 'ACTIVATED') return { user: existing, changed: false, previousState: 'ACTIVATED' };
  const user: SystemUser = { ...existing, ...stateFlags('ACTIVATED') };
  ctx.store.replaceUser(user);
  return { user, changed: true, previousState: existing.state };
}

/** Deletes the user, its memberships, and manager references to it (which would dangle). */
export function deleteUser(ctx: SandboxContext, id: string): SystemUser {
  const { store } = ctx;
  const deleted = store.deleteUser(id, ctx.now());
  if (!deleted) throw notFound(`user ${id} not found`);
  for (const user of store.allUsers()) {
    if (user.manager === id) {
      const { manager: _dropped, ...rest } = user;
      store.replaceUser(rest);
    }
  }
  return deleted;
}
