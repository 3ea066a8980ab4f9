/**
 * No import circles: every module of the project (tsconfig.json's files, tests included) is
 * reachable from the ones it imports without coming back to itself. A circle makes load order
 * matter (a class read before its module ran is undefined) and hides which layer depends on
 * which. Type-only imports count too: they bind the modules' designs together all the same.
 * The module graph is the TypeScript compiler's own (its parser and module resolution).
 */
import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const root = join(import.meta.dirname, '..', '..');

/** Each project file → the project files it imports or re-exports from. */
function moduleGraph(): Map<string, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) =>
      assert.fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')),
  });
  assert.ok(config, 'tsconfig.json parses');
  const graph = new Map<string, string[]>();
  for (const file of config.fileNames.filter((f) => !f.endsWith('.d.ts'))) {
    const source = ts.createSourceFile(file, ts.sys.readFile(file) ?? '', ts.ScriptTarget.Latest);
    const targets = new Set<string>();
    for (const statement of source.statements) {
      const specifier =
        ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)
          ? statement.moduleSpecifier
          : undefined;
      if (!specifier || !ts.isStringLiteral(specifier)) continue;
      const resolved = ts.resolveModuleName(specifier.text, file, config.options, ts.sys).resolvedModule;
      if (!resolved || resolved.isExternalLibraryImport || resolved.resolvedFileName.endsWith('.d.ts'))
        continue;
      targets.add(relative(root, resolved.resolvedFileName));
    }
    graph.set(relative(root, file), [...targets]);
  }
  return graph;
}

/** The circles: strongly connected groups of more than one module, or a module importing itself. */
function circles(graph: Map<string, string[]>): string[][] {
  // Tarjan's algorithm, iterative enough for this project's depth.
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      group.push(w);
    } while (w !== v);
    if (group.length > 1 || graph.get(v)!.includes(v)) found.push(group.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

test('the module graph has no import circles', () => {
  const graph = moduleGraph();
  assert.ok(graph.has('workflows/import-employees.ts') && graph.size > 100, 'the graph covers the project');
  assert.deepEqual(
    circles(graph).map((group) => group.join(' ↔ ')),
    [],
    'break each circle: move what both sides need into a module of its own (as config/config-error.ts)',
  );
});

test('a circle is found (the check can fail)', () => {
  const graph = new Map([
    ['a.ts', ['b.ts']],
    ['b.ts', ['c.ts']],
    ['c.ts', ['a.ts']],
    ['d.ts', ['a.ts', 'd.ts']],
  ]);
  assert.deepEqual(circles(graph), [['a.ts', 'b.ts', 'c.ts'], ['d.ts']]);
});
