// `npm run mutation`: StrykerJS mutates the pure decision code in domain/ and runs the unit
// tests that cover each mutant; a mutant the tests do not notice is a behaviour nobody checks.
// Not part of `npm test`: it runs the covering test files once per mutant (minutes, not seconds).
//
// Runner: the tap runner, because the tests use node's own runner, which prints TAP. It starts
// one node process per test file (`--import tsx` loads the TypeScript) and records which files
// reach which mutant, so a mutant runs only the files that cover it. The command runner would
// run every test for every mutant. No TypeScript checker: it would type-check each mutant
// (slow on a small machine); a mutant that does not type-check simply fails its tests or runs.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: [
    'domain/**/*.ts',
    // Names only, checked against the running system by process tests (metrics, search
    // attributes, failure types on both sides), not by the unit tests run here.
    '!domain/metric-names.ts',
    '!domain/search-attributes.ts',
    '!domain/failure-types.ts',
  ],
  testRunner: 'tap',
  tap: {
    // Only the fast tests of pure code (each file runs in about a second): a test that starts
    // a process or a server would make every mutant it covers cost that much.
    testFiles: [
      'test/unit/domain/*.test.ts',
      'test/unit/activation-time.test.ts',
      'test/unit/text-safety.test.ts',
      'test/security/policy-rules.test.ts',
      'test/security/approval-rules.test.ts',
      // The README's mapping table against the field rules.
      'test/unit/readme.test.ts',
    ],
    nodeArgs: ['--import', 'tsx', '--test-reporter=tap', '-r', '{{hookFile}}', '{{testFile}}'],
  },
  coverageAnalysis: 'perTest',
  // The machine is shared: one test process at a time unless asked (`-- --concurrency 2`).
  concurrency: 1,
  // Results are kept and reused for unchanged code and tests (`-- --force` runs everything).
  incremental: true,
  incrementalFile: 'test-output/mutation/incremental.json',
  tempDirName: 'test-output/mutation/tmp',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'test-output/mutation/index.html' },
  jsonReporter: { fileName: 'test-output/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: null },
};
