// What an approver signs: the exact bytes (a signature made by an older CLI must still check),
// and the names an approver may have.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APPROVER_NAME, statementText } from '../../../domain/approval-statement.js';

describe('statementText', () => {
  it('is a JSON array: the version tag, then the fields in a fixed order', () => {
    assert.equal(
      statementText({
        at: '2026-11-30T10:00:00.000Z',
        by: 'anna',
        decision: 'approve',
        planDigest: 'sha256:abc',
        runId: 'run-1',
        workflowId: 'import-1',
      }),
      '["personio-jumpcloud-sync approval v1","import-1","run-1","sha256:abc","approve","anna","2026-11-30T10:00:00.000Z"]',
    );
  });
});

describe('APPROVER_NAME', () => {
  it('letters, digits and . _ @ + -, 1 to 100 of them, nothing else anywhere', () => {
    for (const name of ['anna', 'anna.smith@corp.example', 'a_b-c+1', 'x'.repeat(100)])
      assert.ok(APPROVER_NAME.test(name), name);
    for (const name of ['', 'anna smith', ' anna', 'anna ', 'x'.repeat(101), 'anna/1', 'änna'])
      assert.ok(!APPROVER_NAME.test(name), JSON.stringify(name));
  });
});
