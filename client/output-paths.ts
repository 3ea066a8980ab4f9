/**
 * Files the CLI writes at the end of an import are checked before the import starts: a typo
 * in `--report` must not surface after every write was made. A preview's plan files hold
 * personal data, so by default they go to a folder of the user's own (not the working
 * directory, which may be a git checkout or, in the image, the root-owned /app).
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from './usage-error.js';

/** Throws a UsageError naming `flag` when `file` cannot be written. */
export function checkOutputFile(flag: string, file: string): void {
  const path = resolve(file);
  const problem = (what: string) =>
    new UsageError(`${flag} ${file}: ${what}; choose another path (nothing was started)`);
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat?.isDirectory()) throw problem('that is a folder, not a file');
  if (stat) {
    if (!writable(path)) throw problem('the file exists and cannot be written');
    return;
  }
  const folder = dirname(path);
  const folderStat = statSync(folder, { throwIfNoEntry: false });
  if (!folderStat) throw problem(`the folder ${folder} does not exist (create it first)`);
  if (!folderStat.isDirectory()) throw problem(`${folder} is not a folder`);
  if (!writable(folder)) throw problem(`the folder ${folder} cannot be written by this user`);
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** ~/.local/state/personio-jumpcloud-sync/plans: readable by this user only. */
export function defaultPlanFolder(): string {
  return join(homedir(), '.local', 'state', 'personio-jumpcloud-sync', 'plans');
}

/**
 * The plan files' prefix: `--plan-output`'s, else `<defaultPlanFolder>/plan-<time>` (created
 * here, so a folder that cannot be made is reported before the preview runs).
 */
export function planPrefix(planOutput: string | undefined, now = new Date()): string {
  if (planOutput !== undefined) {
    checkOutputFile('--plan-output', `${planOutput}.json`);
    checkOutputFile('--plan-output', `${planOutput}.csv`);
    return planOutput;
  }
  const folder = defaultPlanFolder();
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new UsageError(
      `cannot create ${folder} for the plan files (${(err as NodeJS.ErrnoException).code}): give --plan-output PREFIX in a folder you can write (nothing was started)`,
    );
  }
  const prefix = join(folder, `plan-${now.toISOString().replace(/[:.]/g, '-')}`);
  checkOutputFile('--plan-output', `${prefix}.json`);
  return prefix;
}
