/**
 * Installs the Temporal Runtime once per process, before any worker or connection: the
 * SDK's own logs go through pino, and (optionally) its metrics to a Prometheus endpoint.
 */
import { Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import type { Logger } from 'pino';
import { temporalLoggerFrom } from '../observability/temporal-logger.js';

let installed = false;

export interface RuntimeSettings {
  logger: Logger;
  /** e.g. "127.0.0.1:9464": serve Prometheus metrics there. */
  prometheusBindAddress?: string;
}

export function installRuntime(settings: RuntimeSettings): void {
  if (installed) return;
  installed = true;
  Runtime.install({
    logger: temporalLoggerFrom(settings.logger),
    telemetryOptions: {
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN' }) },
      ...(settings.prometheusBindAddress
        ? { metrics: { prometheus: { bindAddress: settings.prometheusBindAddress } } }
        : {}),
    },
  });
}
