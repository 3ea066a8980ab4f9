/**
 * `npm run codec-server`: serves /encode and /decode with the keys in PAYLOAD_KEYS, for
 * Temporal Web (`--ui-codec-endpoint` / TEMPORAL_CODEC_ENDPOINT) and `temporal --codec-endpoint`.
 */
// Like the CLI and the worker: a `.env` in the working directory; the environment wins.
import 'dotenv/config';
import { ConfigError } from '../config/env.js';
import { codecCorsOrigins } from '../config/process-settings.js';
import { createLogger } from '../observability/logger.js';
import { loadCodecAccess } from '../config/codec-access.js';
import { createJwtVerifier } from './jwt-access.js';
import { AesGcmCodec } from './aes-gcm-codec.js';
import { loadKeyRing } from '../config/payload-keys.js';
import { createCodecServer } from './server.js';

const logger = createLogger({ name: 'codec-server' });

try {
  const problems: string[] = [];
  const attempt = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(...err.problems);
      return undefined;
    }
  };
  const keys = attempt(() => loadKeyRing());
  const access = attempt(() => loadCodecAccess());
  if (keys === null) problems.push('PAYLOAD_ENCRYPTION=off: there is nothing for a codec server to decode');
  if (problems.length > 0 || !keys || !access) throw new ConfigError(problems);
  const { host, port, authToken, allowedHosts, jwt } = access;
  const corsOrigins = codecCorsOrigins();
  const app = await createCodecServer({
    codec: new AesGcmCodec(keys),
    corsOrigins,
    authToken,
    allowedHosts,
    ...(jwt ? { verifyJwt: createJwtVerifier(jwt, (message) => logger.warn(message)) } : {}),
  });
  await app.listen({ port, host });
  logger.info(
    {
      url: `http://${host}:${port}`,
      corsOrigins,
      keyIds: [...keys.byId.keys()],
      auth: Boolean(authToken),
      // Temporal Web's users: their access tokens, checked against this JWKS for this namespace.
      ...(jwt ? { jwks: jwt.jwksUrl, namespace: jwt.namespace } : {}),
      allowedHosts,
    },
    'codec server listening',
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void app.close().then(() => process.exit(0)));
} catch (err) {
  if (err instanceof ConfigError) logger.error(err.message);
  else logger.error({ err }, 'codec server failed');
  process.exit(1);
}
