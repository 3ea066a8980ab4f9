/**
 * Listening addresses are checked before the worker connects: a busy or foreign address is
 * the operator's to fix, and said as such (the Temporal Runtime and a half-started worker
 * would otherwise hide it behind their own errors).
 */
import { createServer } from 'node:net';
import { ConfigError } from '../config/env.js';

/** Resolves when host:port can be listened on; else a ConfigError naming `variable`. */
export function checkBindable(variable: string, host: string, port: number, example: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new ConfigError([
          `${variable}=${host}:${port} cannot be listened on (${bindProblem(err)}): choose another, e.g. ${variable}=${example}`,
        ]),
      ),
    );
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

export function bindProblem(err: NodeJS.ErrnoException): string {
  if (err.code === 'EADDRINUSE') return 'the port is in use by another process';
  if (err.code === 'EADDRNOTAVAIL') return 'no network interface has that address';
  if (err.code === 'EACCES') return 'ports below 1024 need privileges';
  return err.code ?? err.message;
}
