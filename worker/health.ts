/**
 * A liveness endpoint for container orchestrators (`HEALTH_BIND_ADDRESS`, e.g. 0.0.0.0:8080):
 * GET /healthz answers 200 while the worker is running and 503 once it is draining or stopped.
 */
import { createServer, type Server } from 'node:http';
import type { Worker } from '@temporalio/worker';

export function serveHealth(worker: Worker, bindAddress: string): Promise<Server> {
  const colon = bindAddress.lastIndexOf(':');
  const host = bindAddress.slice(0, colon) || '127.0.0.1';
  const port = Number(bindAddress.slice(colon + 1));
  const server = createServer((request, response) => {
    if (request.url !== '/healthz') {
      response.writeHead(404).end();
      return;
    }
    const state = worker.getState();
    response.writeHead(state === 'RUNNING' ? 200 : 503, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ state }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
