/**
 * The payload encryption keys from the environment: `PAYLOAD_KEYS` or the file named by
 * `PAYLOAD_KEYS_FILE` (the format and the codec: codec/keys.ts, codec/aes-gcm-codec.ts).
 */
import { readFileSync } from 'node:fs';
import { KEY_RING_EXAMPLE, parseKeyRing, type PayloadKeyRing } from '../codec/keys.js';
import { ConfigError } from './config-error.js';

type Env = Record<string, string | undefined>;

/**
 * The key ring from the environment, or null when encryption is explicitly turned off
 * (`PAYLOAD_ENCRYPTION=off`, for local experiments only: history then holds personal data
 * in plain text).
 */
export function loadKeyRing(env: Env = process.env): PayloadKeyRing | null {
  if (env.PAYLOAD_ENCRYPTION === 'off') return null;
  if (env.PAYLOAD_KEYS && env.PAYLOAD_KEYS_FILE) {
    throw new ConfigError(['PAYLOAD_KEYS and PAYLOAD_KEYS_FILE are both set: keep one']);
  }
  if (env.PAYLOAD_KEYS_FILE) {
    let text: string;
    try {
      text = readFileSync(env.PAYLOAD_KEYS_FILE, 'utf8');
    } catch (err) {
      throw new ConfigError([
        `PAYLOAD_KEYS_FILE=${env.PAYLOAD_KEYS_FILE} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): fix the path or permissions`,
      ]);
    }
    return parseKeyRing(text, 'PAYLOAD_KEYS_FILE');
  }
  if (env.PAYLOAD_KEYS) return parseKeyRing(env.PAYLOAD_KEYS, 'PAYLOAD_KEYS');
  throw new ConfigError([
    `PAYLOAD_KEYS is missing: workflow history holds employee data and is encrypted with it. Set it (or PAYLOAD_KEYS_FILE), e.g. ${KEY_RING_EXAMPLE}; PAYLOAD_ENCRYPTION=off turns encryption off for local experiments`,
  ]);
}
