/**
 * Paging like a correct client: offset += limit until offset >= total_elements, checking every
 * id arrives exactly once and the 0-based page metadata on each page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FIRST_EMPLOYEE_ID } from '../../sandbox/personio/generate.js';
import { start, value, type ListBody, type Started } from './personio-helpers.js';

async function pageThrough(s: Started, limit: number, total: number): Promise<number[]> {
  const ids: number[] = [];
  const pages = Math.ceil(total / limit);
  for (let offset = 0, page = 0; ; offset += limit, page++) {
    const { status, body } = await s.get<ListBody>(`/v1/company/employees?limit=${limit}&offset=${offset}`);
    assert.equal(status, 200);
    assert.deepEqual(body.metadata, { total_elements: total, current_page: page, total_pages: pages });
    assert.equal(body.offset, offset);
    assert.equal(body.limit, limit);
    const expected = Math.max(0, Math.min(limit, total - offset));
    assert.equal(body.data.length, expected, `page ${page}`);
    ids.push(...body.data.map((e) => value(e, 'id') as number));
    if (offset + limit >= total) break;
  }
  return ids;
}

for (const count of [0, 1, 100, 101, 10_007]) {
  describe(`paging ${count} employees`, () => {
    let s: Started;
    before(async () => {
      // Paging is checked here, not the rate limit: 10,007 one-employee pages would wait ~33 min.
      s = await start({ employees: count, seed: 3, employeesRateLimit: false });
    });
    after(() => s.sandbox.close());

    for (const limit of [1, 7, 100]) {
      test(`limit ${limit} reaches the exact last record`, async () => {
        const ids = await pageThrough(s, limit, count);
        assert.deepEqual(
          ids,
          Array.from({ length: count }, (_, i) => FIRST_EMPLOYEE_ID + i),
        );
      });
    }

    test('a page past the end is empty with the same totals', async () => {
      const { body } = await s.get<ListBody>(`/v1/company/employees?limit=7&offset=${count + 3}`);
      assert.deepEqual(body.data, []);
      assert.equal(body.metadata.total_elements, count);
      assert.equal(body.metadata.current_page, Math.floor((count + 3) / 7));
    });
  });
}

describe('paging defaults', () => {
  test('limit defaults to 50 and offset to 0; current_page is floor(offset/limit)', async () => {
    const s = await start({ employees: 120 });
    try {
      const first = await s.get<ListBody>('/v1/company/employees');
      assert.equal(first.body.limit, 50);
      assert.equal(first.body.offset, 0);
      assert.equal(first.body.data.length, 50);
      assert.deepEqual(first.body.metadata, { total_elements: 120, current_page: 0, total_pages: 3 });
      // A record offset that is not a multiple of the limit.
      const odd = await s.get<ListBody>('/v1/company/employees?limit=50&offset=75');
      assert.equal(odd.body.metadata.current_page, 1);
      assert.equal(value(odd.body.data[0]!, 'id'), FIRST_EMPLOYEE_ID + 75);
      assert.equal(odd.body.data.length, 45);
    } finally {
      await s.sandbox.close();
    }
  });
});
