import { createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSecretBox, newPayloadKeyRing } from '../../config/payload-codec';
import { isSealed, openStoredSecret, SecretBox } from '../../config/secret-box';

const SECRET = 'webhook-signing-secret-1234';

describe('SecretBox (stored secrets sealed at rest)', () => {
  it('seals so the stored value does not hold the secret, differently each time, and opens it again', () => {
    const box = new SecretBox(new Map([['k1', randomBytes(32)]]), 'k1');
    const a = box.seal(SECRET);
    const b = box.seal(SECRET);
    expect(a).toMatch(/^enc:v1:k1:[A-Za-z0-9_-]+$/);
    expect(a).not.toContain(SECRET);
    expect(a).not.toBe(b);
    expect(box.open(a)).toBe(SECRET);
    expect(box.open(b)).toBe(SECRET);
  });

  it('opens secrets sealed before a key rotation; a ring without the old key says which key is missing', () => {
    const old = randomBytes(32);
    const sealed = new SecretBox(new Map([['k1', old]]), 'k1').seal(SECRET);
    const rotated = new SecretBox(
      new Map([
        ['k2', randomBytes(32)],
        ['k1', old],
      ]),
      'k2',
    );
    expect(rotated.open(sealed)).toBe(SECRET);
    expect(rotated.seal(SECRET)).toMatch(/^enc:v1:k2:/);
    expect(() => new SecretBox(new Map([['k2', randomBytes(32)]]), 'k2').open(sealed)).toThrow(/sealed with key "k1"/);
  });

  it('refuses a tampered value and a value relabelled with another key id', () => {
    const ring = new Map([
      ['k1', randomBytes(32)],
      ['k2', randomBytes(32)],
    ]);
    const box = new SecretBox(ring, 'k1');
    const sealed = box.seal(SECRET);
    const data = Buffer.from(sealed.split(':').pop()!, 'base64url');
    data[14]! ^= 1;
    expect(() => box.open(`enc:v1:k1:${data.toString('base64url')}`)).toThrow();
    expect(() => box.open(sealed.replace('enc:v1:k1:', 'enc:v1:k2:'))).toThrow();
  });

  it('uses a key of its own, not the payload key itself', () => {
    const key = randomBytes(32);
    const sealed = new SecretBox(new Map([['k1', key]]), 'k1').seal(SECRET);
    // decrypting with the raw payload key must fail: the box derives its key (HKDF) for this one purpose
    const bytes = Buffer.from(sealed.split(':').pop()!, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from('k1'));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    decipher.update(bytes.subarray(12, bytes.length - 16));
    expect(() => decipher.final()).toThrow();
  });

  it('passes a secret stored before sealing was turned on through; without a ring, a sealed one is a clear error', () => {
    expect(isSealed(SECRET)).toBe(false);
    expect(new SecretBox(new Map([['k1', randomBytes(32)]]), 'k1').open(SECRET)).toBe(SECRET);
    expect(openStoredSecret(SECRET, undefined)).toBe(SECRET);
    const sealed = new SecretBox(new Map([['k1', randomBytes(32)]]), 'k1').seal(SECRET);
    expect(() => openStoredSecret(sealed, undefined)).toThrow(/no payload key ring is configured/);
  });

  it('is loaded from the same key ring as payload encryption (PAYLOAD_KEYS or DATA_DIR/payload-keys)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secret-box-'));
    expect(loadSecretBox({}, dir)).toBeUndefined();
    writeFileSync(join(dir, 'payload-keys'), newPayloadKeyRing('kfile'));
    expect(loadSecretBox({}, dir)!.seal(SECRET)).toMatch(/^enc:v1:kfile:/);
    expect(loadSecretBox({ PAYLOAD_KEYS: newPayloadKeyRing('kenv') }, dir)!.seal(SECRET)).toMatch(/^enc:v1:kenv:/);
  });
});
