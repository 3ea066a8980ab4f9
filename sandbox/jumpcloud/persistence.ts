/**
 * Optional persistence of the whole store to one JSON file, so a sandbox restarted by a
 * demo or a crash test comes back with the users and groups it had.
 *
 * Saves are coalesced so an import of thousands of users does not rewrite the file thousands
 * of times: at most one save per SAVE_DELAY_MS, or per ten times the last save's duration
 * when the directory is big (a save is synchronous: 100,000 users take ~0.6 s to write, and
 * the server must spend most of its time answering, not saving). `flush()` on close and at
 * process exit writes whatever is pending. A `kill -9` can lose the writes since the last
 * save, like a real service losing an unacknowledged buffer — never a half-written file,
 * because saves go to a temporary file renamed into place.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { JumpCloudStore, StoreSnapshot } from './store.js';

const SAVE_DELAY_MS = 100;
/** Keep saving under a tenth of the server's time. */
const SAVE_TIME_SHARE = 10;

export class StatePersistence {
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  private lastSaveMs = 0;
  private readonly flushAtExit = () => this.flush();

  constructor(
    private readonly file: string,
    private readonly store: JumpCloudStore,
  ) {
    process.on('exit', this.flushAtExit);
  }

  /** Loads the file into the store; false when there is no file yet. */
  load(): boolean {
    if (!existsSync(this.file)) return false;
    let snapshot: StoreSnapshot;
    try {
      snapshot = JSON.parse(readFileSync(this.file, 'utf8')) as StoreSnapshot;
    } catch (error) {
      throw new Error(`JumpCloud sandbox state file ${this.file} is not valid JSON`, { cause: error });
    }
    if (snapshot.version !== 1) {
      throw new Error(
        `JumpCloud sandbox state file ${this.file} has unknown version ${JSON.stringify(snapshot.version)}`,
      );
    }
    this.store.restore(snapshot);
    return true;
  }

  scheduleSave(): void {
    this.dirty = true;
    this.timer ??= setTimeout(
      () => {
        this.timer = undefined;
        this.flush();
      },
      Math.max(SAVE_DELAY_MS, this.lastSaveMs * SAVE_TIME_SHARE),
    );
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.dirty) return;
    this.dirty = false;
    const started = performance.now();
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.store.snapshot()));
    renameSync(temporary, this.file);
    this.lastSaveMs = performance.now() - started;
  }

  dispose(): void {
    this.flush();
    process.off('exit', this.flushAtExit);
  }
}
