// Which employees a run reads: the rules of full / delta / auto, the watermark's margin, and
// that an untrusted previous result can never make a run skip changes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseImportInput, type ImportInput } from '../../domain/import-input.js';
import {
  nextSyncState,
  parseDuration,
  resolveSyncWindow,
  SKEW_MARGIN_MS,
  type SyncState,
} from '../../workflows/sync-window.js';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-11-28T12:00:00Z');

function syncOf(sync: Record<string, unknown>): ImportInput['sync'] {
  const parsed = parseImportInput({ sync });
  assert.ok(parsed.ok, JSON.stringify(parsed));
  return parsed.input.sync;
}

/** A previous report as the workflow returns it (only `sync` and `dryRun` matter here). */
function previous(sync: Partial<SyncState>, extra: Record<string, unknown> = {}) {
  return {
    dryRun: false,
    counts: { created: 0 },
    sync: {
      mode: 'delta',
      updatedSince: '2026-11-28T10:55:00Z',
      watermark: '2026-11-28T10:55:00Z',
      lastFullReconcileAt: '2026-11-28T02:00:00Z',
      why: 'x',
      ...sync,
    },
    ...extra,
  };
}

describe('parseDuration', () => {
  it('reads the units the input allows', () => {
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('90s'), 90_000);
    assert.equal(parseDuration('15m'), 15 * 60_000);
    assert.equal(parseDuration('24h'), 24 * HOUR);
    assert.equal(parseDuration(' 7d '), 7 * 24 * HOUR);
  });
  it('rejects anything else', () => {
    for (const text of ['', 'hourly', '1.5h', '0h', '-1h', '1 h', '1H', '1h30m', '1w', '1234567d']) {
      assert.equal(parseDuration(text), null, text);
    }
  });
});

describe('resolveSyncWindow', () => {
  it('mode full reads everything, whatever the last run says', () => {
    const w = resolveSyncWindow({ sync: syncOf({ mode: 'full' }), lastResult: previous({}), now: NOW });
    assert.equal(w.mode, 'full');
    assert.equal(w.updatedSince, null);
  });

  it('mode delta uses an explicit updatedSince first', () => {
    const w = resolveSyncWindow({
      sync: syncOf({ mode: 'delta', updatedSince: '2026-11-01' }),
      lastResult: previous({}),
      now: NOW,
    });
    assert.deepEqual([w.mode, w.updatedSince], ['delta', '2026-11-01']);
  });

  it("mode delta otherwise reads since the last successful run's watermark", () => {
    const w = resolveSyncWindow({ sync: syncOf({ mode: 'delta' }), lastResult: previous({}), now: NOW });
    assert.deepEqual([w.mode, w.updatedSince], ['delta', '2026-11-28T10:55:00Z']);
    assert.equal(w.lastFullReconcileAt, '2026-11-28T02:00:00Z', 'carried for the next report');
  });

  it('mode delta without an earlier successful run falls back to full', () => {
    const w = resolveSyncWindow({ sync: syncOf({ mode: 'delta' }), lastResult: undefined, now: NOW });
    assert.equal(w.mode, 'full');
    assert.equal(w.why, 'no earlier successful run');
  });

  it('mode auto: the first run is full', () => {
    const w = resolveSyncWindow({ sync: syncOf({ mode: 'auto' }), lastResult: undefined, now: NOW });
    assert.equal(w.mode, 'full');
  });

  it('mode auto: delta while the last full reconcile is recent', () => {
    const w = resolveSyncWindow({ sync: syncOf({ mode: 'auto' }), lastResult: previous({}), now: NOW });
    assert.deepEqual([w.mode, w.updatedSince], ['delta', '2026-11-28T10:55:00Z']);
  });

  it('mode auto: full once fullReconcileEvery has passed, tolerating a tick that comes a moment early', () => {
    const sync = syncOf({ mode: 'auto', fullReconcileEvery: '24h' });
    const last = previous({ lastFullReconcileAt: '2026-11-27T12:00:05Z' });
    assert.equal(resolveSyncWindow({ sync, lastResult: last, now: NOW }).mode, 'full', '5 s early');
    assert.equal(
      resolveSyncWindow({ sync, lastResult: last, now: NOW - HOUR }).mode,
      'delta',
      'an hour early',
    );
    const hourly = syncOf({ mode: 'auto', fullReconcileEvery: '1h' });
    const recent = previous({ lastFullReconcileAt: '2026-11-28T11:30:00Z' });
    assert.equal(resolveSyncWindow({ sync: hourly, lastResult: recent, now: NOW }).mode, 'delta');
  });

  it('mode auto: full when the previous result has no full reconcile on record', () => {
    const w = resolveSyncWindow({
      sync: syncOf({ mode: 'auto' }),
      lastResult: previous({ lastFullReconcileAt: null }),
      now: NOW,
    });
    assert.equal(w.mode, 'full');
  });

  it('a malformed or foreign previous result is ignored: full, never a delta from garbage', () => {
    const sync = syncOf({ mode: 'auto' });
    for (const lastResult of [
      'pong',
      42,
      [],
      {},
      { sync: null },
      { sync: { watermark: 'yesterday', lastFullReconcileAt: '2026-11-28T02:00:00Z' } },
      { sync: { watermark: 17 } },
    ]) {
      const w = resolveSyncWindow({ sync, lastResult, now: NOW });
      assert.equal(w.mode, 'full', JSON.stringify(lastResult));
      assert.match(w.why, /no readable watermark/);
    }
  });

  it("a dry run's watermark does not serve a real run, but serves another dry run", () => {
    const sync = syncOf({ mode: 'auto' });
    const preview = previous({}, { dryRun: true });
    assert.equal(resolveSyncWindow({ sync, lastResult: preview, now: NOW }).mode, 'full');
    assert.equal(resolveSyncWindow({ sync, lastResult: preview, now: NOW, dryRun: true }).mode, 'delta');
  });

  it('a watermark in the future (a clock jump) is not trusted', () => {
    const w = resolveSyncWindow({
      sync: syncOf({ mode: 'delta' }),
      lastResult: previous({ watermark: '2026-11-29T00:00:00Z' }),
      now: NOW,
    });
    assert.equal(w.mode, 'full');
  });
});

