/**
 * A set of directed edges (group → member, application → associated group) that remembers
 * when each edge appeared and disappeared, so reads can be served "as of" a moment in the
 * past. That is how the sandbox imitates JumpCloud's read-after-write lag: with a lag of L,
 * a read at time T shows the edges that existed at T − L.
 *
 * Writes (add/remove, and the 409/404 they answer) always see the current truth, like the
 * real API, where only the read side is eventually consistent.
 */

interface Interval {
  added: number;
  /** Absent while the edge exists. */
  removed?: number;
}

interface EdgeRecord {
  from: string;
  to: string;
  intervals: Interval[];
}

/** Longest lag the fault switches allow; older history can never be asked for. */
const HISTORY_RETENTION_MS = 600_000;

const isOpen = (record: EdgeRecord): boolean => record.intervals.at(-1)?.removed === undefined;

const existedAt = (record: EdgeRecord, at: number): boolean =>
  record.intervals.some((i) => i.added <= at && (i.removed === undefined || i.removed > at));

export interface EdgeSnapshot {
  from: string;
  to: string;
  added: number;
}

export class LaggedEdges {
  /** from → to → record, in the order edges were first added (the listing order). */
  private readonly byFrom = new Map<string, Map<string, EdgeRecord>>();
  /** to → from → the same records, for "what is this user a member of". */
  private readonly byTo = new Map<string, Map<string, EdgeRecord>>();

  has(from: string, to: string): boolean {
    const record = this.byFrom.get(from)?.get(to);
    return record !== undefined && isOpen(record);
  }

  /** Returns false when the edge already exists. */
  add(from: string, to: string, now: number): boolean {
    let record = this.byFrom.get(from)?.get(to);
    if (record && isOpen(record)) return false;
    if (!record) {
      record = { from, to, intervals: [] };
      this.index(record);
    }
    record.intervals.push({ added: now });
    return true;
  }

  /** Returns false when there is no such edge. */
  remove(from: string, to: string, now: number): boolean {
    const record = this.byFrom.get(from)?.get(to);
    const open = record?.intervals.at(-1);
    if (!record || !open || open.removed !== undefined) return false;
    open.removed = now;
    this.prune(record, now);
    return true;
  }

  /** Remove every edge leaving `from` (a deleted group or application). */
  removeAllFrom(from: string, now: number): void {
    for (const to of [...(this.byFrom.get(from)?.keys() ?? [])]) this.remove(from, to, now);
  }

  /** Remove every edge arriving at `to` (a deleted user or group). */
  removeAllTo(to: string, now: number): void {
    for (const from of [...(this.byTo.get(to)?.keys() ?? [])]) this.remove(from, to, now);
  }

  /** Targets of `from` now, or as they were at `asOf` when given. */
  targets(from: string, asOf?: number): string[] {
    return this.select(this.byFrom.get(from), asOf, (r) => r.to);
  }

  /** Sources pointing at `to` now, or as they were at `asOf` when given. */
  sources(to: string, asOf?: number): string[] {
    return this.select(this.byTo.get(to), asOf, (r) => r.from);
  }

  /** Current edges only: history is not worth persisting across a restart. */
  snapshot(): EdgeSnapshot[] {
    const out: EdgeSnapshot[] = [];
    for (const records of this.byFrom.values()) {
      for (const r of records.values()) {
        const open = r.intervals.at(-1);
        if (open && open.removed === undefined) out.push({ from: r.from, to: r.to, added: open.added });
      }
    }
    return out;
  }

  restore(edges: readonly EdgeSnapshot[]): void {
    this.clear();
    for (const e of edges) this.index({ from: e.from, to: e.to, intervals: [{ added: e.added }] });
  }

  clear(): void {
    this.byFrom.clear();
    this.byTo.clear();
  }

  private select(
    records: Map<string, EdgeRecord> | undefined,
    asOf: number | undefined,
    pick: (r: EdgeRecord) => string,
  ): string[] {
    if (!records) return [];
    const out: string[] = [];
    for (const r of records.values()) {
      if (asOf === undefined ? isOpen(r) : existedAt(r, asOf)) out.push(pick(r));
    }
    return out;
  }

  private index(record: EdgeRecord): void {
    let out = this.byFrom.get(record.from);
    if (!out) this.byFrom.set(record.from, (out = new Map<string, EdgeRecord>()));
    out.set(record.to, record);
    let into = this.byTo.get(record.to);
    if (!into) this.byTo.set(record.to, (into = new Map<string, EdgeRecord>()));
    into.set(record.from, record);
  }

  /** Forget history no lag can reach any more, and the record itself once it is all history. */
  private prune(record: EdgeRecord, now: number): void {
    record.intervals = record.intervals.filter(
      (i) => i.removed === undefined || i.removed > now - HISTORY_RETENTION_MS,
    );
    if (record.intervals.length > 0) return;
    this.byFrom.get(record.from)?.delete(record.to);
    this.byTo.get(record.to)?.delete(record.from);
  }
}
