/**
 * `npm run mutation` stays wired: the script runs StrykerJS with the config in test/mutation/,
 * which mutates domain/ and runs only fast tests of pure code (a test that starts a process
 * would make every mutant cost that much), writes to the git-ignored test-output/, and is not
 * part of `npm test`. The mutation run itself is not run here.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
};
const configPath = 'test/mutation/stryker.config.mjs';

interface StrykerConfig {
  mutate: string[];
  testRunner: string;
  tap: { testFiles: string[]; nodeArgs: string[] };
  incrementalFile: string;
  tempDirName: string;
  htmlReporter: { fileName: string };
  jsonReporter: { fileName: string };
}

async function loadConfig(): Promise<StrykerConfig> {
  const module = (await import(pathToFileURL(join(root, configPath)).href)) as { default: StrykerConfig };
  return module.default;
}

/** The files a config glob names: a file, or `dir/*.test.ts`. */
function filesOf(pattern: string): string[] {
  if (!pattern.includes('*')) return existsSync(join(root, pattern)) ? [pattern] : [];
  const slash = pattern.lastIndexOf('/');
  const [dir, suffix] = [pattern.slice(0, slash), pattern.slice(slash + 1).replace(/^\*/, '')];
  assert.ok(
    !dir.includes('*') && !suffix.includes('*'),
    `${pattern}: only dir/*.suffix globs are checked here`,
  );
  return readdirSync(join(root, dir))
    .filter((name) => name.endsWith(suffix))
    .map((name) => `${dir}/${name}`);
}

test('npm run mutation runs Stryker with the config in test/mutation/; npm test does not', () => {
  assert.equal(pkg.scripts.mutation, `stryker run ${configPath}`);
  assert.ok(!pkg.scripts.test?.includes('stryker'), 'the mutation run is not part of npm test');
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  assert.ok(
    readme.includes('`npm run mutation`') && readme.includes(configPath),
    'the README says how to run it',
  );
  for (const name of ['@stryker-mutator/core', '@stryker-mutator/tap-runner'])
    assert.match(pkg.devDependencies[name] ?? '', /^\d+\.\d+\.\d+$/, `${name}: an exact devDependency`);
});

test('the config mutates domain/ and runs fast tests of pure code through tsx', async () => {
  const config = await loadConfig();
  assert.ok(config.mutate.includes('domain/**/*.ts'), 'domain/ is mutated');
  assert.ok(
    config.mutate.every((pattern) => /^!?domain\//.test(pattern)),
    'only domain/ is mutated',
  );
  assert.equal(config.testRunner, 'tap');
  assert.deepEqual(config.tap.nodeArgs.slice(0, 2), ['--import', 'tsx']);
  const files = config.tap.testFiles.flatMap(filesOf);
  assert.ok(
    config.tap.testFiles.every((pattern) => filesOf(pattern).length > 0),
    'every test file pattern names a file',
  );
  assert.ok(files.some((file) => file.startsWith('test/unit/domain/')));
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    assert.ok(
      !/helpers\/(worker-process|security-env|import-env)|node:child_process|TestWorkflowEnvironment/.test(
        text,
      ),
      `${file} starts processes or servers: too slow to run once per mutant`,
    );
  }
});

test('reports, results and the sandbox copy go to the git-ignored test-output/', async () => {
  const config = await loadConfig();
  const ignored = readFileSync(join(root, '.gitignore'), 'utf8').split('\n');
  assert.ok(ignored.includes('test-output/'));
  for (const path of [
    config.incrementalFile,
    config.tempDirName,
    config.htmlReporter.fileName,
    config.jsonReporter.fileName,
  ])
    assert.ok(path.startsWith('test-output/'), `${path} is under test-output/`);
});
