/** Turns the API clients' observations into Prometheus metrics on the Temporal Runtime's meter. */
import type { MetricMeter } from '@temporalio/common';
import type { RequestObserver } from '../clients/http.js';
import { API_REQUESTS, RATE_LIMITED, REQUEST_QUEUE_WAIT } from '../domain/metric-names.js';

export function apiMetricsObserver(meter: MetricMeter): RequestObserver {
  const requests = meter.createCounter(
    API_REQUESTS,
    'requests',
    'HTTP requests to Personio and JumpCloud by status',
  );
  const rateLimited = meter.createCounter(RATE_LIMITED, 'responses', '429 answers from the APIs');
  const queueWait = meter.createHistogram(
    REQUEST_QUEUE_WAIT,
    'int',
    'ms',
    'wait for a slot under the worker caps',
  );
  return {
    request(system, status) {
      requests.add(1, { system, status: String(status) });
      if (status === 429) rateLimited.add(1, { system });
    },
    queued(system, waitMs) {
      queueWait.record(Math.round(waitMs), { system });
    },
  };
}
