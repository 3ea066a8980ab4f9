/**
 * The import's input from the command line: a JSON file or string, with flags for the
 * common options on top, validated before anything starts so a mistake costs nothing.
 */
import { readFileSync } from 'node:fs';
import { parseImportInput, type ImportInput } from '../domain/import-input.js';
import { UsageError } from './usage-error.js';

export interface ImportFlags {
  input?: string;
  inputJson?: string;
  dryRun?: boolean;
  pageSize?: string;
  createState?: string;
  allowReactivation?: boolean;
  perDepartmentGroups?: boolean;
  notify?: string;
  email?: string[];
}

export function importInputFrom(flags: ImportFlags): { raw: Record<string, unknown>; input: ImportInput } {
  let raw: Record<string, unknown> = {};
  if (flags.input) raw = parseJson(readInputFile(flags.input), `--input ${flags.input}`);
  if (flags.inputJson) raw = { ...raw, ...parseJson(flags.inputJson, '--input-json') };
  if (flags.dryRun) raw.dryRun = true;
  if (flags.pageSize !== undefined)
    raw.pageSize = Number.isNaN(Number(flags.pageSize)) ? flags.pageSize : Number(flags.pageSize);
  if (flags.createState) raw.createState = flags.createState.toUpperCase();
  if (flags.allowReactivation) raw.allowReactivation = true;
  const groups = { ...(raw.groups as object | undefined) };
  if (flags.perDepartmentGroups) raw.groups = { ...groups, perDepartment: true };
  const notify = { ...(raw.notify as object | undefined) };
  if (flags.notify) raw.notify = { ...notify, when: flags.notify };
  if (flags.email?.length) raw.notify = { ...(raw.notify as object | undefined), email: flags.email };

  const parsed = parseImportInput(raw);
  if (!parsed.ok) {
    throw new UsageError(
      `The import input is invalid:\n${parsed.problems.map((p) => `  - ${p.message}`).join('\n')}`,
    );
  }
  return { raw, input: parsed.input };
}

function readInputFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(
      `--input ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): check the path`,
    );
  }
}

function parseJson(text: string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${where} is not valid JSON (${(err as Error).message}); e.g. {"dryRun": true}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`${where} must be a JSON object of import options, e.g. {"dryRun": true}`);
  }
  return value as Record<string, unknown>;
}
