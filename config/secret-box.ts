import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const PREFIX = 'enc:v1:';
/** A key of its own for stored secrets, derived from each payload key: one key never serves two purposes. */
const INFO = 'stay-transition/stored-secret/v1';

/**
 * Secrets the engine must read back (a webhook's signing secret) are stored sealed: AES-256-GCM under a key derived
 * from the payload key ring (PAYLOAD_KEYS / DATA_DIR/payload-keys), as `enc:v1:<key id>:<base64url iv|ciphertext|tag>`.
 * The first key seals; every key in the ring opens, so a rotated ring still opens secrets sealed before. A value
 * without the prefix was stored before sealing was turned on and is returned as it is.
 */
export class SecretBox {
  private readonly keys: Map<string, Buffer>;

  constructor(
    payloadKeys: Map<string, Buffer>,
    private readonly currentKeyId: string,
  ) {
    if (!payloadKeys.has(currentKeyId)) throw new Error(`key ${currentKeyId} is not in the key ring`);
    this.keys = new Map(
      [...payloadKeys].map(([id, key]) => [id, Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), INFO, 32))]),
    );
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    cipher.setAAD(Buffer.from(this.currentKeyId));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${PREFIX}${this.currentKeyId}:${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  open(stored: string): string {
    if (!isSealed(stored)) return stored;
    const [keyId, data] = splitSealed(stored);
    const key = this.keys.get(keyId);
    if (!key)
      throw new Error(`a stored secret was sealed with key "${keyId}", which is not in the key ring (PAYLOAD_KEYS)`);
    const bytes = Buffer.from(data, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(keyId));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8');
  }
}

export const isSealed = (stored: string): boolean => stored.startsWith(PREFIX);

function splitSealed(stored: string): [keyId: string, data: string] {
  const rest = stored.slice(PREFIX.length);
  const colon = rest.lastIndexOf(':');
  return [rest.slice(0, colon), rest.slice(colon + 1)];
}

/** Opens a stored secret with the box, or says plainly why a sealed one cannot be opened without it. */
export function openStoredSecret(stored: string, box: SecretBox | undefined): string {
  if (box) return box.open(stored);
  if (isSealed(stored))
    throw new Error(
      'a stored secret is sealed, but no payload key ring is configured (set PAYLOAD_KEYS as for the API)',
    );
  return stored;
}
