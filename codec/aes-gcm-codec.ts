/**
 * AES-256-GCM payload codec: every payload (workflow and activity arguments and results,
 * memo, user metadata, and failure messages via the failure converter) leaves the process
 * encrypted, with the key id in its metadata so that older histories stay readable after a
 * key rotation.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ApplicationFailure, type Payload, type PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { PayloadKeyRing } from './keys.js';
import { UNKNOWN_ENCRYPTION_KEY } from '../domain/failure-types.js';

const ENCODING = 'binary/encrypted';
const METADATA_ENCODING_KEY = 'encoding';
const METADATA_KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ProtoPayload = proto.temporal.api.common.v1.Payload;
const text = new TextEncoder();
const untext = new TextDecoder();

export class AesGcmCodec implements PayloadCodec {
  constructor(private readonly keys: PayloadKeyRing) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { id, key } = this.keys.current;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const plain = ProtoPayload.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { [METADATA_ENCODING_KEY]: text.encode(ENCODING), [METADATA_KEY_ID]: text.encode(id) },
        data,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || untext.decode(encoding) !== ENCODING) return payload; // not ours: pass through
      const idBytes = payload.metadata?.[METADATA_KEY_ID];
      const id = idBytes ? untext.decode(idBytes) : '';
      const key = this.keys.byId.get(id);
      if (!key) {
        throw ApplicationFailure.nonRetryable(
          `payload was encrypted with key "${id}", which is not in PAYLOAD_KEYS: add that key (old keys stay until no history needs them)`,
          UNKNOWN_ENCRYPTION_KEY,
        );
      }
      const data = Buffer.from(payload.data ?? new Uint8Array());
      const iv = data.subarray(0, IV_BYTES);
      const tag = data.subarray(data.length - TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return ProtoPayload.decode(plain);
    });
  }
}
