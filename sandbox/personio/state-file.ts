/**
 * Optional persistence: the whole company as one JSON file, rewritten after every mutation
 * (atomically, via rename) and loaded at start when present, so a restarted sandbox keeps
 * what a demo changed. Fine for demo-sized companies; 100k employees make each write slow.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { StoreSnapshot } from './store.js';

const FORMAT_VERSION = 1;

export function loadState(path: string): StoreSnapshot | null {
  if (!existsSync(path)) return null;
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { version?: number; state?: StoreSnapshot };
  if (parsed.version !== FORMAT_VERSION || !parsed.state) {
    throw new Error(`${path} is not a Personio sandbox state file (version ${FORMAT_VERSION})`);
  }
  return parsed.state;
}

export function saveState(path: string, state: StoreSnapshot): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ version: FORMAT_VERSION, state }));
  renameSync(temporary, path);
}
