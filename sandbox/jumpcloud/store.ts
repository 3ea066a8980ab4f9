/**
 * The sandbox's in-memory directory: users, user groups, applications and the edges between
 * them, with the indexes that keep lookups by id, email, username and employeeIdentifier
 * O(1) — the import looks users up by those fields for every employee, so scans would make
 * the sandbox, not the code under test, the bottleneck of a benchmark.
 *
 * The store knows nothing of HTTP or of JumpCloud's rules (see users.ts, groups.ts,
 * applications.ts); it keeps the data consistent with its indexes and says when it changed.
 */
import { LaggedEdges, type EdgeSnapshot } from './edges.js';
import { IdGenerator, type IdKind } from './ids.js';

export type UserState = 'STAGED' | 'ACTIVATED' | 'SUSPENDED';
export const USER_STATES: readonly UserState[] = ['STAGED', 'ACTIVATED', 'SUSPENDED'];

export interface CustomAttribute {
  name: string;
  value: string;
}

/** A user exactly as the API returns it; extra profile fields ride in the index signature. */
export interface SystemUser {
  [field: string]: unknown;
  _id: string;
  id: string;
  username: string;
  email: string;
  state: UserState;
  activated: boolean;
  suspended: boolean;
  account_locked: boolean;
  created: string;
  organization: string;
  attributes: CustomAttribute[];
  employeeIdentifier?: string;
  manager?: string;
}

export interface UserGroup {
  [field: string]: unknown;
  id: string;
  name: string;
  type: 'user_group';
  description: string;
  membershipMethod: 'STATIC';
}

export interface Application {
  [field: string]: unknown;
  _id: string;
  id: string;
  name: string;
  displayLabel: string;
  ssoUrl: string;
  active: boolean;
}

/** Application association targets are typed ("user_group:<id>"); keep the type in the key. */
export type AssociationType = 'user' | 'user_group';
export const associationKey = (type: AssociationType, id: string) => `${type}:${id}`;
export function parseAssociationKey(key: string): { type: AssociationType; id: string } {
  const [type, id = ''] = key.split(':') as [AssociationType, string?];
  return { type, id };
}

export interface StoreSnapshot {
  version: 1;
  ids: Record<IdKind, number>;
  users: SystemUser[];
  groups: UserGroup[];
  applications: Application[];
  members: EdgeSnapshot[];
  associations: EdgeSnapshot[];
}

const lower = (s: string) => s.toLowerCase();

