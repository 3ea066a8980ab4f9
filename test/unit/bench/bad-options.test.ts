// `npm run bench` with a mistyped option or value: one line naming it, exit code 2, no stack
// trace, and nothing started (it fails before any server or worker).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runProject } from '../../helpers/worker-process.js';

describe('npm run bench with bad options', () => {
  for (const [args, named] of [
    [['--out', 'x.json'], /Unknown option '--out'.*top of bench\/main\.ts/],
    [['--workload', 'Z'], /--workload must be A, B, C, D, E or all; got "Z"/],
    [['--employees', 'many'], /--employees must be a whole number ≥ 1; got "many"/],
    [['--personio-api', 'v3'], /--personio-api must be v1 or v2; got "v3"/],
  ] as const) {
    it(`${args.join(' ')}: says which and how to fix it`, async () => {
      const bench = runProject('bench/main.ts', [...args], {});
      assert.equal(await bench.exited, 2);
      const text = bench.output.join('\n');
      assert.match(text, named);
      assert.doesNotMatch(text, /\n\s+at |TypeError|ERR_PARSE_ARGS/, 'no stack trace');
    });
  }
});
