import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import {
  AesGcmPayloadCodec,
  loadPayloadCodec,
  loadPayloadEncryption,
  newPayloadKeyRing,
  workflowIdOf,
} from '../../config/payload-codec';

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

  it('refuses unencrypted payloads unless told to accept them (histories from before encryption), and tampering', async () => {
    const key = randomBytes(32);
    const strict = new AesGcmPayloadCodec(new Map([['k1', key]]), 'k1');
    await expect(strict.decode([payload])).rejects.toThrow(/not encrypted/);
    const migrating = new AesGcmPayloadCodec(new Map([['k1', key]]), 'k1', { acceptUnencrypted: true });
    expect(await migrating.decode([payload])).toEqual([payload]);
    const [sealed] = await strict.encode([payload]);
    const tampered = { ...sealed!, data: Buffer.from(sealed!.data!).map((b, i) => (i === 20 ? b ^ 1 : b)) };
    await expect(strict.decode([tampered])).rejects.toThrow();
  });

  it("binds a payload to its workflow: the id travels along, and a payload moved to another workflow's id fails", async () => {
    const codec = new AesGcmPayloadCodec(new Map([['k1', randomBytes(32)]]), 'k1');
    const context = { type: 'workflow', namespace: 'default', workflowId: 'stay:1111' } as const;
    const [sealed] = await codec.encode([payload], context);
    expect(workflowIdOf(sealed!)).toBe('stay:1111');
    expect(defaultPayloadConverter.fromPayload((await codec.decode([sealed!]))[0]!)).toEqual({
      residentRef: 'R-CLEARTEXT-1',
    });
    const moved = { ...sealed!, metadata: { ...sealed!.metadata, 'workflow-id': Buffer.from('stay:2222') } };
    await expect(codec.decode([moved])).rejects.toThrow();
  });

  it('loads the key ring from PAYLOAD_KEYS, and is off without one', () => {
    expect(loadPayloadCodec({ PAYLOAD_KEYS: newPayloadKeyRing('a') }, '/nonexistent')).toBeInstanceOf(
      AesGcmPayloadCodec,
    );
    expect(loadPayloadCodec({}, '/nonexistent')).toBeUndefined();
    expect(() => loadPayloadCodec({ PAYLOAD_KEYS: 'nonsense' }, '/x')).toThrow(/PAYLOAD_KEYS/);
  });

  it('is required outside the embedded stack: no key ring refuses to start, unless the logged migration opt-out is set', () => {
    const production = { dataDir: '/nonexistent', embeddedStack: false };
    expect(() => loadPayloadEncryption(production, {})).toThrow(/Payload encryption is required/);
    expect(loadPayloadEncryption(production, { ALLOW_UNENCRYPTED_PAYLOADS: 'true' }).state).toMatchObject({
      payloadEncryption: 'OFF',
    });
    const on = loadPayloadEncryption(production, { PAYLOAD_KEYS: newPayloadKeyRing('k9') });
    expect(on.state).toEqual({
      payloadEncryption: 'on',
      keyIds: ['k9'],
      encryptsWith: 'k9',
      acceptsUnencrypted: false,
    });
    expect(on.codec?.acceptsUnencrypted).toBe(false);
    expect(loadPayloadEncryption({ dataDir: '/nonexistent', embeddedStack: true }, {}).state.payloadEncryption).toBe(
      'OFF',
    );
  });
});
