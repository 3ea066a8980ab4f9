// `npm run demo`'s knobs: DEMO_EMPLOYEES checked (one line naming it), DEMO_DATA_DIR defaulted.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../config/config-error.js';
import { loadDemoSettings } from '../../demo/settings.js';

describe('loadDemoSettings', () => {
  it('defaults to 300 employees and .data/ in the project', () => {
    assert.deepEqual(loadDemoSettings({}, '/project'), {
      employees: 300,
      dataDir: '/project/.data',
      dataDirChosen: false,
    });
    assert.deepEqual(loadDemoSettings({ DEMO_EMPLOYEES: ' ', DEMO_DATA_DIR: '' }, '/p'), {
      employees: 300,
      dataDir: '/p/.data',
      dataDirChosen: false,
    });
  });

  it('takes a size from 1 to 100000 and a data directory', () => {
    for (const [raw, employees] of [
      ['1', 1],
      ['2000', 2000],
      [' 30 ', 30],
      ['100000', 100_000],
    ] as const)
      assert.equal(loadDemoSettings({ DEMO_EMPLOYEES: raw }).employees, employees, raw);
    assert.deepEqual(loadDemoSettings({ DEMO_DATA_DIR: '/tmp/demo-x' }), {
      employees: 300,
      dataDir: '/tmp/demo-x',
      dataDirChosen: true,
    });
  });

  it('refuses anything else, naming the variable, the range and what it got', () => {
    for (const raw of ['abc', '0', '-5', '2.5', '1e3', '100001', '0x10']) {
      assert.throws(
        () => loadDemoSettings({ DEMO_EMPLOYEES: raw }),
        (err: unknown) =>
          err instanceof ConfigError &&
          err.problems.length === 1 &&
          err.problems[0] ===
            `DEMO_EMPLOYEES must be a whole number of employees from 1 to 100000, e.g. DEMO_EMPLOYEES=2000; got "${raw}"`,
        raw,
      );
    }
  });
});
