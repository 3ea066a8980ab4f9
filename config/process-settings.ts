/**
 * The settings every process reads the same way and that need no checking beyond a default:
 * logging, links into Temporal Web, the codec server's browser origins, the namespace named
 * in messages. Read here so that configuration is read in config/ only (README,
 * Configuration); the checked settings are config/env.ts's and config/temporal-connection.ts's.
 */
type Env = Record<string, string | undefined>;

/** LOG_LEVEL (default info) and LOG_FORMAT (pretty or json; unset: pretty on a terminal). */
export function logSettings(env: Env = process.env): { level: string; pretty: boolean | undefined } {
  return {
    level: env.LOG_LEVEL || 'info',
    pretty: env.LOG_FORMAT ? env.LOG_FORMAT === 'pretty' : undefined,
  };
}

/** TEMPORAL_WEB_URL: where the CLI's links point (default: the local dev server's UI). */
export function temporalWebUrl(env: Env = process.env): string {
  return (env.TEMPORAL_WEB_URL ?? 'http://127.0.0.1:8233').replace(/\/+$/, '');
}

/** CODEC_CORS_ORIGINS: the browser origins (Temporal Web) allowed to call the codec server. */
export function codecCorsOrigins(env: Env = process.env): string[] {
  return (env.CODEC_CORS_ORIGINS ?? 'http://127.0.0.1:8233,http://localhost:8233')
    .split(',')
    .map((s) => s.trim());
}

/** TEMPORAL_NAMESPACE as messages name it (the connection itself: config/temporal-connection.ts). */
export function temporalNamespaceName(env: Env = process.env): string {
  return env.TEMPORAL_NAMESPACE?.trim() || 'default';
}
