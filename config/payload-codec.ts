import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import proto from '@temporalio/proto';
import { type AppConfig, envOrFile } from './env';
import { SecretBox } from './secret-box';

const { Payload: PayloadMessage } = proto.temporal.api.common.v1;
const ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
/** The workflow a payload belongs to (bound to the ciphertext): the codec server logs which stay it decrypted. */
export const WORKFLOW_ID = 'workflow-id';
const te = new TextEncoder();
const td = new TextDecoder();

/**
 * AES-256-GCM for every payload Temporal stores (workflow input, update arguments, activity inputs, results), so that
 * Temporal's database holds no readable health data. The key id travels in the payload's metadata; every key in the
 * key ring can decrypt, the first one encrypts — rotate by putting a new key first and keeping the old ones.
 *
 * A payload that is not encrypted is refused: it was written by a client without the key ring (the Temporal CLI or
 * Web UI, a misconfigured process), and accepting it would let anyone who reaches Temporal feed the workflows. Only
 * `acceptUnencrypted` (the embedded stack, or the logged migration opt-out ALLOW_UNENCRYPTED_PAYLOADS) lets histories
 * from before encryption was turned on decode.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(
    private readonly keys: Map<string, Buffer>,
    private readonly currentKeyId: string,
    private readonly options: { acceptUnencrypted?: boolean } = {},
  ) {
    if (!keys.has(currentKeyId)) throw new Error(`payload key ${currentKeyId} is not in the key ring`);
    for (const [id, key] of keys)
      if (key.length !== 32) throw new Error(`payload key ${id} must be 32 bytes (AES-256)`);
  }

  get acceptsUnencrypted(): boolean {
    return !!this.options.acceptUnencrypted;
  }

  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    const key = this.keys.get(this.currentKeyId)!;
    const workflowId = context?.workflowId;
    return payloads.map((payload) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      if (workflowId) cipher.setAAD(te.encode(workflowId));
      const body = Buffer.concat([cipher.update(PayloadMessage.encode(payload).finish()), cipher.final()]);
      return {
        metadata: {
          encoding: te.encode(ENCODING),
          [KEY_ID]: te.encode(this.currentKeyId),
          ...(workflowId ? { [WORKFLOW_ID]: te.encode(workflowId) } : {}),
        },
        data: Buffer.concat([iv, body, cipher.getAuthTag()]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (!isEncrypted(payload)) {
        if (this.options.acceptUnencrypted) return payload;
        throw new Error(
          'refused a payload that is not encrypted (written without the key ring); set ALLOW_UNENCRYPTED_PAYLOADS=true only while histories from before encryption still run',
        );
      }
      const metadata = payload.metadata!;
      const keyId = td.decode(metadata[KEY_ID] ?? new Uint8Array());
      const key = this.keys.get(keyId);
      if (!key) throw new Error(`no payload key "${keyId}" in the key ring (PAYLOAD_KEYS)`);
      const data = Buffer.from(payload.data ?? new Uint8Array());
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      const workflowId = metadata[WORKFLOW_ID];
      if (workflowId) decipher.setAAD(workflowId);
      decipher.setAuthTag(data.subarray(data.length - 16));
      const plain = Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]);
      return PayloadMessage.decode(plain) as Payload;
    });
  }
}

export const isEncrypted = (payload: Payload): boolean =>
  !!payload.metadata && td.decode(payload.metadata.encoding ?? new Uint8Array()) === ENCODING;

/** The workflow an encrypted payload belongs to (written since payloads carry it), else null. */
export const workflowIdOf = (payload: Payload): string | null => {
  const id = payload.metadata?.[WORKFLOW_ID];
  return id ? td.decode(id) : null;
};

/**
 * The key ring: PAYLOAD_KEYS="id:base64key[,id:base64key…]" (the first encrypts), else the file PAYLOAD_KEYS_FILE
 * names, else `DATA_DIR/payload-keys` (same format; written by `npm start` for the embedded default). None → no
 * encryption (tests that build the app themselves).
 */
export function loadPayloadCodec(
  env: Record<string, string | undefined>,
  dataDir: string,
  options: { acceptUnencrypted?: boolean } = {},
): AesGcmPayloadCodec | undefined {
  const ring = loadPayloadKeyRing(env, dataDir);
  return ring && new AesGcmPayloadCodec(ring.keys, ring.currentKeyId, options);
}

/** Stored secrets (webhook signing secrets) sealed under keys derived from the same ring; none without a ring. */
export function loadSecretBox(env: Record<string, string | undefined>, dataDir: string): SecretBox | undefined {
  const ring = loadPayloadKeyRing(env, dataDir);
  return ring && new SecretBox(ring.keys, ring.currentKeyId);
}

/** What the API and the worker encrypt with, and what they say about it at start-up. */
export type PayloadEncryption = {
  codec?: AesGcmPayloadCodec;
  secretBox?: SecretBox;
  /** For the start-up log line: never the keys, only whether and with which key id. */
  state: {
    payloadEncryption: 'on' | 'OFF';
    keyIds: string[];
    encryptsWith: string | null;
    acceptsUnencrypted: boolean;
  };
};

/**
 * Payload encryption for a process of the given configuration. Outside the embedded development stack a key ring is
 * required: without one the API and worker refuse to start, since Temporal would store health data in the clear.
 * ALLOW_UNENCRYPTED_PAYLOADS=true is the explicit opt-out for a migration (logged as a warning at every start): it
 * lets a process run without a ring, and lets a process with one still read histories written before encryption.
 */
export function loadPayloadEncryption(
  config: Pick<AppConfig, 'dataDir' | 'embeddedStack'>,
  env: NodeJS.ProcessEnv = process.env,
): PayloadEncryption {
  const optOut = env.ALLOW_UNENCRYPTED_PAYLOADS === 'true';
  const ring = loadPayloadKeyRing(env, config.dataDir);
  if (!ring) {
    if (!config.embeddedStack && !optOut)
      throw new Error(
        'Payload encryption is required outside the embedded development stack: set PAYLOAD_KEYS="id:base64key" ' +
          "(or PAYLOAD_KEYS_FILE; one key: `node -e \"console.log('k1:'+require('crypto').randomBytes(32).toString('base64'))\"`), " +
          'the same ring for every API and worker. ALLOW_UNENCRYPTED_PAYLOADS=true runs without it (a migration only).',
      );
    return { state: { payloadEncryption: 'OFF', keyIds: [], encryptsWith: null, acceptsUnencrypted: true } };
  }
  const acceptUnencrypted = optOut || config.embeddedStack;
  return {
    codec: new AesGcmPayloadCodec(ring.keys, ring.currentKeyId, { acceptUnencrypted }),
    secretBox: new SecretBox(ring.keys, ring.currentKeyId),
    state: {
      payloadEncryption: 'on',
      keyIds: [...ring.keys.keys()],
      encryptsWith: ring.currentKeyId,
      acceptsUnencrypted: acceptUnencrypted,
    },
  };
}

function loadPayloadKeyRing(
  env: Record<string, string | undefined>,
  dataDir: string,
): { keys: Map<string, Buffer>; currentKeyId: string } | undefined {
  const file = join(dataDir, 'payload-keys');
  const spec = envOrFile(env, 'PAYLOAD_KEYS') || (existsSync(file) ? readFileSync(file, 'utf8').trim() : '');
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
