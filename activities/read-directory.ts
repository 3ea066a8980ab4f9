/**
 * Step 2: the one read of the directory. Every page is read from Personio once per run,
 * paced by the client to Personio's limits, and handed at once to a workflow that holds it
 * for the rest of the run (workflows/directory-page.ts): the preview, the apply and manager
 * linking all work from that copy. Meanwhile the slim facts no single record can answer are
 * gathered — shared emails (both employees are held back), supervisor cycles, shared
 * usernames, the departments — and only those answers go back to the import.
 *
 * A retry resumes: the heartbeat lists the pages already handed over, and their facts are
 * asked of the page workflows (a query), not of Personio again.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import PQueue from 'p-queue';
import { DEFAULT_MAPPING, mappedCustomKeys } from '../domain/attribute-mapping.js';
import {
  distinctDepartments,
  findDuplicateEmails,
  findSupervisorsNotImported,
  findSharedUsernameBases,
  findSupervisorCycles,
} from '../domain/directory-scan.js';
import { baseUsername } from '../domain/username.js';
import { FORGED_STATE } from '../domain/failure-types.js';
import {
  DIRECTORY_PAGE_WORKFLOW_TYPE,
  directoryPageWorkflowId,
  pageCommandSignal,
  pageEntriesQuery,
  pageSealRequest,
  stepSealRequest,
  type DirectoryPageInput,
  type PageEntry,
} from '../workflows/directory-page-api.js';
import { sealState } from './carried-state.js';
import { required, type ImportDeps } from './deps.js';
import { asActivity } from './failures.js';
import { toFetchedPage, type FetchedPage, type PageEmployee } from './fetch-page.js';
import { heartbeat } from './heartbeat.js';
import type { JumpCloudReadAhead } from './read-ahead.js';
import {
  PREVIEW_MAX_PAGES,
  previewHeldPages,
  type PreviewDeps,
  type ReadPreview,
  type ReadPreviewRequest,
} from './read-preview.js';
import type { DirectoryScan } from './scan-directory.js';

export interface ReadDirectoryRequest {
  importWorkflowId: string;
  firstRunId: string;
  pageSize: number;
  /** How long a held page waits for its next step before it ends by itself. */
  idleTimeoutMs: number;
  /** Plan every page here once the directory is read (activities/read-preview.ts). */
  preview?: ReadPreviewRequest;
}

export interface DirectoryRead extends DirectoryScan {
  /** The offsets of the pages read (and held), in directory order. */
  pageOffsets: number[];
  /** Requests this step sent to Personio (all attempts): one per page, unless a retry had to re-read. */
  personioRequests: number;
  /** The preview, when asked for and this attempt read every page itself; else the pages plan. */
  preview?: ReadPreview;
}

/** What an attempt has done, for the next one (heartbeat details). */
interface ReadProgress {
  total: number;
  /** Offsets of the pages already held by their workflows. */
  held: number[];
  personioRequests: number;
}

/** Page workflows asked at once on a retry (queries are cheap, but not free). */
const QUERY_CONCURRENCY = 8;

/**
 * `readAhead`: where the page's JumpCloud lookups for its preview start (activities/read-ahead.ts);
 * `preview`: the plan and the groups lookup, for the preview made here (activities/read-preview.ts).
 */
