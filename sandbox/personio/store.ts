/**
 * The sandbox company's employees in memory: ordered by id, indexed, with a per-employee
 * cache of the rendered JSON (the list endpoint concatenates cached buffers, which is what
 * makes thousands of pages per second possible) and a record of which attributes changed
 * when (for `updated_since` combined with `attributes[]`).
 */
import { formatDateTime, parseDateTime } from './dates.js';
import type { EmployeeRecord } from './model.js';
import { renderEmployee, type PersonioEmployee, type ReadableAttributes } from './render.js';

/** When each attribute of a mutated employee last changed (epoch ms). */
export interface AttributeChanges {
  /** last_modified_at before the first tracked mutation: the time of all other attributes. */
  baseline: number;
  fields: Record<string, number>;
}

/** What happened to one record, for listeners such as webhook deliveries. */
export type RecordChange =
  | { kind: 'inserted'; id: number }
  | { kind: 'updated'; id: number; keys: readonly string[] }
  | { kind: 'removed'; id: number };

/** A scheduled status flip: a termination date makes an employee inactive the next day. */
export interface PendingDeactivation {
  id: number;
  atMs: number;
}

export interface StoreSnapshot {
  employees: EmployeeRecord[];
  nextId: number;
  changes: Record<string, AttributeChanges>;
  pendingDeactivations: PendingDeactivation[];
}

export class EmployeeStore {
  private employees: EmployeeRecord[] = [];
  private byId = new Map<number, EmployeeRecord>();
  private modifiedMs = new Map<number, number>();
  private rendered = new Map<number, Buffer>();
  private changes = new Map<number, AttributeChanges>();
  private pending: PendingDeactivation[] = [];
  private nextIdValue = 1;
  private recordListeners: ((change: RecordChange) => void)[] = [];
  /** Bumped on every change, so derived caches can tell they are stale. */
  version = 0;

  constructor(
    private readonly readable: ReadableAttributes,
    private readonly now: () => number,
    private readonly onChange: () => void = () => {},
  ) {}

  /** Replace everything (start, reset, or loading a state file). */
  load(snapshot: StoreSnapshot): void {
    this.employees = [...snapshot.employees].sort((a, b) => a.id - b.id);
    this.byId = new Map(this.employees.map((e) => [e.id, e]));
    this.modifiedMs = new Map(this.employees.map((e) => [e.id, parseDateTime(e.lastModifiedAt)]));
    this.rendered.clear();
    this.changes = new Map(Object.entries(snapshot.changes).map(([id, c]) => [Number(id), c]));
    this.pending = [...snapshot.pendingDeactivations];
    const maxId = this.employees.reduce((max, e) => Math.max(max, e.id), 0);
    this.nextIdValue = Math.max(snapshot.nextId, maxId + 1);
    this.version++;
  }

  /** Called after every insert, update and removal (not on load). */
  onRecordChange(listener: (change: RecordChange) => void): void {
    this.recordListeners.push(listener);
  }

  private notify(change: RecordChange): void {
    for (const listener of this.recordListeners) listener(change);
  }

  snapshot(): StoreSnapshot {
    return {
      employees: this.employees,
      nextId: this.nextIdValue,
      changes: Object.fromEntries(this.changes),
      pendingDeactivations: this.pending,
    };
  }

  get size(): number {
    return this.employees.length;
  }

  /** All employees in id order. Do not mutate: use `update`. */
  all(): readonly EmployeeRecord[] {
    return this.employees;
  }

  get(id: number): EmployeeRecord | undefined {
    return this.byId.get(id);
  }

  readonly lookup = (id: number): EmployeeRecord | undefined => this.byId.get(id);

  lastModifiedMs(id: number): number {
    return this.modifiedMs.get(id) ?? 0;
  }

  /** When an attribute last changed: tracked for mutated employees, else last_modified_at. */
  attributeModifiedMs(id: number, key: string): number {
    const tracked = this.changes.get(id);
    if (!tracked) return this.lastModifiedMs(id);
    return tracked.fields[key] ?? tracked.baseline;
  }

