/**
 * `mapping check <file>` and `mapping show-default`: check an attribute mapping file before a
 * worker is started with it (ATTRIBUTE_MAPPING_FILE), and print the default mapping as a
 * starting point. Both work offline: no Temporal, no API credentials.
 */
import type { Command } from 'commander';
import { readAttributeMappingFile } from '../config/attribute-mapping-file.js';
import {
  DEFAULT_MAPPING,
  MAPPABLE_FIELDS,
  mappedCustomKeys,
  type AttributeMapping,
  type MappingRule,
} from '../domain/attribute-mapping.js';
import { UsageError } from './usage-error.js';

export function registerMappingCommands(program: Command): void {
  const mapping = program
    .command('mapping')
    .description('check an attribute mapping file (ATTRIBUTE_MAPPING_FILE) or print the default one');

  mapping
    .command('check')
    .argument('<file>', 'the mapping file (JSON)')
    .description('validate a mapping file and show what goes where; exits 2 on a problem')
    .action((file: string) => {
      const result = readAttributeMappingFile(file);
      // UsageError: the CLI prints the problems alone, no stack, and exits 2.
      if (!result.ok)
        throw new UsageError(
          `${file} is not a valid attribute mapping:\n${result.problems.map((p) => `  - ${p}`).join('\n')}`,
        );
      process.stdout.write(`${file}: OK\n${describeMapping(result.mapping)}`);
    });

  mapping
    .command('show-default')
    .description('print the default mapping (the README table) as a mapping file')
    .action(() => {
      process.stdout.write(`${JSON.stringify(DEFAULT_MAPPING, null, 2)}\n`);
    });
}

/** What goes where, one line per JumpCloud field or attribute, overrides marked. */
export function describeMapping(mapping: AttributeMapping): string {
  const width = Math.max(
    ...[...MAPPABLE_FIELDS, ...mapping.attributes.map((a) => a.name)].map((n) => n.length),
  );
  const line = (name: string, rule: MappingRule, note = '') =>
    `    ${name.padEnd(width)}  ← ${describeRule(rule)}${note}\n`;
  let text = '  JumpCloud fields:\n';
  for (const field of MAPPABLE_FIELDS) {
    const rule = mapping.fields[field];
    text += line(
      field,
      rule,
      sameRule(rule, DEFAULT_MAPPING.fields[field]) ? '' : '   (changed from the default)',
    );
  }
  text += '  JumpCloud custom attributes:\n';
  if (mapping.attributes.length === 0) text += '    (none)\n';
  for (const attribute of mapping.attributes) text += line(attribute.name, attribute);
  const custom = mappedCustomKeys(mapping);
  text += `  Personio custom attributes read: ${custom.length > 0 ? custom.join(', ') : '(none)'}\n`;
  text +=
    '  Fixed by the import: employeeIdentifier ← id, email ← email, username, state ← status, manager ← supervisor\n';
  return text;
}

function describeRule(rule: MappingRule): string {
  const sources = typeof rule.from === 'string' ? rule.from : rule.from.join(' + " " + ');
  return rule.transform && rule.transform.length > 0 ? `${sources} (${rule.transform.join(', ')})` : sources;
}

function sameRule(a: MappingRule, b: MappingRule): boolean {
  const plain = (rule: MappingRule) => JSON.stringify([rule.from, rule.transform ?? []]);
  return plain(a) === plain(b);
}
