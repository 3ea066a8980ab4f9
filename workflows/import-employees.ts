/**
 * The import: authenticate → scan the directory → ensure groups → stage every page (a child
 * workflow per page, a window of pages in flight) → link managers → bind groups to
 * applications → notify. The parent carries only cursors, counters and the bounded list of
 * problems, never employee data, and continues as new before its history grows large, so
 * 100,000 employees fit.
 */
import {
  ApplicationFailure,
  isCancellation,
  continueAsNew,
  metricMeter,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { EnsuredGroups } from '../activities/groups.js';
import type { DirectoryScan } from '../activities/scan-directory.js';
import { parseImportInput, groupNameForDepartment, type ImportInput } from '../domain/import-input.js';
import {
  addOutcomeCounts,
  collectProblems,
  emptyOutcomeCounts,
  MAX_REPORTED_PROBLEMS,
  totalOutcomes,
  type EmployeeResult,
  type ImportPhase,
  type OutcomeCounts,
} from '../domain/outcomes.js';
import {
  importEmployeesFailedKey,
  importEmployeesProcessedKey,
  importPhaseKey,
} from '../domain/search-attributes.js';
import { EMPLOYEES_PROCESSED, IMPORT_DURATION, IMPORTS_FINISHED } from '../domain/metric-names.js';
import { countsLine, summaryText } from '../domain/summary.js';
import { credentialCheck, longRead, shortCall } from './activity-options.js';
import { pageWorkflowId, progressQuery, type ImportReport, type PageReport } from './import-api.js';
import { importPage } from './import-page.js';

const { checkCredentials } = proxyActivities<Activities>(credentialCheck);
const { scanDirectory } = proxyActivities<Activities>(longRead);
const { ensureGroups, linkManagersForPage, bindGroupsToApplications, sendNotification } =
  proxyActivities<Activities>(shortCall);

/** Search attributes are updated at most every this many pages (each update is an event). */
const SEARCH_ATTRIBUTE_EVERY_PAGES = 10;

/** Everything the import needs to go on after continue-as-new. */
export interface ImportState {
  startedAt: number;
  phase: ImportPhase;
  scan: DirectoryScan | null;
  groups: EnsuredGroups | null;
  employeesTotal: number;
  nextPageOffset: number;
  pagesDone: number;
  counts: OutcomeCounts;
  problems: EmployeeResult[];
  truncated: boolean;
  nextManagerOffset: number;
  managers: ImportReport['managers'];
}

export async function importEmployees(rawInput?: unknown, carried?: ImportState): Promise<ImportReport> {
  const parsed = parseImportInput(rawInput);
  if (!parsed.ok) {
    throw ApplicationFailure.create({
      type: 'InvalidImportInput',
      message: `The import input is invalid: ${parsed.problems.map((p) => p.message).join('; ')}`,
      nonRetryable: true,
      details: [parsed.problems],
    });
  }
  const input = parsed.input;
  const state: ImportState = carried ?? {
    startedAt: Date.now(),
    phase: 'authenticating',
    scan: null,
    groups: null,
    employeesTotal: 0,
    nextPageOffset: 0,
    pagesDone: 0,
    counts: emptyOutcomeCounts(),
    problems: [],
    truncated: false,
    nextManagerOffset: 0,
    managers: { linked: 0, cleared: 0, unchanged: 0, notes: [], notesTruncated: false },
  };
  const pagesTotal = () => Math.ceil(state.employeesTotal / input.pageSize);
  setHandler(progressQuery, () => ({
    phase: state.phase,
    pagesDone: state.pagesDone,
    pagesTotal: state.scan ? pagesTotal() : null,
    employeesProcessed: totalOutcomes(state.counts),
    employeesTotal: state.scan ? state.employeesTotal : null,
    counts: state.counts,
  }));

  const enter = (phase: ImportPhase) => {
    state.phase = phase;
    publish();
  };
  const publish = () => {
    upsertSearchAttributes([
      { key: importPhaseKey, value: state.phase },
      { key: importEmployeesProcessedKey, value: totalOutcomes(state.counts) },
      { key: importEmployeesFailedKey, value: state.counts.failed },
    ]);
    setCurrentDetails(
      `**${state.phase}**${input.dryRun ? ' (dry run)' : ''} · pages ${state.pagesDone}/${state.scan ? pagesTotal() : '?'} · ${countsLine(state.counts)}`,
    );
  };

  try {
    if (state.phase === 'authenticating') {
      publish();
      await checkCredentials();
      enter('scanning');
    }
    if (state.phase === 'scanning') {
      state.scan = await scanDirectory(input.pageSize);
      state.employeesTotal = state.scan.employeesTotal;
      enter('preparing-groups');
    }
    const scan = state.scan!;
    if (state.phase === 'preparing-groups') {
      state.groups = await ensureGroups(
        {
          allEmployeesGroup: input.groups.allEmployeesGroup,
          departmentGroups: input.groups.perDepartment
            ? scan.departments.map((department) => ({
                department,
                groupName: groupNameForDepartment(input.groups.departmentGroupPattern, department),
              }))
            : [],
        },
        input.dryRun,
      );
      enter('staging');
    }
    const groups = state.groups!;

    if (state.phase === 'staging') {
      const finished = await stagePages(input, state, scan, groups, publish);
      if (!finished) await continueAsNew<typeof importEmployees>(rawInput, state);
      enter('linking-managers');
    }
    if (state.phase === 'linking-managers') {
      const finished = await linkManagers(input, state, scan);
      if (!finished) await continueAsNew<typeof importEmployees>(rawInput, state);
      enter('binding-groups');
    }

    const groupIds = [groups.allEmployeesGroupId, ...Object.values(groups.departmentGroupIds)].filter(
      (id): id is string => id !== null,
    );
    enter('binding-groups');
    const bindings = await bindGroupsToApplications(input.applications, groupIds, input.dryRun);

    const report: ImportReport = {
      counts: state.counts,
      problems: state.problems,
      truncated: state.truncated,
      dryRun: input.dryRun,
      startedAt: new Date(state.startedAt).toISOString(),
      finishedAt: new Date().toISOString(),
      durationMs: Date.now() - state.startedAt,
      employeesTotal: state.employeesTotal,
      pageSize: input.pageSize,
      pages: pagesTotal(),
      firstRunId: workflowInfo().firstExecutionRunId,
      managers: state.managers,
      groups: {
        created: groups.created,
        bound: bindings.bound,
        alreadyBound: bindings.alreadyBound,
        missingApplications: bindings.missingApplications,
      },
      notified: null,
    };

    const processed = totalOutcomes(state.counts);
    const wanted =
      input.notify.when === 'always' || (input.notify.when === 'auto' && processed > input.notify.threshold);
    if (wanted) {
      enter('notifying');
      const text = summaryText({
        dryRun: input.dryRun,
        employeesTotal: state.employeesTotal,
        counts: state.counts,
        problems: state.problems,
        truncated: state.truncated,
        managersLinked: state.managers.linked + state.managers.cleared,
        managerNotes: state.managers.notes.length,
        groupsCreated: groups.created,
        bindings: bindings.bound.length,
        missingApplications: bindings.missingApplications,
        durationMs: report.durationMs,
      });
      report.notified = await sendNotification({
        subject: `Personio import ${input.dryRun ? 'preview' : 'finished'}: ${processed} employees (${state.counts.failed} failed)`,
        text,
        summary: {
          workflowId: workflowInfo().workflowId,
          counts: state.counts,
          employeesTotal: state.employeesTotal,
        },
        email: input.notify.email,
        webhookUrl: input.notify.webhookUrl,
      });
    }
    enter('done');
    metricMeter
      .createCounter(IMPORTS_FINISHED, 'imports', 'finished imports')
      .add(1, { dryRun: String(input.dryRun) });
    metricMeter
      .createHistogram(IMPORT_DURATION, 'float', 's', 'wall time of finished imports')
      .record(report.durationMs / 1000, { dryRun: String(input.dryRun) });
    return report;
  } catch (err) {
    // Cancelled (from the CLI or Temporal Web): what was done stays done; say so where people
    // look (the progress query, Temporal Web's details, the phase search attribute).
    if (isCancellation(err)) enter('cancelled');
    throw err;
  }
}

/** Workflow metrics are replay-safe (not emitted again on replay), so these counts are exact. */
function countEmployees(counts: OutcomeCounts): void {
  const counter = metricMeter.createCounter(
    EMPLOYEES_PROCESSED,
    'employees',
    'employees finished, by outcome',
  );
  for (const [outcome, n] of Object.entries(counts)) if (n > 0) counter.add(n, { outcome });
}

/**
 * Runs page children, at most `pagesInFlight` at a time, until every page is done (true) or
 * the history is large enough that the caller should continue as new (false). Either way no
 * child is left in flight.
 */
async function stagePages(
  input: ImportInput,
  state: ImportState,
  scan: DirectoryScan,
  groups: EnsuredGroups,
  publish: () => void,
): Promise<boolean> {
  const inFlight = new Map<number, Promise<PageReport>>();
  const { workflowId, firstExecutionRunId } = workflowInfo();
  const shouldPause = () => historyIsLarge(input);

  while (inFlight.size > 0 || (state.nextPageOffset < state.employeesTotal && !shouldPause())) {
    while (
      inFlight.size < input.pagesInFlight &&
      state.nextPageOffset < state.employeesTotal &&
      !shouldPause()
    ) {
      const offset = state.nextPageOffset;
      state.nextPageOffset += input.pageSize;
      const child: ChildWorkflowHandle<typeof importPage> = await startChild(importPage, {
        workflowId: pageWorkflowId(workflowId, firstExecutionRunId, offset),
        args: [
          {
            offset,
            limit: input.pageSize,
            heldBack: scan.heldBack,
            idSuffixedUsernames: scan.idSuffixedUsernames,
            allEmployeesGroupId: groups.allEmployeesGroupId,
            departmentGroupIds: groups.departmentGroupIds,
            createState: input.createState,
            allowReactivation: input.allowReactivation,
            dryRun: input.dryRun,
          },
        ],
      });
      inFlight.set(offset, child.result());
    }
    if (inFlight.size === 0) break;
    const done = await Promise.race([...inFlight.values()]);
    inFlight.delete(done.offset);
    state.pagesDone++;
    state.counts = addOutcomeCounts(state.counts, done.counts);
    countEmployees(done.counts);
    ({ problems: state.problems, truncated: state.truncated } = collectProblems(state, done.results));
    // The directory may have grown since the scan: read on to its current end.
    state.employeesTotal = Math.max(state.employeesTotal, done.totalElements);
    if (state.pagesDone % SEARCH_ATTRIBUTE_EVERY_PAGES === 0) publish();
  }
  return state.nextPageOffset >= state.employeesTotal;
}

/** Time to continue as new: past the input's event budget, or when the server suggests it. */
function historyIsLarge(input: ImportInput): boolean {
  const info = workflowInfo();
  return info.historyLength > input.continueAsNewAfterEvents || info.continueAsNewSuggested;
}

/** Links managers page by page (one activity each), with the same window and pause rule. */
async function linkManagers(input: ImportInput, state: ImportState, scan: DirectoryScan): Promise<boolean> {
  const inFlight = new Map<
    number,
    Promise<{ offset: number; links: Awaited<ReturnType<Activities['linkManagersForPage']>> }>
  >();
  const shouldPause = () => historyIsLarge(input);
  while (inFlight.size > 0 || (state.nextManagerOffset < state.employeesTotal && !shouldPause())) {
    while (
      inFlight.size < input.pagesInFlight &&
      state.nextManagerOffset < state.employeesTotal &&
      !shouldPause()
    ) {
      const offset = state.nextManagerOffset;
      state.nextManagerOffset += input.pageSize;
      inFlight.set(
        offset,
        linkManagersForPage({
          offset,
          limit: input.pageSize,
          supervisorCycle: scan.supervisorCycle,
          dryRun: input.dryRun,
        }).then((links) => ({ offset, links })),
      );
    }
    if (inFlight.size === 0) break;
    const { offset, links } = await Promise.race([...inFlight.values()]);
    inFlight.delete(offset);
    const m = state.managers;
    m.linked += links.linked;
    m.cleared += links.cleared;
    m.unchanged += links.unchanged;
    const room = MAX_REPORTED_PROBLEMS - m.notes.length;
    m.notes.push(...links.notes.slice(0, Math.max(0, room)));
    m.notesTruncated ||= links.notes.length > room;
  }
  return state.nextManagerOffset >= state.employeesTotal;
}
