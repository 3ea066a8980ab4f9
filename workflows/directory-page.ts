/**
 * One page of the directory, read once from Personio and held for the whole run.
 *
 * The directory read (activities/read-directory.ts) starts one of these per page with the
 * page as read; from then on nothing reads that page from Personio again. The import sends
 * each page its steps in turn — plan (the preview), apply (stage each employee), link
 * managers — and the page answers each with a signal carrying the same report a page child
 * gave before. The page's history holds its full plan and outcomes (the CLI's report reads
 * them through `pageReport`, or the result once the page has ended); the import's own
 * history gets counts and problems only, so it stays small however large the directory.
 *
 * A page ends when its last step is done (managers linked), when the import releases it (a
 * page with nothing left to do, a rejected or cancelled run), or, if the import was
 * terminated and can no longer say, after `idleTimeoutMs` without a step.
 */
import {
  ApplicationFailure,
  isCancellation,
  TemporalFailure,
  condition,
  getExternalWorkflowHandle,
  log,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { countOutcomes, isProblem, type EmployeeResult } from '../domain/outcomes.js';
import { shortCall, workerCheck } from './activity-options.js';
import {
  pageCommandSignal,
  pageEntriesQuery,
  pageReportQuery,
  pageSealRequest,
  pageStepDoneSignal,
  stepSealRequest,
  type DirectoryPageInput,
  type HeldPageReport,
  type LinkStepRequest,
  type PageCommand,
  type PageStepDone,
  plannedPageReport,
} from './directory-page-api.js';
import { pageProgressQuery, type PageReport } from './import-api.js';
import { pageChangedSince, type FetchedPage, type PageRequest } from '../domain/page-request.js';
import { stagePage } from './page-staging.js';
import { FORGED_STATE, PAGE_FAILED } from '../domain/failure-types.js';

const { planPage, fetchAndSettlePage, linkManagersForPage } = proxyActivities<Activities>(shortCall);
const { checkCarriedState } = proxyLocalActivities<Activities>(workerCheck);

export async function directoryPage(input: DirectoryPageInput): Promise<HeldPageReport> {
  const held: HeldPageReport = { offset: input.offset, planned: null, applied: null, links: null };
  const commands: PageCommand[] = [];
  setHandler(pageCommandSignal, (command) => void commands.push(command));
  setHandler(pageEntriesQuery, () => input.entries);
  setHandler(pageReportQuery, () => held);
  // The employees of an apply in progress that the import has not counted yet, for `status`
  // and `cancel` (client/run-facts.ts): empty once the page has answered.
  let applying: EmployeeResult[] = [];
  setHandler(pageProgressQuery, () => ({ offset: input.offset, results: applying }));
  const importRun = getExternalWorkflowHandle(input.importWorkflowId);
  // Only a page its import's worker read and sealed acts (anyone can start a workflow).
  const forged = await checkCarriedState({
    ...pageSealRequest(workflowInfo().workflowId, input),
    seal: input.seal,
  });
  if (forged !== null)
    throw ApplicationFailure.create({
      type: FORGED_STATE,
      message: `Refused: ${forged}. Pages are read and started by an import only.`,
      nonRetryable: true,
    });

  for (;;) {
    if (!(await condition(() => commands.length > 0, input.idleTimeoutMs))) {
      log.warn('page ended: no step from the import in time', { offset: input.offset });
      break;
    }
    const command = commands.shift()!;
    if (command.step === 'release') break;
    // A step is taken only with its import's seal (anyone can signal a workflow).
    const refused = await checkCarriedState({
      ...stepSealRequest(input.importWorkflowId, input.firstRunId, command.step, command.request),
      seal: command.seal,
    });
    if (refused !== null) {
      log.warn('page step refused', { offset: input.offset, step: command.step, reason: refused });
      continue;
    }
    if (command.step === 'planned') {
      // The plan the directory read made of this page (its offset is sealed with it): kept
      // for the report; the import already has the counts, so nothing is answered.
      if (command.request.pageOffset === input.offset) {
        held.planned = command.request.results;
        held.plannedWrites = command.request.writes;
      } else
        log.warn('page step refused', {
          offset: input.offset,
          step: 'planned',
          reason: 'another page’s plan',
        });
      continue;
    }
    let done: PageStepDone;
    try {
      if (command.step === 'plan')
        done = { offset: input.offset, step: 'plan', report: await plan(command.request) };
      else if (command.step === 'apply')
        done = { offset: input.offset, step: 'apply', report: await apply(command.request) };
      else done = { offset: input.offset, step: 'link', links: await link(command.request) };
    } catch (err) {
      // A step that fails for good fails the import, as a page child's failure did: the
      // import is told why (it waits for this answer), then the page fails too.
      if (isCancellation(err)) throw err;
      const cause = rootCause(err);
      await importRun
        .signal(pageStepDoneSignal, { offset: input.offset, step: command.step, failure: cause })
        .catch(() => undefined);
      throw err;
    }
    try {
      await importRun.signal(pageStepDoneSignal, done);
      applying = [];
    } catch (err) {
      // The import is gone (terminated): nobody waits for this page any more.
      log.warn('page ended: the import no longer runs', { offset: input.offset, error: String(err) });
      break;
    }
    if (command.step === 'link') break; // managers are a page's last step
  }
  return held;

  /** The page as this run reads it: a delta run plans only the employees changed since its watermark. */
  function pageFor(updatedSince: string | null | undefined): FetchedPage {
    return pageChangedSince(input.page, updatedSince);
  }

  async function plan(request: PageRequest): Promise<PageReport> {
    const page = pageFor(request.updatedSince);
    const planned = await planPage({ ...request, dryRun: true, page });
    held.planned = planned.results;
    held.plannedWrites = planned.writes;
    return plannedPageReport(input.offset, planned);
  }

  async function apply(request: PageRequest): Promise<PageReport> {
    const page = await fetchAndSettlePage({ ...request, page: pageFor(request.updatedSince) });
    applying = [];
    const results = await stagePage(page, request, applying);
    held.applied = results;
    return {
      offset: input.offset,
      // The import keeps a bounded list of problems; the rest stay here (pageReport).
      results: results.filter(isProblem),
      counts: countOutcomes(results),
      totalElements: page.totalElements,
    };
  }

  async function link(request: LinkStepRequest) {
    const employees = pageFor(request.updatedSince).employees;
    const links = await linkManagersForPage({
      offset: input.offset,
      limit: employees.length,
      supervisorCycle: request.supervisorCycle,
      dryRun: request.dryRun,
      pairs: employees.map((e) => ({ personioId: e.personioId, supervisorId: e.supervisorId })),
    });
    held.links = links;
    return links;
  }
}

/** The innermost failure's type and message (an activity's ApplicationFailure, usually). */
function rootCause(err: unknown): { type: string; message: string } {
  let cause: unknown = err;
  while (cause instanceof TemporalFailure && cause.cause) cause = cause.cause;
  return {
    type: cause instanceof ApplicationFailure && cause.type ? cause.type : PAGE_FAILED,
    message: cause instanceof Error ? cause.message : String(cause),
  };
}
