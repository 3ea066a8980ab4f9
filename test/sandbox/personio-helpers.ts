/** Shared by the Personio sandbox tests: start a sandbox on a free loopback port, call it. */
import {
  createPersonioSandbox,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  type PersonioSandbox,
  type PersonioSandboxOptions,
} from '../../sandbox/personio/server.js';

export interface RenderedEmployee {
  type: string;
  attributes: Record<string, { label: string; value: unknown; type: string; universal_id: string | null }>;
}

export interface ListBody {
  success: boolean;
  metadata: { total_elements: number; current_page: number; total_pages: number };
  offset: number;
  limit: number;
  data: RenderedEmployee[];
}

export interface ErrorBody {
  success: false;
  error: { code: number; message: string };
}

export interface Started {
  sandbox: PersonioSandbox;
  url: string;
  /** The bearer token `get` sends; assign a fresh one after expiring the old. */
  token: string;
  /** GET with the bearer token; returns status, parsed body and headers. */
  get<T = unknown>(path: string, token?: string): Promise<{ status: number; body: T; headers: Headers }>;
  /** POST JSON to an admin (or any) route without auth. */
  post<T = unknown>(path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

/** A settable clock, so tests can expire tokens and step rate-limit windows without waiting. */
export function fakeClock(start = Date.parse('2026-03-02T09:00:00Z')) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

export async function authenticate(url: string): Promise<string> {
  const response = await fetch(`${url}/v1/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: SANDBOX_CLIENT_ID, client_secret: SANDBOX_CLIENT_SECRET }),
  });
  if (response.status !== 200) throw new Error(`auth failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { data: { token: string } };
  return body.data.token;
}

export async function start(options: PersonioSandboxOptions = {}): Promise<Started> {
  const sandbox = createPersonioSandbox(options);
  const url = await sandbox.listen();
  const started: Started = {
    sandbox,
    url,
    token: await authenticate(url),
    // Reads started.token at call time, so a test can re-authenticate by assigning it.
    async get<T>(path: string, bearer = started.token) {
      const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
      return { status: response.status, body: (await response.json()) as T, headers: response.headers };
    },
    async post<T>(path: string, body?: unknown) {
      const response = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as T };
    },
  };
  return started;
}

/** Attribute value of a rendered employee. */
export function value(employee: { attributes: Record<string, { value: unknown }> }, key: string): unknown {
  return employee.attributes[key]?.value;
}
