/**
 * The data converter every worker and client of this project uses: payloads encrypted by
 * the AES-GCM codec (when keys are configured), and failure messages moved into an encoded
 * payload so the codec covers them as well.
 */
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import { AesGcmCodec } from './aes-gcm-codec.js';
import type { PayloadKeyRing } from './keys.js';

export const failureConverterPath = fileURLToPath(new URL('./failure-converter.ts', import.meta.url));

export function dataConverterFor(keys: PayloadKeyRing | null): DataConverter {
  return {
    failureConverterPath,
    ...(keys ? { payloadCodecs: [new AesGcmCodec(keys)] } : {}),
  };
}
