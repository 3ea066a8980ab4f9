// Workflow code imports domain/: it must stay free of Node built-ins, and only username.ts (an
// activity-side helper) may pull in the transliteration tables.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { describe, it } from 'node:test';

const domainDir = new URL('../../../domain/', import.meta.url);
// Packages that run inside the workflow sandbox.
const ALLOWED_PACKAGES = new Set(['zod', '@temporalio/common', '@temporalio/workflow']);
const ACTIVITY_ONLY = new Map([
  ['username.ts', new Set(['@sindresorhus/transliterate'])],
  ['activation-time.ts', new Set(['luxon'])],
]);

function importsOf(source: string): string[] {
  return [...source.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gm)].map(
    (match) => match[1] ?? '',
  );
}

describe('domain/ imports', () => {
  for (const file of readdirSync(domainDir).filter((name) => name.endsWith('.ts'))) {
    it(`${file} imports only relative modules and allowed packages`, () => {
      const allowed = new Set([...ALLOWED_PACKAGES, ...(ACTIVITY_ONLY.get(file) ?? [])]);
      for (const specifier of importsOf(readFileSync(new URL(file, domainDir), 'utf8'))) {
        if (specifier.startsWith('./')) {
          assert.ok(specifier.endsWith('.js'), `${file}: relative import ${specifier} needs .js`);
          assert.ok(
            !specifier.includes('username'),
            `${file}: must not import the activity-only username.ts`,
          );
          continue;
        }
        assert.ok(
          !builtinModules.includes(specifier.replace(/^node:/, '')),
          `${file}: Node built-in ${specifier}`,
        );
        assert.ok(allowed.has(specifier), `${file}: unexpected package ${specifier}`);
      }
    });
  }
});
