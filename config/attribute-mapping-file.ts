/**
 * Reads an attribute mapping file (JSON, see domain/attribute-mapping.ts) for the worker
 * (ATTRIBUTE_MAPPING_FILE) and for `mapping check`. Every problem comes back as one line naming
 * the file; nothing here throws on bad input.
 */
import { readFileSync } from 'node:fs';
import { parseAttributeMapping, type MappingParseResult } from '../domain/attribute-mapping.js';

/** `label` starts every problem line: the file's name, or how the operator named it. */
export function readAttributeMappingFile(path: string, label: string = path): MappingParseResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return { ok: false, problems: [`${label}: cannot be read (${code}): fix the path or permissions`] };
  }
  return parseAttributeMapping(text, label);
}
