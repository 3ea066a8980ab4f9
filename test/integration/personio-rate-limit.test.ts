/**
 * An import of 2,000 employees (20 pages) with the sandbox enforcing Personio's documented
 * limit (300 requests a minute, bursts of 15 a second), through the real worker and CLI
 * processes: the run finishes, reads each page from Personio exactly once, writes nothing
 * twice, and a re-run reads each page once more and writes nothing.
 *
 * (Before pacing, the directory scan read its 20 pages at once, 5 were refused with 429, the
 * whole scan failed and every retry did the same: an import of this size never finished.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectedUsers } from '../helpers/expected-directory.js';
import { jumpcloudState, startRealProcesses } from '../helpers/real-processes.js';

const EMPLOYEES = 2000;
const PAGES = EMPLOYEES / 100;
const LIST = 'GET /v1/company/employees';

/** Every data request Personio answered (auth aside), by route and status. */
function dataRequests(requests: Record<string, Record<string, number>>): number {
  return Object.entries(requests)
    .filter(([route]) => route.startsWith('GET '))
    .reduce((n, [, byStatus]) => n + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
}

test(
  "2,000 employees under Personio's documented limits: one read per page per run, no write twice",
  // Rate-limited by design (and slower on a loaded machine): more than the suite's 5 minutes.
  { timeout: 15 * 60_000 },
  async (t) => {
    // The sandbox's Personio limit is on by default (nothing is turned off here).
    const project = await startRealProcesses(t, {
      personio: { employees: EMPLOYEES, seed: 53 },
      workerEnv: { JUMPCLOUD_MAX_CONCURRENCY: '16' },
    });
    const { personio, jumpcloud } = project;
    const importOnce = async () => {
      const cli = await project.cli(['import', '--notify', 'never']);
      assert.equal(cli.code, 0, cli.output);
    };

    // First run.
    await importOnce();
    const reads = personio.stats.snapshot().requests[LIST] ?? {};
    assert.equal(reads['200'], PAGES, `each page read once (${JSON.stringify(reads)})`);
    assert.equal(reads['429'] ?? 0, 0, 'the client paced itself: Personio refused nothing');
    const requests = personio.stats.snapshot().requests;
    assert.equal(dataRequests(requests), PAGES, `nothing but the page reads (${JSON.stringify(requests)})`);

    const records = Array.from({ length: EMPLOYEES }, (_, i) => personio.data.get(1001 + i)!);
    const expected = expectedUsers(records);
    const state = await jumpcloudState(jumpcloud.url);
    assert.deepEqual(
      state.users.map((u) => Number(u.employeeIdentifier)).sort((a, b) => a - b),
      [...expected.keys()].sort((a, b) => a - b),
    );
    const writes = jumpcloud.stats.snapshot().writes;
    assert.equal(writes.usersCreated, expected.size, 'no user created twice');
    const memberships = state.groups.reduce((n, g) => n + g.members.length, 0);
    assert.equal(writes.membersAdded, memberships, 'no membership added twice');
    const withManager = state.users.filter((u) => u.manager).length;
    assert.ok(withManager > 0, 'managers were linked');
    assert.equal(writes.usersUpdated, withManager, 'each manager linked with one update');

    // Re-run: the same one read per page, and nothing to write.
    personio.stats.clear();
    jumpcloud.stats.clear();
    await importOnce();
    const again = personio.stats.snapshot().requests[LIST] ?? {};
    assert.equal(again['200'], PAGES, `each page read once on the re-run (${JSON.stringify(again)})`);
    const rerun = personio.stats.snapshot().requests;
    assert.equal(dataRequests(rerun), PAGES, `nothing but the page reads (${JSON.stringify(rerun)})`);
    assert.deepEqual(jumpcloud.stats.snapshot().writes, {}, 'the re-run writes nothing');
  },
);
