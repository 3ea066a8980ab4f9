/**
 * ObjectId-like identifiers: 24 lower-case hex characters, like JumpCloud's MongoDB ids.
 *
 * Ids are deterministic (a fixed prefix per kind plus a counter) so test output is stable,
 * and fixed-width so that sorting ids as strings is sorting them by creation: paging with
 * `sort=_id` then visits records in the order they were created, as on the real API.
 */

export const OBJECT_ID_PATTERN = /^[0-9a-f]{24}$/;

export const isObjectId = (value: unknown): value is string =>
  typeof value === 'string' && OBJECT_ID_PATTERN.test(value);

/** Distinct 8-hex prefixes make an id's kind visible when reading logs. */
export const ID_PREFIXES = {
  user: '5a000000',
  group: '5b000000',
  application: '5c000000',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

export class IdGenerator {
  private counters: Record<IdKind, number>;

  constructor(initial: Partial<Record<IdKind, number>> = {}) {
    this.counters = { user: 0, group: 0, application: 0, ...initial };
  }

  next(kind: IdKind): string {
    const n = ++this.counters[kind];
    return ID_PREFIXES[kind] + n.toString(16).padStart(16, '0');
  }

  /** Counters to persist, so a restart never hands out an id twice. */
  snapshot(): Record<IdKind, number> {
    return { ...this.counters };
  }
}
