/**
 * Who is in the import's groups, read once per worker and kept for a few minutes, so that a
 * re-run does not send one "add member" per employee only to be told 409 (already a member)
 * — most of a re-run's requests before this. Reading a group costs one request per 100
 * members. Used only to skip joins that would change nothing: a member the list does not
 * show yet (JumpCloud's reads can lag writes) is simply added, and the 409 is success.
 */
import type { JumpCloudClient } from '../clients/jumpcloud.js';

/** Long enough for one run of even a large import, short enough to notice changes made by hand. */
const FRESH_FOR_MS = 10 * 60_000;

interface Entry {
  members: Promise<Set<string>>;
  loadedAt: number;
}

export class GroupMembers {
  private readonly groups = new Map<string, Entry>();

  constructor(private readonly jumpcloud: JumpCloudClient) {}

  private members(groupId: string): Promise<Set<string>> {
    // A preview names groups it would create with a placeholder id: nobody is in them yet.
    if (groupId.startsWith('(new group ')) return Promise.resolve(new Set());
    const cached = this.groups.get(groupId);
    if (cached && Date.now() - cached.loadedAt < FRESH_FOR_MS) return cached.members;
    const members = this.jumpcloud.listGroupMembers(groupId).then((ids) => new Set(ids));
    // A failed read is forgotten, so the next caller tries again.
    members.catch(() => this.groups.delete(groupId));
    this.groups.set(groupId, { members, loadedAt: Date.now() });
    return members;
  }

  /**
   * Starts reading a group's members now, for the plans that will ask soon (the directory read
   * starts the all-employees group's while Personio is still being read). Never throws.
   */
  prefetch(groupId: string): void {
    this.members(groupId).catch(() => undefined); // a failed read is read again when asked
  }

  /** Adds the user to each group it is not known to be in; returns how many joins were sent. */
  async join(userId: string, groupIds: readonly string[]): Promise<number> {
    let sent = 0;
    for (const groupId of groupIds) {
      const members = await this.members(groupId);
      if (members.has(userId)) continue;
      await this.jumpcloud.addMember(groupId, userId);
      members.add(userId);
      sent++;
    }
    return sent;
  }

  /** The groups the user is not known to be in: the joins a plan shows (reads only). */
  async missing(userId: string, groupIds: readonly string[]): Promise<string[]> {
    const missing: string[] = [];
    for (const groupId of groupIds) if (!(await this.members(groupId)).has(userId)) missing.push(groupId);
    return missing;
  }

  /** The groups the user is known to be in, of these: the leaves a plan shows (reads only). */
  async memberOf(userId: string, groupIds: readonly string[]): Promise<string[]> {
    const member: string[] = [];
    for (const groupId of groupIds) if ((await this.members(groupId)).has(userId)) member.push(groupId);
    return member;
  }
}
