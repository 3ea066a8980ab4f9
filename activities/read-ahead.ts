/**
 * A page's JumpCloud users, read while the directory scan is still reading Personio.
 *
 * Why: a run that writes little (the daily re-run) costs the Personio read plus the preview's
 * JumpCloud lookups (three searches a page: by id, by email, the supervisors). One after the
 * other they took twice what Personio's limit alone allows (README, Performance). So the scan
 * (activities/read-directory.ts) starts each page's lookups the moment the page arrives, paced
 * by the same JumpCloud client, and the preview of that page (planPage, in the page's own
 * workflow) takes the answers instead of asking again.
 *
 * What stays as before: the preview asks JumpCloud itself when the answers are not here
 * (another worker read the page, the lookups failed, the page was read long ago, this
 * worker holds too many pages already). Applying a page never uses them: it looks up afresh
 * right before it writes. The answers are kept in this worker's memory only, never in a
 * workflow's history, and each is taken once.
 */
import type { JumpCloudClient, SystemUser } from '../clients/jumpcloud.js';
import type { PageEmployee } from './fetch-page.js';
import { lookUpPageUsers, lookUpSupervisors, type PageUsers } from './page-plan.js';

export interface PageReadAhead extends PageUsers {
  supervisors: Map<string, SystemUser[]>;
}

interface Entry {
  startedAt: number;
  personioIds: Set<number>;
  users: Promise<PageReadAhead | undefined>;
}

/** Answers older than this are looked up again: the preview should show today's directory. */
const MAX_AGE_MS = 10 * 60_000;
/** At most this many pages wait in memory (about 20 MB at 100 users a page). */
const MAX_PAGES = 400;

export class JumpCloudReadAhead {
  private readonly pages = new Map<string, Entry>();

  constructor(
    private readonly jumpcloud: JumpCloudClient,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts the lookups for a page (`pageKey`: its workflow id); never throws, never waits. */
  start(pageKey: string, employees: readonly PageEmployee[]): void {
    this.forgetOld();
    if (this.pages.size >= MAX_PAGES) return;
    const users = this.read(employees).catch(() => undefined); // the preview then asks itself
    this.pages.set(pageKey, {
      startedAt: this.now(),
      personioIds: new Set(employees.map((e) => e.personioId)),
      users,
    });
  }

  /**
   * The page's answers, once: undefined when they are missing, failed, too old, or do not
   * cover every employee the preview plans.
   */
  async take(pageKey: string, employees: readonly PageEmployee[]): Promise<PageReadAhead | undefined> {
    const entry = this.pages.get(pageKey);
    if (!entry) return undefined;
    this.pages.delete(pageKey);
    if (this.now() - entry.startedAt > MAX_AGE_MS) return undefined;
    if (!employees.every((e) => entry.personioIds.has(e.personioId))) return undefined;
    return entry.users;
  }

  /** Pages waiting now (for tests and the benchmark). */
  get size(): number {
    return this.pages.size;
  }

  private async read(employees: readonly PageEmployee[]): Promise<PageReadAhead> {
    const [users, supervisors] = await Promise.all([
      lookUpPageUsers(this.jumpcloud, employees),
      lookUpSupervisors(this.jumpcloud, employees),
    ]);
    return { ...users, supervisors };
  }

  private forgetOld(): void {
    const now = this.now();
    for (const [key, entry] of this.pages) if (now - entry.startedAt > MAX_AGE_MS) this.pages.delete(key);
  }
}
