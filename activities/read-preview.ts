/**
 * The preview, made by the directory read itself once the whole directory is read
 * (activities/read-directory.ts): every page planned in that one activity, with the JumpCloud
 * lookups the read started for it (read-ahead.ts), instead of one step per page workflow.
 *
 * Why: a run that writes little (the daily re-run) is the read and the preview, and the
 * preview's cost was Temporal's round trip per page — a signal, a seal check, an activity and
 * an answer, four tasks a page on a worker of 2 cores (README, Performance). Here a page
 * costs one signal: the page keeps its full plan for the report (sealed by this worker, as
 * every step is), and the import gets each page's counts and problems, bounded, in the read's
 * result.
 *
 * The plan is the same code and the same request the page step would have used
 * (pagePlanning, domain/page-request.ts). The import falls back to the page steps when the
 * read did not make it (a retried read, whose pages an earlier attempt read; a directory
 * larger than what this worker keeps in memory).
 */
import PQueue from 'p-queue';
import { groupPlanOf, groupRules, type GroupPlan } from '../domain/group-plan.js';
import type { ImportInput } from '../domain/import-input.js';
import { MAX_REPORTED_PROBLEMS } from '../domain/outcomes.js';
import { pageChangedSince, pageRequest, type FetchedPage } from '../domain/page-request.js';
import { plannedPageReport, type PlannedStepRequest } from '../workflows/directory-page-api.js';
import type { PageReport } from '../workflows/import-api.js';
import type { EnsuredGroups } from './groups.js';
import type { DirectoryScan } from './scan-directory.js';
import type { PagePlanner } from './settle-page.js';

/** What the plan needs of the import's input (the rest of the input stays with the import). */
export type PreviewSettings = Pick<
  ImportInput,
  'pageSize' | 'createState' | 'allowReactivation' | 'dryRun' | 'activation' | 'groups'
>;

/** The import asks the read for its preview (absent in runs recorded before). */
export interface ReadPreviewRequest {
  settings: PreviewSettings;
  /** A delta run plans only the employees changed since then. */
  updatedSince: string | null;
}

export interface ReadPreview {
  /** The import's groups as they are (the preview creates none). */
  planGroups: EnsuredGroups;
  /**
   * Each page's report, in directory order. Problems are kept only where the import records
   * them from the plan (pages with nothing to write, or a dry run) and only as many as it keeps
   * (MAX_REPORTED_PROBLEMS) plus one, so it still knows the list was cut; each page holds all of its own.
   */
  reports: PageReport[];
}

/**
 * At most this many pages are kept in memory for the preview (about 150 MB at 100 employees a
 * page, as read-ahead.ts keeps their lookups); a larger directory is previewed by its pages.
 */
export const PREVIEW_MAX_PAGES = 400;

/** Pages planned and told their plan at once (each waits mostly on JumpCloud or a signal). */
const PLAN_CONCURRENCY = 8;

export interface PreviewDeps {
  plan: PagePlanner;
  /**
   * Starts reading the members of the groups every plan asks about (the all-employees group),
   * while Personio is still being read: on a re-run that listing (one request per 100 members)
   * was the first thing every plan waited for.
   */
  warmUp?: (settings: PreviewSettings) => void;
  ensureGroups: (plan: GroupPlan, dryRun: boolean) => Promise<EnsuredGroups>;
  /** Hands a page its plan (sealed by the caller). */
  tellPage: (offset: number, plan: PlannedStepRequest) => Promise<void>;
  /** The page's workflow id: the key of the lookups read ahead for it. */
  pageKey: (offset: number) => string;
  /** Called after each page (the read's heartbeat). */
  onPage: () => void;
}

export async function previewHeldPages(
  request: ReadPreviewRequest,
  facts: Omit<DirectoryScan, 'employeesTotal'>,
  pages: ReadonlyMap<number, FetchedPage>,
  deps: PreviewDeps,
): Promise<ReadPreview> {
  const { settings, updatedSince } = request;
  const groupPlan = groupPlanOf(settings, facts);
  const planGroups = await deps.ensureGroups(groupPlan, true);
  const rules = groupRules(settings, planGroups, groupPlan);
  const base = pageRequest(settings, facts, rules, {
    offset: 0,
    groupRules: rules,
    updatedSince,
    mode: 'plan',
  });
  const queue = new PQueue({ concurrency: PLAN_CONCURRENCY });
  const offsets = [...pages.keys()].sort((a, b) => a - b);
  const reports = await Promise.all(
    offsets.map((offset) =>
      queue.add(async () => {
        const page = pageChangedSince(pages.get(offset)!, updatedSince);
        const planned = await deps.plan({ ...base, offset, dryRun: true, page }, deps.pageKey(offset));
        await deps.tellPage(offset, { pageOffset: offset, results: planned.results, writes: planned.writes });
        deps.onPage();
        // Planning is the worker's main thread's work: let the workflow tasks waiting for it
        // run between pages (200 pages at once held them up to 5 s in workload E).
        await new Promise((resolve) => setImmediate(resolve));
        return plannedPageReport(offset, planned);
      }),
    ),
  );
  return { planGroups, reports: boundProblems(reports, settings.dryRun) };
}

/** Keeps the problems the import records from a plan, up to what it keeps plus one. */
function boundProblems(reports: PageReport[], dryRun: boolean): PageReport[] {
  let room = MAX_REPORTED_PROBLEMS + 1;
  return reports.map((report) => {
    // A page that will be applied reports its problems when applied (workflows/import-state.ts).
    const recordedNow = dryRun || !report.planned?.writes;
    const results = recordedNow ? report.results.slice(0, room) : [];
    room -= results.length;
    return { ...report, results };
  });
}
