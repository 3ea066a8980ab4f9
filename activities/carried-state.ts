/**
 * No forged state: what an import carries into its next run (continue-as-new) is sealed by the
 * worker with a key only workers have, and the next run checks the seal before using any of it.
 *
 * The seal is an HMAC-SHA256 over {workflow id, the sealing run's id, the input, the state}.
 * The next run checks it against its own workflow id and the run it continued from
 * (workflowInfo().continuedFromExecutionRunId, set by the Temporal server, never by a starter).
 * So a starter cannot pass a state at all (a started run has no predecessor), a workflow of
 * someone else's cannot continue into ours with a state of its making (no key), and a state
 * sealed for one run cannot be replayed into another (each run continues once). Local
 * activities: the state is not written to history twice, and only the seal is recorded.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { ImportDeps, SealKeys } from './deps.js';
import { FORGED_STATE } from '../domain/failure-types.js';

export interface StateSeal {
  keyId: string;
  mac: string;
}

export interface SealRequest {
  workflowId: string;
  /** The run that seals (for the next run: the run it continued from). */
  runId: string;
  input: unknown;
  state: unknown;
}

export type { SealKeys } from './deps.js';

/** Derives sealing keys from secrets the workers of a task queue share (see worker/import-deps.ts). */
export function deriveSealKeys(secrets: { id: string; secret: Buffer | string }[]): SealKeys {
  const keys = secrets.map(({ id, secret }) => ({
    id,
    key: Buffer.from(hkdfSync('sha256', secret, '', 'personio-jumpcloud-sync carried state v1', 32)),
  }));
  return { current: keys[0]!, byId: new Map(keys.map((k) => [k.id, k.key])) };
}

/** JSON with object keys sorted, so the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

function mac(key: Buffer, request: SealRequest): Buffer {
  return createHmac('sha256', key)
    .update(
      canonicalJson({
        v: 1,
        workflowId: request.workflowId,
        runId: request.runId,
        input: request.input ?? null,
        state: request.state,
      }),
    )
    .digest();
}

export function sealState(keys: SealKeys, request: SealRequest): StateSeal {
  return { keyId: keys.current.id, mac: mac(keys.current.key, request).toString('base64') };
}

/** null when the seal holds; otherwise why not. */
export function checkSeal(keys: SealKeys, request: SealRequest, seal: unknown): string | null {
  const s = seal as Partial<StateSeal> | null | undefined;
  if (!s || typeof s.keyId !== 'string' || typeof s.mac !== 'string') return 'the carried state has no seal';
  const key = keys.byId.get(s.keyId);
  if (!key)
    return `the carried state is sealed with a key this worker does not have (${s.keyId.slice(0, 64)})`;
  const given = Buffer.from(s.mac, 'base64');
  const expected = mac(key, request);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return 'the carried state’s seal does not match (not sealed by a worker of this import for the run it continues)';
  return null;
}

export function createCarriedStateActivities(deps: Partial<ImportDeps>) {
  const keys = () => {
    if (!deps.sealKeys)
      throw ApplicationFailure.create({
        type: FORGED_STATE,
        message:
          'this worker has no key to seal or check carried state; see the README’s Configuration section',
        nonRetryable: true,
      });
    return deps.sealKeys;
  };
  return {
    async sealCarriedState(request: SealRequest): Promise<StateSeal> {
      return sealState(keys(), request);
    },
    async checkCarriedState(request: SealRequest & { seal: unknown }): Promise<string | null> {
      const { seal, ...sealed } = request;
      return checkSeal(keys(), sealed, seal);
    },
  };
}
