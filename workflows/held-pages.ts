/**
 * The import's side of the held pages (workflows/directory-page.ts): send each page its
 * next step, a window of pages at a time, and take their answers. Call from workflow code.
 *
 * Each step runs until every page of its list has answered (true) or the import's history is
 * large enough to continue as new (false); either way no page is left mid-step, so nothing
 * in flight has to survive continue-as-new. Where the step list stands lives in the
 * import's state.
 */
import {
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  log,
  setHandler,
} from '@temporalio/workflow';
import {
  directoryPageWorkflowId,
  pageCommandSignal,
  pageStepDoneSignal,
  type PageCommand,
  type PageStep,
  type PageStepDone,
} from './directory-page-api.js';

/** The pages this run read and holds, and how far the release of the idle ones has got. */
export interface HeldPages {
  /** Offsets of every page read, in directory order. */
  offsets: number[];
  /** The plan step's position in `offsets`. */
  planned: number;
  /** The release's position in `offsets` (pages with nothing left to do are told to end). */
  released: number;
  /** The directory read previewed every page itself: no plan step is sent. */
  plannedInRead?: boolean;
}

/** Releases sent at once. */
const RELEASE_BATCH = 50;

export interface StepRun {
  step: PageStep;
  window: number;
  hasNext: () => boolean;
  /** The next page's offset (advances the caller's cursor). */
  next: () => number;
  command: (offset: number) => PageCommand;
  onDone: (done: PageStepDone) => void;
  /** Time to continue as new: start no more pages. */
  shouldPause: () => boolean;
}

export function heldPages(importWorkflowId: string, firstRunId: string) {
  // Answers arrive as signals; each step takes those of its own pages, once.
  const answers: PageStepDone[] = [];
  setHandler(pageStepDoneSignal, (done) => void answers.push(done));
  const page = (offset: number) =>
    getExternalWorkflowHandle(directoryPageWorkflowId(importWorkflowId, firstRunId, offset));

  // The pages of the step in progress that have not answered yet (for the progress query).
  let waiting = new Set<number>();
  let waitingStep: PageStep | null = null;
  return {
    /** The pages working on a step right now, and which step. */
    inFlight: () => ({ step: waitingStep, offsets: [...waiting] }),

    async run(r: StepRun): Promise<void> {
      waiting = new Set<number>();
      waitingStep = r.step;
      while (waiting.size > 0 || (r.hasNext() && !r.shouldPause())) {
        const sends: Promise<void>[] = [];
        while (waiting.size < r.window && r.hasNext() && !r.shouldPause()) {
          const offset = r.next();
          waiting.add(offset);
          sends.push(page(offset).signal(pageCommandSignal, r.command(offset)));
        }
        await Promise.all(sends);
        if (waiting.size === 0) break;
        await condition(() => answers.length > 0);
        for (const done of answers.splice(0)) {
          // A repeated answer, or one for another step, is not counted twice.
          if (done.step !== r.step || !waiting.delete(done.offset)) continue;
          if (done.failure)
            throw ApplicationFailure.create({
              type: done.failure.type,
              message: done.failure.message,
              nonRetryable: true,
            });
          r.onDone(done);
        }
      }
    },

    /**
     * The import was cancelled: the pages in the middle of a step are cancelled too (their
     * activities stop, as a page child's did), and every other page is released.
     */
    async stop(held: HeldPages): Promise<void> {
      const cut = [...waiting];
      await Promise.all(
        cut.map((offset) =>
          page(offset)
            .cancel()
            .catch((err: unknown) => log.info('page already ended', { offset, error: String(err) })),
        ),
      );
      held.released = 0;
      await this.release(held, new Set(cut), () => false);
    },

    /**
     * Tells pages with nothing left to do in this run to end, from `held.released` on, skipping
     * `ended` (pages whose last step ended them). A page that already ended is not an error.
     */
    async release(held: HeldPages, ended: ReadonlySet<number>, shouldPause: () => boolean): Promise<boolean> {
      while (held.released < held.offsets.length) {
        if (shouldPause()) return false;
        const batch = held.offsets
          .slice(held.released, held.released + RELEASE_BATCH)
          .filter((offset) => !ended.has(offset));
        held.released = Math.min(held.offsets.length, held.released + RELEASE_BATCH);
        await Promise.all(
          batch.map((offset) =>
            page(offset)
              .signal(pageCommandSignal, { step: 'release' })
              .catch((err: unknown) => log.info('page already ended', { offset, error: String(err) })),
          ),
        );
      }
      return true;
    },
  };
}
