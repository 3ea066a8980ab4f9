/**
 * `npm run demo`'s own knobs: how many employees the sandbox Personio holds and where the
 * demo keeps its state. Checked here so a typo reads as one line naming the variable, not as
 * a sandbox of "NaN employees".
 */
import { join } from 'node:path';
import { ConfigError } from '../config/config-error.js';

type Env = Record<string, string | undefined>;

/** The sandbox generates at most this many (the size the benchmark's largest workload uses). */
export const DEMO_MAX_EMPLOYEES = 100_000;

export interface DemoSettings {
  /** DEMO_EMPLOYEES: the sandbox company's size (default 300). */
  employees: number;
  /** DEMO_DATA_DIR: the Temporal database, sandbox state and keys (default .data/ in the project). */
  dataDir: string;
  /** Whether DEMO_DATA_DIR chose it (the demo's hints then name it). */
  dataDirChosen: boolean;
}

export function loadDemoSettings(
  env: Env = process.env,
  projectRoot = join(import.meta.dirname, '..'),
): DemoSettings {
  const problems: string[] = [];
  const raw = env.DEMO_EMPLOYEES?.trim();
  let employees = 300;
  if (raw) {
    employees = Number(raw);
    if (!/^\d+$/.test(raw) || employees < 1 || employees > DEMO_MAX_EMPLOYEES)
      problems.push(
        `DEMO_EMPLOYEES must be a whole number of employees from 1 to ${DEMO_MAX_EMPLOYEES}, e.g. DEMO_EMPLOYEES=2000; got "${raw}"`,
      );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const chosen = env.DEMO_DATA_DIR?.trim();
  return { employees, dataDir: chosen || join(projectRoot, '.data'), dataDirChosen: Boolean(chosen) };
}
