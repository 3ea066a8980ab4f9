/**
 * Encryption keys for workflow payloads: `PAYLOAD_KEYS` (or a file named by
 * `PAYLOAD_KEYS_FILE`) holds `keyId:base64key` pairs separated by commas or new lines. The
 * first key encrypts; every key decrypts, so a key can be rotated by putting the new one
 * first and keeping the old one until no history needs it.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/config-error.js';
import { registerSecret } from '../observability/redact.js';

export interface PayloadKey {
  id: string;
  key: Buffer;
}

export interface PayloadKeyRing {
  /** The key new payloads are encrypted with. */
  current: PayloadKey;
  /** Every key, by id, for decryption. */
  byId: Map<string, Buffer>;
}

const EXAMPLE = 'PAYLOAD_KEYS=2026-11:$(openssl rand -base64 32)';

/** Parses `id:base64` pairs. Problems name the position, never the key material. */
export function parseKeyRing(text: string, source: string): PayloadKeyRing {
  const entries = text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
  const problems: string[] = [];
  const keys: PayloadKey[] = [];
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(id)) {
      problems.push(
        `${source}: entry ${index + 1} needs the form keyId:base64key (key id: letters, digits, . _ -), e.g. ${EXAMPLE}`,
      );
      return;
    }
    registerSecret(entry.slice(colon + 1)); // kept out of log lines by value
    const key = Buffer.from(entry.slice(colon + 1), 'base64');
    if (key.length !== 32) {
      problems.push(
        `${source}: key "${id}" must be 32 bytes, base64-encoded (got ${key.length} bytes), e.g. ${EXAMPLE}`,
      );
      return;
    }
    if (keys.some((k) => k.id === id))
      problems.push(`${source}: key id "${id}" appears twice; give each key its own id`);
    keys.push({ id, key });
  });
  if (entries.length === 0) problems.push(`${source} holds no key: set it, e.g. ${EXAMPLE}`);
  if (problems.length > 0) throw new ConfigError(problems);
  return { current: keys[0]!, byId: new Map(keys.map((k) => [k.id, k.key])) };
}

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
    `PAYLOAD_KEYS is missing: workflow history holds employee data and is encrypted with it. Set it (or PAYLOAD_KEYS_FILE), e.g. ${EXAMPLE}; PAYLOAD_ENCRYPTION=off turns encryption off for local experiments`,
  ]);
}