describe('nextSyncState', () => {
  const started = Date.parse('2026-11-28T12:00:00.750Z');

  it('a full run sets the watermark to its start minus the skew margin and records the reconcile', () => {
    const w = resolveSyncWindow({ sync: syncOf({ mode: 'auto' }), lastResult: undefined, now: started });
    const s = nextSyncState(w, started);
    assert.equal(SKEW_MARGIN_MS, 5 * 60_000);
    assert.deepEqual(s, {
      mode: 'full',
      updatedSince: null,
      watermark: '2026-11-28T11:55:00Z',
      lastFullReconcileAt: '2026-11-28T12:00:00Z',
      why: 'no earlier successful run',
    });
  });

  it('a delta run moves the watermark and carries the last full reconcile', () => {
    const w = resolveSyncWindow({ sync: syncOf({ mode: 'auto' }), lastResult: previous({}), now: started });
    const s = nextSyncState(w, started);
    assert.equal(s.mode, 'delta');
    assert.equal(s.updatedSince, '2026-11-28T10:55:00Z');
    assert.equal(s.watermark, '2026-11-28T11:55:00Z');
    assert.equal(s.lastFullReconcileAt, '2026-11-28T02:00:00Z');
  });

  it('a delta run with failed employees keeps its starting watermark, so the next delta retries them', () => {
    const w = resolveSyncWindow({ sync: syncOf({ mode: 'auto' }), lastResult: previous({}), now: started });
    const s = nextSyncState(w, started, 2);
    assert.equal(s.watermark, '2026-11-28T10:55:00Z');
    assert.match(s.why, /2 employees failed/);
    const full = resolveSyncWindow({ sync: syncOf({ mode: 'full' }), lastResult: undefined, now: started });
    assert.equal(nextSyncState(full, started, 2).watermark, '2026-11-28T11:55:00Z', 'a full run moves on');
  });

  it('round trip: the state a run reports is what the next run reads', () => {
    const sync = syncOf({ mode: 'auto', fullReconcileEvery: '24h' });
    const first = nextSyncState(resolveSyncWindow({ sync, lastResult: undefined, now: started }), started);
    const later = started + HOUR;
    const second = resolveSyncWindow({ sync, lastResult: { dryRun: false, sync: first }, now: later });
    assert.deepEqual([second.mode, second.updatedSince], ['delta', first.watermark]);
    const next = nextSyncState(second, later);
    assert.equal(next.lastFullReconcileAt, first.lastFullReconcileAt);
    const dayLater = started + 24 * HOUR;
    assert.equal(resolveSyncWindow({ sync, lastResult: { sync: next }, now: dayLater }).mode, 'full');
  });
});
