/**
 * pino for every process of this project: JSON lines by default (for log shippers),
 * human-readable when writing to a terminal. Secrets and auth headers are redacted by
 * path, as a second line of defence: the first is never logging them at all.
 */
import { pino, type Logger, type LoggerOptions } from 'pino';

export const redactedPaths = [
  'password',
  'secret',
  'clientSecret',
  'client_secret',
  'apiKey',
  'token',
  'authorization',
  '*.password',
  '*.secret',
  '*.clientSecret',
  '*.client_secret',
  '*.apiKey',
  '*.token',
  '*.authorization',
  'headers.authorization',
  'headers["x-api-key"]',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
];

export interface LoggerSettings {
  name: string;
  level?: string;
  /** Force pretty (true) or JSON (false); default: pretty when stdout is a terminal. */
  pretty?: boolean;
  destination?: pino.DestinationStream;
}

export function createLogger(settings: LoggerSettings): Logger {
  const level = settings.level ?? process.env.LOG_LEVEL ?? 'info';
  const pretty =
    settings.pretty ?? (process.env.LOG_FORMAT ? process.env.LOG_FORMAT === 'pretty' : process.stdout.isTTY);
  const options: LoggerOptions = {
    name: settings.name,
    level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
  };
  if (settings.destination) return pino(options, settings.destination);
  if (pretty) {
    return pino({
      ...options,
      transport: {
        target: 'pino-pretty',
        options: { colorize: true, ignore: 'pid,hostname', translateTime: 'HH:MM:ss' },
      },
    });
  }
  return pino(options);
}