  render(employee: EmployeeRecord, projection: ReadonlySet<string> | null = null): PersonioEmployee {
    return renderEmployee(employee, this.lookup, this.readable, projection);
  }

  /** The full rendering under the credential's scope, as UTF-8 JSON, cached. */
  renderedJson(employee: EmployeeRecord): Buffer {
    let json = this.rendered.get(employee.id);
    if (!json) {
      json = Buffer.from(JSON.stringify(this.render(employee)));
      this.rendered.set(employee.id, json);
    }
    return json;
  }

  nextId(): number {
    return this.nextIdValue;
  }

  insert(employee: EmployeeRecord): void {
    if (this.byId.has(employee.id)) throw new Error(`employee ${employee.id} exists`);
    this.nextIdValue = Math.max(this.nextIdValue, employee.id + 1);
    const last = this.employees[this.employees.length - 1];
    if (!last || last.id < employee.id) this.employees.push(employee);
    else this.employees = [...this.employees, employee].sort((a, b) => a.id - b.id);
    this.byId.set(employee.id, employee);
    this.modifiedMs.set(employee.id, parseDateTime(employee.lastModifiedAt));
    this.changed();
    this.notify({ kind: 'inserted', id: employee.id });
  }

  /**
   * Apply a change to one employee: the given attribute keys are recorded as modified at
   * `atMs` (default now), last_modified_at moves there, and renderings that show this
   * employee (its own, and as supervisor of others) are dropped from the cache.
   */
  update(
    id: number,
    keys: readonly string[],
    mutate: (e: EmployeeRecord) => void,
    atMs = this.now(),
  ): EmployeeRecord {
    const employee = this.byId.get(id);
    if (!employee) throw new Error(`employee ${id} not found`);
    let tracked = this.changes.get(id);
    if (!tracked) this.changes.set(id, (tracked = { baseline: this.lastModifiedMs(id), fields: {} }));
    mutate(employee);
    for (const key of [...keys, 'last_modified_at']) tracked.fields[key] = atMs;
    employee.lastModifiedAt = formatDateTime(atMs);
    this.modifiedMs.set(id, atMs);
    this.invalidate(id);
    this.changed();
    this.notify({ kind: 'updated', id, keys });
    return employee;
  }

  remove(id: number): EmployeeRecord | undefined {
    const employee = this.byId.get(id);
    if (!employee) return undefined;
    this.employees = this.employees.filter((e) => e.id !== id);
    this.byId.delete(id);
    this.modifiedMs.delete(id);
    this.changes.delete(id);
    this.pending = this.pending.filter((p) => p.id !== id);
    this.invalidate(id);
    this.changed();
    this.notify({ kind: 'removed', id });
    return employee;
  }

  scheduleDeactivation(id: number, atMs: number): void {
    this.pending = [...this.pending.filter((p) => p.id !== id), { id, atMs }];
  }

  cancelDeactivation(id: number): void {
    this.pending = this.pending.filter((p) => p.id !== id);
  }

  /** Flip employees whose termination date has passed to inactive, dated when it became due. */
  applyDueDeactivations(): void {
    if (this.pending.length === 0) return;
    const now = this.now();
    const due = this.pending.filter((p) => p.atMs <= now);
    if (due.length === 0) return;
    this.pending = this.pending.filter((p) => p.atMs > now);
    for (const { id, atMs } of due) {
      if (this.byId.has(id)) this.update(id, ['status'], (e) => (e.status = 'inactive'), atMs);
    }
  }

  /** Drop cached renderings of an employee and of everyone showing it as supervisor. */
  private invalidate(id: number): void {
    this.rendered.delete(id);
    for (const e of this.employees) if (e.supervisorId === id) this.rendered.delete(e.id);
  }

  private changed(): void {
    this.version++;
    this.onChange();
  }
}
