/**
 * A switch read from the environment: `on` or `off` (any case), unset or empty for the
 * default. One reader for every switch (config/env.ts, config/approver-keys.ts), so each
 * accepts the same words and a wrong one gets the same one-line fix.
 */
export function onOff(
  env: Record<string, string | undefined>,
  name: string,
  fallback: boolean,
  problems: string[],
): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (raw === 'on') return true;
  if (raw === 'off') return false;
  problems.push(`${name} must be on or off, e.g. ${name}=${fallback ? 'on' : 'off'}; got "${env[name]}"`);
  return fallback;
}
