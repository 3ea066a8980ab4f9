// The preview made by the directory read (activities/read-preview.ts), around a stubbed plan:
// this is a unit test of what the read does with each page's plan; test/integration/read-ahead.test.ts
// runs it through the real worker and CLI.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { previewHeldPages, type PreviewDeps } from '../../activities/read-preview.js';
import type { PlannedPage } from '../../activities/settle-page.js';
import { parseImportInput } from '../../domain/import-input.js';
import { MAX_REPORTED_PROBLEMS, type EmployeeResult } from '../../domain/outcomes.js';
import type { FetchedPage, PageRequest } from '../../domain/page-request.js';
import type { PlannedStepRequest } from '../../workflows/directory-page-api.js';

const parsed = parseImportInput({ groups: { perDepartment: true } });
if (!parsed.ok) throw new Error('the default input is valid');
const input = parsed.input;

const facts = {
  heldBack: [{ personioId: 7, reason: 'shares an email' }],
  supervisorCycle: [],
  idSuffixedUsernames: [3],
  departments: ['Sales'],
  supervisorsNotImported: [],
};

function page(ids: number[]): FetchedPage {
  return {
    employees: ids.map((personioId) => ({ personioId }) as FetchedPage['employees'][number]),
    skipped: [],
    totalElements: 300,
  };
}

/** A page of `skipped` problems and one unchanged employee; `writes` as given. */
function plannedOf(request: PageRequest, skipped: number, writes: boolean): PlannedPage {
  const results: EmployeeResult[] = [
    ...Array.from({ length: skipped }, (_, i) => ({
      personioId: request.offset * 1000 + i,
      outcome: 'skipped' as const,
      reason: 'no email',
    })),
    { personioId: request.offset * 1000 + 999, outcome: 'unchanged' },
  ];
  return { results, totalElements: 300, writes, importedUsers: 1, managerChanges: 0 };
}

function harness(plan: (request: PageRequest) => PlannedPage) {
  const told: PlannedStepRequest[] = [];
  const asked: { request: PageRequest; key: string }[] = [];
  const ensured: boolean[] = [];
  const deps: PreviewDeps = {
    plan: async (request, key) => {
      asked.push({ request, key: key! });
      return plan(request);
    },
    ensureGroups: async (groupPlan, dryRun) => {
      ensured.push(dryRun);
      assert.deepEqual(groupPlan.departmentGroups, [{ department: 'Sales', groupName: 'Personio - Sales' }]);
      return {
        allEmployeesGroupId: 'g-all',
        departmentGroupIds: { sales: 'g-sales' },
        created: [],
        refused: [],
      };
    },
    tellPage: async (_offset, request) => void told.push(request),
    pageKey: (offset) => `import/page-${offset}`,
    onPage: () => {},
  };
  return { deps, told, asked, ensured };
}

describe('the preview made by the directory read', () => {
  it('plans each page with the page step’s request, tells each page its whole plan, reports in directory order', async () => {
    const h = harness((request) => plannedOf(request, 1, request.offset === 100));
    const pages = new Map([
      [200, page([5, 6])],
      [0, page([1, 2])],
      [100, page([3, 4])],
    ]);
    const preview = await previewHeldPages({ settings: input, updatedSince: null }, facts, pages, h.deps);
    assert.deepEqual(h.ensured, [true], 'the groups are looked up, never created');
    assert.deepEqual(
      preview.reports.map((r) => r.offset),
      [0, 100, 200],
    );
    for (const { request, key } of h.asked) {
      assert.equal(key, `import/page-${request.offset}`, 'the lookups read ahead for that page');
      assert.equal(request.mode, 'plan');
      assert.equal(request.dryRun, true);
      assert.deepEqual(request.heldBack, facts.heldBack);
      assert.deepEqual(request.idSuffixedUsernames, [3]);
      assert.equal(request.groupRules?.groupNames['g-sales'], 'Personio - Sales');
      assert.deepEqual(request.page, pages.get(request.offset));
    }
    // Each page is told its own whole plan, problems and all.
    assert.deepEqual(h.told.map((t) => [t.pageOffset, t.results.length, t.writes]).sort(), [
      [0, 2, false],
      [100, 2, true],
      [200, 2, false],
    ]);
    // The import records a page's problems from the plan only where it will not be applied.
    const byOffset = new Map(preview.reports.map((r) => [r.offset, r]));
    assert.equal(byOffset.get(0)!.results.length, 1);
    assert.equal(byOffset.get(100)!.results.length, 0, 'applied later: its problems come then');
    assert.deepEqual(byOffset.get(100)!.counts.skipped, 1, 'the counts are whole');
    assert.deepEqual(byOffset.get(100)!.planned, {
      writes: true,
      importedUsers: 1,
      managerChanges: 0,
      fullPlanInActivity: true,
    });
  });

  it('sends the import no more problems than it keeps, plus one to say the list was cut', async () => {
    const h = harness((request) => plannedOf(request, 150, false));
    const pages = new Map([0, 100, 200].map((offset) => [offset, page([offset + 1])]));
    const preview = await previewHeldPages({ settings: input, updatedSince: null }, facts, pages, h.deps);
    const sent = preview.reports.map((r) => r.results.length);
    assert.deepEqual(sent, [150, MAX_REPORTED_PROBLEMS + 1 - 150, 0]);
    assert.deepEqual(
      preview.reports.map((r) => r.counts.skipped),
      [150, 150, 150],
    );
  });

  it('a delta run plans only the employees changed since its watermark', async () => {
    const h = harness((request) => plannedOf(request, 0, false));
    const changed = {
      personioId: 1,
      lastModifiedAt: '2026-11-02T00:00:00Z',
    } as FetchedPage['employees'][number];
    const old = { personioId: 2, lastModifiedAt: '2026-10-01T00:00:00Z' } as FetchedPage['employees'][number];
    const pages = new Map([[0, { employees: [changed, old], skipped: [], totalElements: 2 }]]);
    await previewHeldPages({ settings: input, updatedSince: '2026-11-01T00:00:00Z' }, facts, pages, h.deps);
    assert.deepEqual(
      h.asked[0]!.request.page!.employees.map((e) => e.personioId),
      [1],
    );
    assert.equal(h.asked[0]!.request.updatedSince, '2026-11-01T00:00:00Z');
  });
});
