/**
 * Request and write counters for tests (`GET /_sandbox/stats`), so a test can prove that
 * nothing was written twice. Admin routes are not counted.
 */
import type { FastifyInstance } from 'fastify';
import { isAdminRoute } from './faults.js';

export interface StatsRecorder {
  /** Count one successful write of a kind (e.g. "usersCreated"). */
  write(kind: string, n?: number): void;
  snapshot(): StatsSnapshot;
  clear(): void;
}

export interface StatsSnapshot {
  /** "GET /v1/company/employees" → { "200": 12, "429": 1 } */
  requests: Record<string, Record<string, number>>;
  writes: Record<string, number>;
  totalRequests: number;
}

export function installStats(app: FastifyInstance): StatsRecorder {
  let requests = new Map<string, Map<number, number>>();
  let writes = new Map<string, number>();
  let total = 0;

  app.addHook('onResponse', async (request, reply) => {
    if (isAdminRoute(request.url)) return;
    // Unmatched routes have no routeOptions.url: count them under the raw path.
    const route = `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`;
    let byStatus = requests.get(route);
    if (!byStatus) requests.set(route, (byStatus = new Map<number, number>()));
    byStatus.set(reply.statusCode, (byStatus.get(reply.statusCode) ?? 0) + 1);
    total++;
  });

  const recorder: StatsRecorder = {
    write(kind, n = 1) {
      writes.set(kind, (writes.get(kind) ?? 0) + n);
    },
    snapshot() {
      return {
        requests: Object.fromEntries(
          [...requests].map(([route, m]) => [
            route,
            Object.fromEntries([...m].map(([s, c]) => [String(s), c])),
          ]),
        ),
        writes: Object.fromEntries(writes),
        totalRequests: total,
      };
    },
    clear() {
      requests = new Map();
      writes = new Map();
      total = 0;
    },
  };

  app.get('/_sandbox/stats', async () => recorder.snapshot());
  return recorder;
}
