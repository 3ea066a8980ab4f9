/**
 * pino for every process of this project: JSON lines by default (for log shippers),
 * human-readable when writing to a terminal. Secrets are redacted as a second line of
 * defence (the first is never logging them at all): every argument of every line goes
 * through observability/redact.ts (secret keys at any depth, URLs' user info and paths,
 * registered secret values, errors reduced to name/message/code/stack), and the paths below
 * are censored by pino itself.
 */
import { pino, type Logger, type LoggerOptions } from 'pino';
import { redactText, redactValue, serializeError } from './redact.js';
import { logSettings } from '../config/process-settings.js';

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
  const fromEnv = logSettings();
  const level = settings.level ?? fromEnv.level;
  const pretty = settings.pretty ?? fromEnv.pretty ?? process.stdout.isTTY;
  const options: LoggerOptions = {
    name: settings.name,
    level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    serializers: { err: serializeError, error: serializeError },
    hooks: {
      logMethod(args, method) {
        const [first, ...rest] = args as unknown[];
        // pino reads a leading Error as { err }; keep that, with the error reduced.
        const head = first instanceof Error ? { err: serializeError(first) } : redactValue(first);
        const tail = rest.map((a) => (typeof a === 'string' ? redactText(a) : redactValue(a)));
        if (first instanceof Error && tail.length === 0) tail.push(redactText(first.message));
        return method.apply(this, [head, ...tail] as Parameters<typeof method>);
      },
    },
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
