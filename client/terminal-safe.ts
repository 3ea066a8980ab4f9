/**
 * Everything the CLI prints through console.* passes stripTerminalEscapes first: names and
 * messages from Personio, JumpCloud or a workflow are data, and an escape sequence in one
 * must not move the cursor, recolour, retitle the terminal or hide what follows. (The
 * progress bar writes its own escape codes to the stream directly and is not affected.)
 */
import { format } from 'node:util';
import { stripTerminalEscapes } from '../domain/text-safety.js';

export function installTerminalSafety(): void {
  for (const method of ['log', 'info', 'warn', 'error'] as const) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => original(stripTerminalEscapes(format(...args)));
  }
}
