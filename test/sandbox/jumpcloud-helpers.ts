/**
 * Helpers for the JumpCloud sandbox tests: start a sandbox on an ephemeral loopback port and
 * call it the way a client would (fetch, JSON, x-api-key), getting status, headers and body.
 */
import type { TestContext } from 'node:test';
import type { SystemUser, UserGroup } from '../../sandbox/jumpcloud/store.js';
import {
  createJumpCloudSandbox,
  SANDBOX_JUMPCLOUD_API_KEY,
  type JumpCloudSandbox,
  type JumpCloudSandboxOptions,
} from '../../sandbox/jumpcloud/server.js';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export interface UserList {
  results: SystemUser[];
  totalCount: number;
}
export interface Edge {
  to: { id: string; type: string };
  attributes: null;
}
export type { SystemUser, UserGroup };

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Send this key instead of the sandbox key; null sends none. */
  apiKey?: string | null;
}

export type Call = <T = Record<string, unknown>>(
  method: string,
  path: string,
  options?: CallOptions,
) => Promise<ApiResponse<T>>;

export interface Started {
  sandbox: JumpCloudSandbox;
  url: string;
  call: Call;
}

export function caller(url: string, defaultKey = SANDBOX_JUMPCLOUD_API_KEY): Call {
  return async function call<T>(
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    const key = options.apiKey === undefined ? defaultKey : options.apiKey;
    if (key !== null) headers['x-api-key'] = key;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(url + path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    const body = (text === '' ? undefined : JSON.parse(text)) as T;
    return { status: response.status, headers: response.headers, body };
  };
}

/** Start a sandbox for one test; it is closed when the test ends. */
export async function startSandbox(t: TestContext, options: JumpCloudSandboxOptions = {}): Promise<Started> {
  const sandbox = createJumpCloudSandbox(options);
  const url = await sandbox.listen(0);
  t.after(() => sandbox.close());
  return { sandbox, url, call: caller(url, options.apiKey) };
}

/** A valid create body; `n` keeps usernames, emails and employee ids distinct. */
export const userBody = (n: number, extra: Record<string, unknown> = {}) => ({
  username: `user${n}`,
  email: `user${n}@example.com`,
  employeeIdentifier: `E${n}`,
  firstname: 'First',
  lastname: `Last${n}`,
  ...extra,
});

/** Seed `count` users directly (not counted as writes) and return them. */
export const seedUsers = (sandbox: JumpCloudSandbox, count: number, from = 0) =>
  sandbox.seedUsers(Array.from({ length: count }, (_, i) => userBody(from + i)));
