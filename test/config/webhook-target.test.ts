import { describe, expect, it } from 'vitest';
import { EMBEDDED_WEBHOOKS, PRODUCTION_WEBHOOKS, refusedAddress, webhookUrlRefusal } from '../../config/webhook-target';

/** The names a compose network gives its services, as Docker's resolver would answer (no DNS server asked). */
const composeDns = async (host: string) => {
  const names: Record<string, string> = {
    temporal: '172.18.0.4',
    postgres: '172.18.0.2',
    'hooks.example.no': '93.184.215.14',
  };
  if (!names[host]) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return [{ address: names[host]!, family: 4 }];
};

describe('webhook targets', () => {
  it('refuses loopback, private, link-local, reserved and mapped addresses; public ones pass', () => {
    for (const ip of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1', '::ffff:7f00:1'])
      expect(refusedAddress(ip, PRODUCTION_WEBHOOKS), ip).toMatch(/loopback/);
    for (const ip of [
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::',
      'fd00::1',
      'fe80::1',
      '::ffff:10.0.0.1',
      '::ffff:a9fe:a9fe',
      '224.0.0.1',
      '198.51.100.7',
    ])
      expect(refusedAddress(ip, PRODUCTION_WEBHOOKS), ip).toMatch(/private, link-local or reserved/);
    for (const ip of ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c', '8.8.8.8'])
      expect(refusedAddress(ip, PRODUCTION_WEBHOOKS), ip).toBeUndefined();
    // the embedded stack may call a receiver on this machine, but never the metadata service or the LAN
    expect(refusedAddress('127.0.0.1', EMBEDDED_WEBHOOKS)).toBeUndefined();
    expect(refusedAddress('169.254.169.254', EMBEDDED_WEBHOOKS)).toMatch(/link-local/);
  });

  it('resolves host names and refuses the compose services and names that do not resolve', async () => {
    const policy = { ...PRODUCTION_WEBHOOKS, resolve: composeDns };
    expect(await webhookUrlRefusal('https://temporal:7233/api', policy)).toMatch(/private/);
    expect(await webhookUrlRefusal('https://postgres/x', policy)).toMatch(/private/);
    expect(await webhookUrlRefusal('https://nowhere.invalid/x', policy)).toMatch(/cannot be resolved/);
    expect(await webhookUrlRefusal('https://hooks.example.no/x', policy)).toBeUndefined();
    expect(await webhookUrlRefusal('http://hooks.example.no/x', policy)).toMatch(/https URL/);
    expect(
      await webhookUrlRefusal('http://hooks.example.no/x', { ...EMBEDDED_WEBHOOKS, resolve: composeDns }),
    ).toBeUndefined();
    expect(await webhookUrlRefusal('file:///etc/passwd', policy)).toMatch(/https URL/);
  });
});