export function createReadDirectoryActivities(
  deps: Partial<ImportDeps>,
  readAhead?: JumpCloudReadAhead,
  preview?: Pick<PreviewDeps, 'plan' | 'ensureGroups' | 'warmUp'>,
) {
  const customKeys = mappedCustomKeys(deps.mapping ?? DEFAULT_MAPPING);
  const sealKeys = () => {
    if (!deps.sealKeys)
      throw ApplicationFailure.create({
        type: FORGED_STATE,
        message: 'this worker has no key to seal the pages it reads; see the README’s Configuration section',
        nonRetryable: true,
      });
    return deps.sealKeys;
  };
  return {
    async readDirectory(request: ReadDirectoryRequest): Promise<DirectoryRead> {
      const personio = required(deps.personio, 'Personio client');
      const context = Context.current();
      const { client } = context;
      const taskQueue = context.info.taskQueue;
      return asActivity(async () => {
        const earlier = progressOf(context.info.heartbeatDetails);
        const progress: ReadProgress = earlier ?? { total: -1, held: [], personioRequests: 0 };
        const entriesByOffset = new Map<number, PageEntry[]>();
        // The pages as this attempt read them, for the preview made here; dropped (and the
        // pages plan) when an earlier attempt held some, or there are too many to keep.
        let previewPages: Map<number, FetchedPage> | null =
          request.preview && preview && !earlier ? new Map() : null;
        if (previewPages) preview?.warmUp?.(request.preview!.settings);
        const pageId = (offset: number) =>
          directoryPageWorkflowId(request.importWorkflowId, request.firstRunId, offset);

        /** Hands a page to its workflow; a page an earlier attempt handed over keeps its copy. */
        const hold = async (
          offset: number,
          employees: PageEmployee[],
          input: Omit<DirectoryPageInput, 'entries'>,
        ) => {
          const entries = employees.map(entryOf);
          const unsealed: DirectoryPageInput = { ...input, entries };
          // Sealed by the worker: the page refuses to act on a page of anyone else's making.
          const seal = sealState(sealKeys(), pageSealRequest(pageId(offset), unsealed));
          try {
            await client.workflow.start(DIRECTORY_PAGE_WORKFLOW_TYPE, {
              workflowId: pageId(offset),
              taskQueue,
              args: [{ ...unsealed, seal } satisfies DirectoryPageInput],
            });
            entriesByOffset.set(offset, entries);
          } catch (err) {
            if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
            previewPages = null; // the page holds what an earlier attempt read, maybe not this
            entriesByOffset.set(
              offset,
              await client.workflow.getHandle(pageId(offset)).query(pageEntriesQuery),
            );
          }
          progress.held.push(offset);
          heartbeat(progress);
        };

        const readAndHold = async (offset: number) => {
          const page = await personio.listEmployees({ offset, limit: request.pageSize });
          progress.personioRequests++;
          if (progress.total < 0) progress.total = page.totalElements;
          const fetched = toFetchedPage(page.records, offset, page.totalElements, customKeys);
          // JumpCloud's answers for this page's preview, read while Personio's next pages come.
          readAhead?.start(pageId(offset), fetched.employees);
          if (previewPages && previewPages.size < PREVIEW_MAX_PAGES) previewPages.set(offset, fetched);
          else previewPages = null;
          await hold(offset, fetched.employees, {
            importWorkflowId: request.importWorkflowId,
            firstRunId: request.firstRunId,
            offset,
            page: fetched,
            idleTimeoutMs: request.idleTimeoutMs,
          });
          return page.records.length;
        };

        // A retry: the pages already held answer for themselves.
        if (earlier) {
          const queries = new PQueue({ concurrency: QUERY_CONCURRENCY });
          await Promise.all(
            earlier.held.map((offset) =>
              queries.add(async () => {
                entriesByOffset.set(
                  offset,
                  await client.workflow.getHandle(pageId(offset)).query(pageEntriesQuery),
                );
                heartbeat(progress);
              }),
            ),
          );
        }
        // The first page gives the total; then every other page, at the pace Personio allows
        // (the client's limiter and concurrency cap), each handed over as soon as it arrives.
        let firstPageEmpty = false;
        if (progress.total < 0) firstPageEmpty = (await readAndHold(0)) === 0;
        const held = new Set(progress.held);
        const offsets: number[] = [];
        for (let offset = 0; !firstPageEmpty && offset < progress.total; offset += request.pageSize)
          offsets.push(offset);
        await Promise.all(offsets.filter((offset) => !held.has(offset)).map(readAndHold));

        // In directory order, so every answer is the same whatever order the pages arrived in.
        const pageOffsets = [...entriesByOffset.keys()].sort((a, b) => a - b);
        const entries = pageOffsets.flatMap((offset) => entriesByOffset.get(offset)!);
        const heldBack = findDuplicateEmails(entries);
        const facts = {
          heldBack,
          supervisorsNotImported: findSupervisorsNotImported(entries, heldBack),
          supervisorCycle: findSupervisorCycles(entries),
          idSuffixedUsernames: findSharedUsernameBases(entries.filter((e) => e.baseUsername !== '')),
          departments: distinctDepartments(entries),
        };
        const planned =
          request.preview && preview && previewPages
            ? await previewHeldPages(request.preview, facts, previewPages, {
                ...preview,
                pageKey: pageId,
                tellPage: (offset, plan) => {
                  const seal = sealState(
                    sealKeys(),
                    stepSealRequest(request.importWorkflowId, request.firstRunId, 'planned', plan),
                  );
                  return client.workflow
                    .getHandle(pageId(offset))
                    .signal(pageCommandSignal, { step: 'planned', request: plan, seal });
                },
                onPage: () => heartbeat(progress),
              })
            : undefined;
        return {
          employeesTotal: Math.max(progress.total, 0),
          ...facts,
          pageOffsets,
          personioRequests: progress.personioRequests,
          ...(planned ? { preview: planned } : {}),
        };
      });
    },
  };
}

/** Only people the import would create compete for an email or a username. */
function entryOf(e: PageEmployee): PageEntry {
  const creatable = e.status === 'active' || e.status === 'onboarding';
  return {
    personioId: e.personioId,
    email: creatable ? e.email : null,
    supervisorId: e.supervisorId,
    status: e.status,
    department: e.department,
    baseUsername: creatable ? baseUsername(e.email, e.firstName, e.lastName) : '',
  };
}

function progressOf(details: unknown): ReadProgress | null {
  if (!details || typeof details !== 'object') return null;
  const d = details as Partial<ReadProgress>;
  if (typeof d.total !== 'number' || !Array.isArray(d.held) || typeof d.personioRequests !== 'number')
    return null;
  return {
    total: d.total,
    held: d.held.filter((o): o is number => typeof o === 'number'),
    personioRequests: d.personioRequests,
  };
}
