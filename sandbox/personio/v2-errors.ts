/**
 * Personio v2 error bodies (shared/docs/personio-api-v2.md §1.4, §6): resource endpoints answer
 * `application/problem+json` with `personio_trace_id` and `errors[]`; the token endpoint uses
 * the OAuth2 shape (`error`, `error_description`, …).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';

export const PROBLEM_JSON = 'application/problem+json';
const ERRORS = 'https://developer.personio.de/reference/errors';

export const v2Problems = {
  badRequest: {
    title: 'Bad request',
    detail: 'Provided request parameters are invalid.',
    code: 'common.bad_request',
  },
  badFilter: {
    title: 'Bad request',
    detail: 'Provided filter encoding is invalid.',
    code: 'common.bad_request',
  },
  badLimit: {
    title: 'Bad request',
    detail: 'Provided value for limit is not valid',
    code: 'common.bad_request',
  },
  notFound: {
    title: 'Resource not found',
    detail: 'There is no resource for the specified id.',
    code: 'common.resource_not_found',
  },
  personNotFound: {
    title: 'Person not found',
    detail: 'There is no resource for the specified id.',
    code: 'common.resource_not_found',
  },
  unauthorized: {
    title: 'Unauthorized Request',
    detail: 'The access token is missing, invalid, expired or revoked.',
    code: 'common.unauthorized',
  },
  forbidden: {
    title: 'Forbidden',
    detail: 'The access token lacks the scope this request needs.',
    code: 'common.forbidden',
  },
  conflict: { title: 'Conflict', detail: 'A webhook with this URL already exists.', code: 'common.conflict' },
  unprocessable: {
    title: 'Unprocessable entity',
    detail: 'The request body is invalid.',
    code: 'common.unprocessable_entity',
  },
  unsupportedMedia: {
    title: 'Unsupported media type',
    detail: 'The request body must be application/json.',
    code: 'common.unsupported_media_type',
  },
} as const;

export type V2Problem = { title: string; detail: string; code: string };

export function v2ErrorBody(problem: V2Problem, meta: Record<string, string> = {}) {
  return {
    personio_trace_id: randomUUID(),
    timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    errors: [
      { title: problem.title, detail: problem.detail, type: `${ERRORS}#${problem.code}`, _meta: meta },
    ],
  };
}

export function sendV2Error(
  reply: FastifyReply,
  status: number,
  problem: V2Problem,
  meta?: Record<string, string>,
) {
  return reply.code(status).type(PROBLEM_JSON).send(v2ErrorBody(problem, meta));
}

export type OAuthError =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope';

export const oauthDescriptions: Record<OAuthError, string> = {
  invalid_request: 'The request has missing or invalid required parameters.',
  invalid_client:
    'Client authentication failed (e.g., unknown client, wrong secret, no client authentication included, or unsupported authentication method).',
  invalid_grant: 'Error in the authorization flow.',
  unauthorized_client: 'Client is not allowed to use the specified grant type flow.',
  unsupported_grant_type: 'The requested authorization grant type is not supported by the server.',
  invalid_scope: 'One of the requested scopes is invalid.',
};

export function sendOAuthError(
  reply: FastifyReply,
  error: OAuthError,
  meta: Record<string, unknown> = {},
  description: string = oauthDescriptions[error],
) {
  return reply
    .code(400)
    .type(PROBLEM_JSON)
    .send({
      timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      trace_id: randomUUID(),
      error,
      error_description: description,
      error_uri: `${ERRORS}#credentials.oauth2.${error}`,
      meta,
    });
}
