/**
 * Workload E in CI size, through the real benchmark (`npm run bench -- --workload E`): both
 * APIs' limits on (Personio as documented, JumpCloud 50 requests/s with Retry-After, 50 ± 20 ms
 * per request), 600 employees. Each run reads every Personio page once and Personio refuses
 * nothing; the first run writes each user, membership and manager link once; the re-run writes
 * nothing. The time against the physical limit is printed, not asserted (it depends on the
 * machine's load; `npm run bench -- --workload E` gives the full figures).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runProject } from '../helpers/worker-process.js';

interface PartFigures {
  counts: { created: number };
  requests: { byKind: Record<string, number> };
  writes: Record<string, number>;
  personio429: number;
  personioDataRequests: number;
  physical: { ratio: number; seconds: number; needed: { personio: number; jumpcloud: number } };
  wallMs: number;
}

test(
  'workload E (CI size): one Personio read per page per run, no 429 from Personio, no write twice',
  // Rate-limited by design (and slower on a loaded machine): more than the suite's 5 minutes.
  { timeout: 15 * 60_000 },
  async (t) => {
    const json = join(mkdtempSync(join(tmpdir(), 'bench-e-')), 'e.json');
    const bench = runProject(
      'bench/main.ts',
      ['--workload', 'E', '--employees', '600', '--parts', 'temporal,rerun', '--json', json],
      {},
    );
    assert.equal(await bench.exited, 0, bench.output.join('\n'));
    // An activity sends many requests at once, each listening to its cancellation: no warning.
    assert.doesNotMatch(bench.output.join('\n'), /MaxListenersExceededWarning/);
    const { results } = JSON.parse(readFileSync(json, 'utf8')) as {
      results: { parts: { temporal: PartFigures; rerun: PartFigures } }[];
    };
    const { temporal: first, rerun } = results[0]!.parts;
    for (const [name, part] of [
      ['first run', first],
      ['re-run', rerun],
    ] as const) {
      t.diagnostic(
        `${name}: ${(part.wallMs / 1000).toFixed(1)} s, ${part.physical.ratio.toFixed(2)}× its physical limit (${part.physical.seconds.toFixed(1)} s)`,
      );
      assert.equal(part.physical.needed.personio, 6, `${name}: 600 employees are 6 pages`);
      assert.equal(part.personioDataRequests, 6, `${name}: each Personio page read once`);
      assert.equal(part.personio429, 0, `${name}: Personio refused nothing`);
    }
    assert.ok(first.counts.created > 400, `${first.counts.created} users created`);
    assert.equal(first.writes.usersCreated, first.counts.created, 'no user created twice');
    assert.deepEqual(rerun.writes, {}, 'the re-run writes nothing');
  },
);

test(
  'workload E on Personio v2 (CI size): the listing walked at most once a run, each employment read once, no 429, no write twice',
  { timeout: 15 * 60_000 },
  async (t) => {
    const json = join(mkdtempSync(join(tmpdir(), 'bench-e2-')), 'e.json');
    const bench = runProject(
      'bench/main.ts',
      [
        '--workload',
        'E',
        '--employees',
        '300',
        '--parts',
        'temporal,rerun',
        '--personio-api',
        'v2',
        '--json',
        json,
      ],
      {},
    );
    assert.equal(await bench.exited, 0, bench.output.join('\n'));
    const { results } = JSON.parse(readFileSync(json, 'utf8')) as {
      results: {
        personioApi: string;
        parts: { temporal: PartFigures; rerun: PartFigures };
      }[];
    };
    const { personioApi, parts } = results[0]!;
    assert.equal(personioApi, 'v2');
    const { temporal: first, rerun } = parts;
    for (const [name, part] of [
      ['first run', first],
      ['re-run', rerun],
    ] as const) {
      t.diagnostic(
        `v2 ${name}: ${(part.wallMs / 1000).toFixed(1)} s, ${part.physical.ratio.toFixed(2)}× its physical limit (${part.physical.seconds.toFixed(1)} s)`,
      );
      assert.equal(part.personio429, 0, `${name}: Personio refused nothing`);
    }
    const reads = (part: PartFigures, route: string) => part.requests.byKind[`P GET ${route}`] ?? 0;
    // 300 persons: 6 listing requests of 50, one employment each, nothing read twice.
    assert.equal(first.physical.needed.personio, 6 + 300);
    assert.equal(reads(first, '/v2/persons'), 6, 'the first run walks the listing once');
    assert.equal(reads(first, '/v2/persons/:person_id/employments'), 300, 'each employment read once');
    // The re-run, minutes later, reads no employment again: every record is unchanged. It walks
    // the listing at most once (not at all while the first run's snapshot lives: README, the
    // import on v2).
    assert.equal(rerun.physical.needed.personio, 6);
    assert.ok(
      reads(rerun, '/v2/persons') <= 6,
      `the re-run walked ${reads(rerun, '/v2/persons')} listing pages`,
    );
    assert.equal(reads(rerun, '/v2/persons/:person_id/employments'), 0, 'and reads no employment again');
    assert.ok(first.counts.created > 200, `${first.counts.created} users created`);
    assert.equal(first.writes.usersCreated, first.counts.created, 'no user created twice');
    assert.deepEqual(rerun.writes, {}, 'the re-run writes nothing');
  },
);
