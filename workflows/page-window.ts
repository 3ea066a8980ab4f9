/**
 * The page window: how the import walks its pages a window at a time and when it stops to
 * continue as new (what every page is asked: domain/page-request.ts; the groups and their
 * rules: domain/group-plan.ts). Shared by both ways a run treats its pages: held pages (workflows/held-steps.ts)
 * and, in runs recorded before them, a child per page (workflows/page-children.ts).
 * Call from workflow code.
 */
import { workflowInfo } from '@temporalio/workflow';
import type { ImportInput } from '../domain/import-input.js';
import type { ImportState } from './import-state.js';

/** Time to continue as new: past the input's event budget, or when the server suggests it. */
export function historyIsLarge(input: ImportInput): boolean {
  const info = workflowInfo();
  return info.historyLength > input.continueAsNewAfterEvents || info.continueAsNewSuggested;
}

/**
 * Walks pages: the offsets of `list` (the position is an index into it), or, without one,
 * every page up to the directory's current end (the position is the next offset). The
 * position lives in the import's state, so it survives continue-as-new.
 */
export function pageCursor(
  input: ImportInput,
  state: ImportState,
  list: readonly number[] | null,
  position: { get(): number; set(at: number): void },
): { hasNext: () => boolean; next: () => number } {
  return {
    hasNext: () => position.get() < (list ? list.length : state.employeesTotal),
    next: () => {
      const at = position.get();
      position.set(list ? at + 1 : at + input.pageSize);
      return list ? list[at]! : at;
    },
  };
}

/**
 * Keeps up to `window` pieces of work (page children, manager activities) running while there
 * is more to start and the history has room; hands each finished one to `onDone`. Returns
 * with nothing in flight.
 */
export async function runWindow<T>(
  input: ImportInput,
  window: number,
  hasNext: () => boolean,
  /** Starts the next piece; resolves once it is started, with its eventual result. */
  start: () => Promise<{ result: Promise<T> }>,
  onDone: (done: T) => void,
): Promise<void> {
  const inFlight = new Map<number, Promise<{ id: number; page: T }>>();
  const shouldPause = () => historyIsLarge(input);
  let key = 0;
  while (inFlight.size > 0 || (hasNext() && !shouldPause())) {
    while (inFlight.size < window && hasNext() && !shouldPause()) {
      const { result } = await start();
      const id = key++;
      inFlight.set(
        id,
        result.then((page) => ({ id, page })),
      );
    }
    if (inFlight.size === 0) break;
    // One finished piece per turn: removed here, not when it settles, so none is lost when
    // several settle at once.
    const { id, page } = await Promise.race([...inFlight.values()]);
    inFlight.delete(id);
    onDone(page);
  }
}
