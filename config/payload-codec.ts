import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import { SecretBox } from './secret-box';

const { Payload: PayloadMessage } = proto.temporal.api.common.v1;
const ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const te = new TextEncoder();
const td = new TextDecoder();

/**
 * AES-256-GCM for every payload Temporal stores (workflow input, update arguments, activity inputs, results), so that
 * Temporal's database holds no readable health data. The key id travels in the payload's metadata; every key in the
 * key ring can decrypt, the first one encrypts — rotate by putting a new key first and keeping the old ones.
 * Payloads that are not encrypted (histories from before encryption was turned on) pass through unchanged.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(
    private readonly keys: Map<string, Buffer>,
    private readonly currentKeyId: string,
  ) {
    if (!keys.has(currentKeyId)) throw new Error(`payload key ${currentKeyId} is not in the key ring`);
    for (const [id, key] of keys)
      if (key.length !== 32) throw new Error(`payload key ${id} must be 32 bytes (AES-256)`);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.keys.get(this.currentKeyId)!;
    return payloads.map((payload) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(PayloadMessage.encode(payload).finish()), cipher.final()]);
      return {
        metadata: { encoding: te.encode(ENCODING), [KEY_ID]: te.encode(this.currentKeyId) },
        data: Buffer.concat([iv, body, cipher.getAuthTag()]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (!payload.metadata || td.decode(payload.metadata.encoding ?? new Uint8Array()) !== ENCODING) return payload;
      const keyId = td.decode(payload.metadata[KEY_ID] ?? new Uint8Array());
      const key = this.keys.get(keyId);
      if (!key) throw new Error(`no payload key "${keyId}" in the key ring (PAYLOAD_KEYS)`);
      const data = Buffer.from(payload.data ?? new Uint8Array());
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(data.length - 16));
      const plain = Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]);
      return PayloadMessage.decode(plain) as Payload;
    });
  }
}

/**
 * The key ring: PAYLOAD_KEYS="id:base64key[,id:base64key…]" (the first encrypts), else `DATA_DIR/payload-keys`
 * (same format; written by `npm start` for the embedded default). None → no encryption (tests, and stacks that
 * have not opted in).
 */
export function loadPayloadCodec(
  env: Record<string, string | undefined>,
  dataDir: string,
): AesGcmPayloadCodec | undefined {
  const ring = loadPayloadKeyRing(env, dataDir);
  return ring && new AesGcmPayloadCodec(ring.keys, ring.currentKeyId);
}

/** Stored secrets (webhook signing secrets) sealed under keys derived from the same ring; none without a ring. */
export function loadSecretBox(env: Record<string, string | undefined>, dataDir: string): SecretBox | undefined {
  const ring = loadPayloadKeyRing(env, dataDir);
  return ring && new SecretBox(ring.keys, ring.currentKeyId);
}

function loadPayloadKeyRing(
  env: Record<string, string | undefined>,
  dataDir: string,
): { keys: Map<string, Buffer>; currentKeyId: string } | undefined {
  const file = join(dataDir, 'payload-keys');
  const spec = env.PAYLOAD_KEYS || (existsSync(file) ? readFileSync(file, 'utf8').trim() : '');
  if (!spec) return undefined;
  const entries = spec.split(',').map((entry) => {
    const [id, b64] = entry.trim().split(':');
    if (!id || !b64) throw new Error('PAYLOAD_KEYS must look like "id:base64key[,id:base64key…]"');
    return [id, Buffer.from(b64, 'base64')] as const;
  });
  return { keys: new Map(entries), currentKeyId: entries[0]![0] };
}

/** A new key ring line: one fresh 256-bit key. */
export const newPayloadKeyRing = (id = `k${Date.now()}`): string => `${id}:${randomBytes(32).toString('base64')}`;
