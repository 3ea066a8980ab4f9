/**
 * The codec server: lets Temporal Web and the `temporal` CLI show decoded payloads to those
 * allowed to see them (`POST /encode`, `POST /decode`), with CORS for the Web UI's origin and
 * an optional bearer token.
 */
import cors from '@fastify/cors';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { bearerMatches, hostAllowed } from './access.js';

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** Origins allowed to call from a browser (Temporal Web), e.g. http://127.0.0.1:8233. */
  corsOrigins: string[];
  /** When set, every request must carry `Authorization: Bearer <token>`. */
  authToken?: string;
  /**
   * Host names the Host header may carry (codec/access.ts); anything else gets 421, so a
   * DNS-rebinding page cannot use a browser as a way in. Default: the loopback names.
   */
  allowedHosts?: readonly string[];
  /**
   * Temporal Web users' access tokens (codec/jwt-access.ts): a bearer that is not the static
   * token is accepted when this says so. With it set, every request needs one or the other.
   */
  verifyJwt?: (token: string) => Promise<boolean>;
}

interface JsonPayload {
  metadata?: Record<string, string> | null;
  data?: string | null;
}

function fromJson(p: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
    ),
    data: p.data ? Buffer.from(p.data, 'base64') : undefined,
  };
}

function toJson(p: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
    ),
    data: p.data ? Buffer.from(p.data).toString('base64') : null,
  };
}

export async function createCodecServer(options: CodecServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 8 * 1024 * 1024 });
  await app.register(cors, {
    // Read per request, so a caller may add an origin once it knows its port.
    origin: (origin, callback) =>
      callback(null, origin !== undefined && options.corsOrigins.includes(origin)),
    methods: ['POST', 'OPTIONS'],
    allowedHeaders: ['content-type', 'x-namespace', 'authorization'],
    credentials: true,
  });
  const allowedHosts = options.allowedHosts ?? ['localhost', '127.0.0.1', '[::1]'];
  app.addHook('onRequest', async (request, reply) => {
    if (!hostAllowed(request.headers.host, allowedHosts))
      return reply
        .code(421)
        .send({ message: 'this codec server does not answer to that Host (CODEC_ALLOWED_HOSTS)' });
  });
  const token = options.authToken;
  const verifyJwt = options.verifyJwt;
  if (token || verifyJwt) {
    app.addHook('onRequest', async (request, reply) => {
      if (request.method === 'OPTIONS' || request.url === '/healthz') return;
      const header = request.headers.authorization;
      if (token && bearerMatches(header, token)) return;
      const bearer = /^Bearer (\S+)$/i.exec(header ?? '')?.[1];
      if (verifyJwt && bearer && (await verifyJwt(bearer))) return;
      return reply.code(401).send({ message: 'Unauthorized' });
    });
  }
  const handle =
    (op: 'encode' | 'decode') =>
    async (request: { body: unknown }, reply: { code: (n: number) => { send: (b: unknown) => unknown } }) => {
      const body = request.body as { payloads?: JsonPayload[] | null } | undefined;
      // An empty list is valid, and protobuf's JSON form leaves it out: the `temporal` CLI
      // sends `{}` for a query or update without arguments.
      const empty = body && typeof body === 'object' && Object.keys(body).length === 0;
      const payloads = empty ? [] : body?.payloads;
      if (!Array.isArray(payloads)) return reply.code(400).send({ message: 'expected {"payloads": [...]}' });
      try {
        const result = await options.codec[op](payloads.map(fromJson));
        return { payloads: result.map(toJson) };
      } catch (err) {
        return reply.code(400).send({ message: (err as Error).message });
      }
    };
  app.post('/encode', handle('encode'));
  app.post('/decode', handle('decode'));
  app.get('/healthz', async () => ({ ok: true }));
  return app;
}
