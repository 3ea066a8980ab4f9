// `schedule create`'s flags and input become one validated ScheduleOptions before anything is
// sent; every mistake is a UsageError (one line, exit 2) that names the flag or field.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  defaultScheduleId,
  durationFlag,
  formatDuration,
  scheduleCreateOptions,
  type ScheduleCreateFlags,
} from '../../client/schedule-command.js';
import { UsageError } from '../../client/usage-error.js';

const TQ = 'personio-jumpcloud-sync';

function options(flags: Partial<ScheduleCreateFlags>) {
  return scheduleCreateOptions({ every: '1h', ...flags }, TQ);
}

function usageError(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof UsageError, `UsageError expected, got ${String(err)}`);
    assert.match(err.message, message);
    return true;
  });
}

describe('durationFlag', () => {
  it('reads 15m, 1h, 1d', () => {
    assert.equal(durationFlag('--every', '15m'), 15 * 60_000);
    assert.equal(durationFlag('--every', '1h'), 3_600_000);
    assert.equal(durationFlag('--every', '1d'), 86_400_000);
  });
  it('names the flag and echoes the value', () => {
    usageError(
      () => durationFlag('--every', 'hourly'),
      /^--every: must be a duration like 15m, 1h, 1d; got 'hourly'$/,
    );
    usageError(() => durationFlag('--full-every', '1.5h'), /^--full-every: .*got '1.5h'$/);
    usageError(() => durationFlag('--every', '1500ms'), /got '1500ms'/);
    usageError(() => durationFlag('--every', '30s', 60_000), /^--every: must be at least 1m; got '30s'$/);
  });
  it('formats back', () => {
    assert.deepEqual([3_600_000, 90 * 60_000, 86_400_000, 36 * 3_600_000, 45_000].map(formatDuration), [
      '1h',
      '90m',
      '1d',
      '36h',
      '45s',
    ]);
  });
});

describe('scheduleCreateOptions', () => {
  it('an interval schedule of scheduledImport with overlap SKIP and sync mode auto', () => {
    const o = options({});
    assert.equal(o.scheduleId, defaultScheduleId(TQ));
    assert.equal(o.scheduleId, 'personio-sync-personio-jumpcloud-sync');
    assert.deepEqual(o.spec, { intervals: [{ every: 3_600_000 }] });
    assert.equal(o.policies?.overlap, 'SKIP');
    assert.equal(o.policies?.catchupWindow, 3_600_000);
    assert.equal(o.state?.paused, false);
    assert.match(o.state?.note ?? '', /every 1h, full reconcile every 24h/);
    assert.equal(o.action.type, 'startWorkflow');
    assert.equal(o.action.workflowType, 'scheduledImport');
    assert.equal(o.action.taskQueue, TQ);
    assert.equal(o.action.workflowId, 'personio-import-personio-jumpcloud-sync-scheduled');
    assert.deepEqual(o.action.args, [{ sync: { mode: 'auto', fullReconcileEvery: '24h' } }]);
  });

  it('--full-every, --id, --paused, --note', () => {
    const o = options({ every: '15m', fullEvery: '7d', id: 'nightly', paused: true, note: 'n' });
    assert.equal(o.scheduleId, 'nightly');
    // Another schedule's runs carry its id: two schedules never make one id at one tick.
    assert.equal(o.action.workflowId, 'personio-import-personio-jumpcloud-sync-scheduled-nightly');
    assert.deepEqual(o.spec, { intervals: [{ every: 15 * 60_000 }] });
    assert.deepEqual(o.action.args, [{ sync: { mode: 'auto', fullReconcileEvery: '7d' } }]);
    assert.deepEqual(o.state, { paused: true, note: 'n' });
  });

  it('takes the import options from --input and --input-json, the JSON on top', () => {
    const dir = mkdtempSync(join(tmpdir(), 'schedule-options-'));
    const file = join(dir, 'options.json');
    writeFileSync(
      file,
      JSON.stringify({ pageSize: 50, notify: { when: 'never' }, sync: { fullReconcileEvery: '12h' } }),
    );
    const o = options({ input: file, inputJson: '{"pageSize": 20}' });
    assert.deepEqual(o.action.args, [
      { pageSize: 20, notify: { when: 'never' }, sync: { mode: 'auto', fullReconcileEvery: '12h' } },
    ]);
    assert.deepEqual(options({ input: file, fullEvery: '2d' }).action.args?.[0], {
      pageSize: 50,
      notify: { when: 'never' },
      sync: { mode: 'auto', fullReconcileEvery: '2d' },
    });
  });

  it('an explicit sync.mode in the input wins: a schedule of full imports', () => {
    const o = options({ inputJson: '{"sync":{"mode":"full"}}' });
    assert.deepEqual(o.action.args, [{ sync: { mode: 'full', fullReconcileEvery: '24h' } }]);
    assert.match(o.state?.note ?? '', /sync mode full/);
  });

  it('rejects bad flags and bad input, naming the flag or field', () => {
    usageError(
      () => options({ every: 'hourly' }),
      /^--every: must be a duration like 15m, 1h, 1d; got 'hourly'$/,
    );
    usageError(() => options({ every: '10s' }), /--every: must be at least 1m/);
    usageError(() => options({ fullEvery: 'daily' }), /^--full-every: .*got 'daily'$/);
    usageError(() => options({ inputJson: '{"dryrun": true}' }), /dryrun: unknown field/);
    usageError(() => options({ inputJson: '{"pageSize": 500}' }), /pageSize: must be between 1 and 100/);
    usageError(() => options({ inputJson: '[1]' }), /--input-json must be a JSON object/);
    usageError(
      () => options({ input: '/no/such/options.json' }),
      /--input \/no\/such\/options.json cannot be read/,
    );
    usageError(
      () => options({ inputJson: '{"sync":{"updatedSince":"2026-11-01"}}' }),
      /sync\.updatedSince: not for a schedule/,
    );
    usageError(
      () => options({ inputJson: '{"sync":{"mode":"sometimes"}}' }),
      /sync\.mode: must be "full", "delta" or "auto"/,
    );
  });
});
