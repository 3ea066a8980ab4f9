/**
 * A liveness endpoint for container orchestrators (`HEALTH_BIND_ADDRESS`, e.g. 0.0.0.0:8080):
 * GET /healthz answers 200 while the worker is running and 503 while it starts, drains or
 * has stopped. It listens before the worker connects, so a busy port is reported first.
 */
import { createServer, type Server } from 'node:http';
import { ConfigError } from '../config/env.js';
import { bindProblem } from './bind-check.js';

export function serveHealth(state: () => string, address: { host: string; port: number }): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.url !== '/healthz') {
      response.writeHead(404).end();
      return;
    }
    const now = state();
    response.writeHead(now === 'RUNNING' ? 200 : 503, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ state: now }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new ConfigError([
          `HEALTH_BIND_ADDRESS=${address.host}:${address.port} cannot be listened on (${bindProblem(err)}): choose another, e.g. HEALTH_BIND_ADDRESS=0.0.0.0:8081`,
        ]),
      ),
    );
    server.listen(address.port, address.host, () => resolve(server));
  });
}
