/**
 * Shared pieces of the v2 "graph" API: the bare-array-plus-x-total-count list answer,
 * the GraphConnection shape, and validation of `{op, type, id}` operations.
 */
import type { FastifyReply } from 'fastify';
import { badRequest } from './errors.js';
import { page, type Paging } from './filters.js';

/** v2 lists are bare arrays; the total travels in a header. */
export function sendV2List<T>(reply: FastifyReply, all: readonly T[], paging: Paging): T[] {
  void reply.header('x-total-count', String(all.length));
  return page(all, paging);
}

/** `attributes` is null on plain edges, as the real API sends it (the spec does not say nullable). */
export const graphConnection = (id: string, type: string) => ({ to: { id, type }, attributes: null });

export interface GraphOperation<T extends string> {
  op: 'add' | 'remove';
  type: T;
  id: string;
}

export function parseGraphOperation<T extends string>(
  body: unknown,
  allowedTypes: readonly T[],
): GraphOperation<T> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('request body must be a JSON object');
  }
  const { op, type, id } = body as Record<string, unknown>;
  if (op !== 'add' && op !== 'remove') throw badRequest('op must be "add" or "remove"');
  if (typeof type !== 'string' || !(allowedTypes as readonly string[]).includes(type)) {
    throw badRequest(`type must be ${allowedTypes.map((t) => `"${t}"`).join(' or ')}`);
  }
  if (typeof id !== 'string' || id === '') throw badRequest('id is required');
  return { op, type: type as T, id };
}
