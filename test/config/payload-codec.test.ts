import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { AesGcmPayloadCodec, loadPayloadCodec, newPayloadKeyRing } from '../../config/payload-codec';

const payload = defaultPayloadConverter.toPayload({ residentRef: 'R-CLEARTEXT-1' })!;

describe('AesGcmPayloadCodec', () => {
  it('encrypts so the bytes hold no plaintext, and decrypts back', async () => {
    const codec = new AesGcmPayloadCodec(new Map([['k1', randomBytes(32)]]), 'k1');
    const [encrypted] = await codec.encode([payload]);
    expect(Buffer.from(encrypted!.data!).toString('latin1')).not.toContain('R-CLEARTEXT-1');
    expect(Buffer.from(encrypted!.metadata!['encryption-key-id']!).toString()).toBe('k1');
    const [decrypted] = await codec.decode([encrypted!]);
    expect(defaultPayloadConverter.fromPayload(decrypted!)).toEqual({ residentRef: 'R-CLEARTEXT-1' });
  });

  it('rotates keys: a new first key encrypts, the old one still decrypts', async () => {
    const old = randomBytes(32);
    const before = new AesGcmPayloadCodec(new Map([['k1', old]]), 'k1');
    const [sealed] = await before.encode([payload]);
    const after = new AesGcmPayloadCodec(
      new Map([
        ['k2', randomBytes(32)],
        ['k1', old],
      ]),
      'k2',
    );
    expect(defaultPayloadConverter.fromPayload((await after.decode([sealed!]))[0]!)).toEqual({
      residentRef: 'R-CLEARTEXT-1',
    });
    expect(Buffer.from((await after.encode([payload]))[0]!.metadata!['encryption-key-id']!).toString()).toBe('k2');
  });

  it('passes unencrypted payloads through (histories from before encryption) and refuses tampering', async () => {
    const codec = new AesGcmPayloadCodec(new Map([['k1', randomBytes(32)]]), 'k1');
    expect(await codec.decode([payload])).toEqual([payload]);
    const [sealed] = await codec.encode([payload]);
    const tampered = { ...sealed!, data: Buffer.from(sealed!.data!).map((b, i) => (i === 20 ? b ^ 1 : b)) };
    await expect(codec.decode([tampered])).rejects.toThrow();
  });

  it('loads the key ring from PAYLOAD_KEYS, and is off without one', () => {
    expect(loadPayloadCodec({ PAYLOAD_KEYS: newPayloadKeyRing('a') }, '/nonexistent')).toBeInstanceOf(
      AesGcmPayloadCodec,
    );
    expect(loadPayloadCodec({}, '/nonexistent')).toBeUndefined();
    expect(() => loadPayloadCodec({ PAYLOAD_KEYS: 'nonsense' }, '/x')).toThrow(/PAYLOAD_KEYS/);
  });
});
