/**
 * Encryption keys for workflow payloads: `PAYLOAD_KEYS` (or a file named by
 * `PAYLOAD_KEYS_FILE`) holds `keyId:base64key` pairs separated by commas or new lines. The
 * first key encrypts; every key decrypts, so a key can be rotated by putting the new one
 * first and keeping the old one until no history needs it. Read from the environment by
 * config/payload-keys.ts.
 */
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

/** How a key ring is written, for messages. */
export const KEY_RING_EXAMPLE = 'PAYLOAD_KEYS=2026-11:$(openssl rand -base64 32)';

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
        `${source}: entry ${index + 1} needs the form keyId:base64key (key id: letters, digits, . _ -), e.g. ${KEY_RING_EXAMPLE}`,
      );
      return;
    }
    registerSecret(entry.slice(colon + 1)); // kept out of log lines by value
    const key = Buffer.from(entry.slice(colon + 1), 'base64');
    if (key.length !== 32) {
      problems.push(
        `${source}: key "${id}" must be 32 bytes, base64-encoded (got ${key.length} bytes), e.g. ${KEY_RING_EXAMPLE}`,
      );
      return;
    }
    if (keys.some((k) => k.id === id))
      problems.push(`${source}: key id "${id}" appears twice; give each key its own id`);
    keys.push({ id, key });
  });
  if (entries.length === 0) problems.push(`${source} holds no key: set it, e.g. ${KEY_RING_EXAMPLE}`);
  if (problems.length > 0) throw new ConfigError(problems);
  return { current: keys[0]!, byId: new Map(keys.map((k) => [k.id, k.key])) };
}
