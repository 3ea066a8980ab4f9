/**
 * API key and organisation checks, in the order JumpCloud applies them: an unknown key is
 * 401 whatever else is wrong; then, for multi-tenant admins, `x-org-id` (missing 401,
 * malformed 400, unknown 404). Key length is never checked: real keys come in several
 * lengths (40-char legacy keys, `jca_…` keys).
 */
import type { FastifyInstance } from 'fastify';
import { isAdminRoute } from '../faults.js';
import { jumpCloudErrorBody, UNAUTHORIZED_BODY } from './errors.js';
import { isObjectId } from './ids.js';

export interface AuthOptions {
  apiKey: string;
  /** Service account tokens (oauth.ts): `Authorization: Bearer <token>` is as good as the key. */
  bearer?: { accepts(authorization: string | undefined): boolean };
  /** When set, every request must name this organisation in `x-org-id`. */
  orgId?: string | undefined;
}

/** Returns a setter for the accepted key: a test can revoke the key while an import runs. */
export function installAuth(
  app: FastifyInstance,
  { apiKey: initialKey, orgId, bearer }: AuthOptions,
): (key: string) => void {
  let apiKey = initialKey;
  app.addHook('onRequest', async (request, reply) => {
    if (isAdminRoute(request.url) || request.url.startsWith('/oauth2/')) return;
    const byKey = request.headers['x-api-key'] !== undefined && request.headers['x-api-key'] === apiKey;
    const byToken = bearer?.accepts(request.headers.authorization) ?? false;
    if (!byKey && !byToken) return reply.code(401).send(UNAUTHORIZED_BODY);
    if (orgId === undefined) return;
    const requested = request.headers['x-org-id'];
    if (requested === undefined || requested === '') {
      return reply.code(401).send(jumpCloudErrorBody(401, 'Unauthorized: x-org-id header is required'));
    }
    if (!isObjectId(requested)) {
      return reply
        .code(400)
        .send(jumpCloudErrorBody(400, 'Bad Request: x-org-id must be a 24-character hex id'));
    }
    if (requested !== orgId) {
      return reply.code(404).send(jumpCloudErrorBody(404, `organization ${requested} not found`));
    }
  });
  return (key) => {
    apiKey = key;
  };
}
