/**
 * A configuration that cannot work: every problem found, each naming the variable and the
 * fix. A module of its own so every reader of configuration (config/, codec/keys.ts) can
 * throw it without importing config/env.ts, which imports them.
 */
export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Configuration problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