/** Binary search in a list sorted by _id (fixed-width ids sort as strings). */
function indexById(sorted: readonly SystemUser[], id: string): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const midId = sorted[mid]?._id ?? '';
    if (midId === id) return mid;
    if (midId < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export class JumpCloudStore {
  ids = new IdGenerator();
  /** Insertion order is _id order because ids grow with every create. */
  private readonly users = new Map<string, SystemUser>();
  private readonly usersByEmail = new Map<string, SystemUser>();
  private readonly usersByUsername = new Map<string, SystemUser>();
  private readonly usersByEmployeeId = new Map<string, SystemUser>();
  /** Users in _id order for O(1) paging; appended on create, rebuilt lazily after a delete. */
  private usersInOrder: SystemUser[] | null = [];

  private readonly groups = new Map<string, UserGroup>();
  private readonly groupsByName = new Map<string, UserGroup>();
  private readonly applications = new Map<string, Application>();

  /** group id → user id */
  readonly members = new LaggedEdges();
  /** application id → "user_group:<id>" / "user:<id>" */
  readonly associations = new LaggedEdges();

  /** Called after every mutation (persistence listens here). */
  onChange: () => void = () => {};

  // ---- users -------------------------------------------------------------------------

  get userCount(): number {
    return this.users.size;
  }

  getUser(id: string): SystemUser | undefined {
    return this.users.get(id);
  }

  /** Case-insensitive, as JumpCloud's uniqueness check is. */
  userByEmail(email: string): SystemUser | undefined {
    return this.usersByEmail.get(lower(email));
  }

  /** Case-insensitive, as JumpCloud's uniqueness check is. */
  userByUsername(username: string): SystemUser | undefined {
    return this.usersByUsername.get(lower(username));
  }

  userByEmployeeIdentifier(employeeIdentifier: string): SystemUser | undefined {
    return this.usersByEmployeeId.get(employeeIdentifier);
  }

  allUsers(): readonly SystemUser[] {
    if (!this.usersInOrder) this.usersInOrder = [...this.users.values()];
    return this.usersInOrder;
  }

  insertUser(user: SystemUser): void {
    this.users.set(user._id, user);
    this.indexUser(user);
    this.usersInOrder?.push(user);
    this.onChange();
  }

  /** Swap a user for its updated version (same _id), keeping indexes and order. */
  replaceUser(user: SystemUser): void {
    const old = this.users.get(user._id);
    if (old) this.unindexUser(old);
    this.users.set(user._id, user);
    this.indexUser(user);
    if (this.usersInOrder && old) {
      const at = indexById(this.usersInOrder, user._id);
      if (at >= 0) this.usersInOrder[at] = user;
    }
    this.onChange();
  }

  deleteUser(id: string, now: number): SystemUser | undefined {
    const user = this.users.get(id);
    if (!user) return undefined;
    this.users.delete(id);
    this.unindexUser(user);
    this.usersInOrder = null;
    this.members.removeAllTo(id, now);
    this.associations.removeAllTo(associationKey('user', id), now);
    this.onChange();
    return user;
  }

  private indexUser(user: SystemUser): void {
    this.usersByEmail.set(lower(user.email), user);
    this.usersByUsername.set(lower(user.username), user);
    if (user.employeeIdentifier) this.usersByEmployeeId.set(user.employeeIdentifier, user);
  }

  private unindexUser(user: SystemUser): void {
    this.usersByEmail.delete(lower(user.email));
    this.usersByUsername.delete(lower(user.username));
    if (user.employeeIdentifier) this.usersByEmployeeId.delete(user.employeeIdentifier);
  }

  // ---- groups ------------------------------------------------------------------------

  getGroup(id: string): UserGroup | undefined {
    return this.groups.get(id);
  }

  /** Group names are unique ignoring case. */
  groupByName(name: string): UserGroup | undefined {
    return this.groupsByName.get(lower(name));
  }

  allGroups(): UserGroup[] {
    return [...this.groups.values()];
  }

  insertGroup(group: UserGroup): void {
    this.groups.set(group.id, group);
    this.groupsByName.set(lower(group.name), group);
    this.onChange();
  }

  deleteGroup(id: string, now: number): UserGroup | undefined {
    const group = this.groups.get(id);
    if (!group) return undefined;
    this.groups.delete(id);
    this.groupsByName.delete(lower(group.name));
    this.members.removeAllFrom(id, now);
    this.associations.removeAllTo(associationKey('user_group', id), now);
    this.onChange();
    return group;
  }

  // ---- applications ------------------------------------------------------------------

  getApplication(id: string): Application | undefined {
    return this.applications.get(id);
  }

  allApplications(): Application[] {
    return [...this.applications.values()];
  }

  insertApplication(app: Application): void {
    this.applications.set(app._id, app);
    this.onChange();
  }

  // ---- whole store -------------------------------------------------------------------

  clear(): void {
    this.ids = new IdGenerator();
    this.users.clear();
    this.usersByEmail.clear();
    this.usersByUsername.clear();
    this.usersByEmployeeId.clear();
    this.usersInOrder = [];
    this.groups.clear();
    this.groupsByName.clear();
    this.applications.clear();
    this.members.clear();
    this.associations.clear();
    this.onChange();
  }

  snapshot(): StoreSnapshot {
    return {
      version: 1,
      ids: this.ids.snapshot(),
      users: [...this.users.values()],
      groups: [...this.groups.values()],
      applications: [...this.applications.values()],
      members: this.members.snapshot(),
      associations: this.associations.snapshot(),
    };
  }

  restore(snapshot: StoreSnapshot): void {
    const notify = this.onChange;
    this.onChange = () => {};
    try {
      this.clear();
      this.ids = new IdGenerator(snapshot.ids);
      for (const u of snapshot.users) this.insertUser(u);
      for (const g of snapshot.groups) this.insertGroup(g);
      for (const a of snapshot.applications) this.insertApplication(a);
      this.members.restore(snapshot.members);
      this.associations.restore(snapshot.associations);
    } finally {
      this.onChange = notify;
    }
  }
}
