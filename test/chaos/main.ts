/**
 * `npm run chaos -- --employees 5000 [--json FILE] [--kills 3]`: the reliability harness on a
 * larger import; prints one table and exits non-zero when a must fails (duplicates, lost
 * employees, final state).
 */
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { chaosTable, runChaos } from './harness.js';

const opts = new Command()
  .name('npm run chaos --')
  .option('--employees <n>', 'employees in the sandbox Personio', '5000')
  .option('--kills <n>', 'worker SIGKILLs (at least 3)', '3')
  .option('--seed <n>', 'data seed', '5')
  .option('--json <file>', 'also write the figures as JSON')
  .parse()
  .opts<{ employees: string; kills: string; seed: string; json?: string }>();

const report = await runChaos({
  employees: Number(opts.employees),
  workerKills: Number(opts.kills),
  seed: Number(opts.seed),
  log: (m) => console.error(`[chaos ${new Date().toISOString().slice(11, 19)}] ${m}`),
});
console.log(chaosTable(report));
if (report.mismatches.length > 0) console.log(`\nmismatches:\n  ${report.mismatches.join('\n  ')}`);
if (opts.json) writeFileSync(opts.json, JSON.stringify(report, null, 2));
process.exit(report.finalStateCorrect ? 0 : 1);
