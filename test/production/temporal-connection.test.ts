import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/env';
import { describeTemporalAuth, temporalConnectionOptions } from '../../config/temporal-connection';

const files: Record<string, string> = {
  '/certs/client.pem': 'CERT',
  '/certs/client.key': 'KEY',
  '/certs/ca.pem': 'CA',
};
const readFile = (path: string) => {
  if (!(path in files)) throw new Error('ENOENT: no such file');
  return Buffer.from(files[path]!);
};
const authFrom = (env: Record<string, string>) =>
  loadConfig({ AUTH_JWT_SECRET: 'x'.repeat(32), DATA_DIR: '/tmp/unused', ...env }).temporalAuth;

describe('the Temporal connection options (self-hosted mTLS, Temporal Cloud)', () => {
  it('is plaintext to the embedded dev server', () => {
    const options = temporalConnectionOptions('127.0.0.1:7233', authFrom({}), readFile);
    expect(options).toEqual({ address: '127.0.0.1:7233' });
    expect(describeTemporalAuth(options)).toBe('plaintext');
  });

  it('uses mTLS with the client certificate and key files (and an optional CA and server name)', () => {
    const auth = authFrom({
      TEMPORAL_TLS_CERT: '/certs/client.pem',
      TEMPORAL_TLS_KEY: '/certs/client.key',
      TEMPORAL_TLS_CA: '/certs/ca.pem',
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });
    const options = temporalConnectionOptions('temporal:7233', auth, readFile);
    expect(options.tls?.clientCertPair?.crt.toString()).toBe('CERT');
    expect(options.tls?.clientCertPair?.key.toString()).toBe('KEY');
    expect(options.tls?.serverRootCACertificate?.toString()).toBe('CA');
    expect(options.tls?.serverNameOverride).toBe('temporal.internal');
    expect(describeTemporalAuth(options)).toBe('mTLS');
  });

  it('sends a Temporal Cloud API key over TLS only, unless TEMPORAL_TLS=false says otherwise', () => {
    const cloud = temporalConnectionOptions(
      'ns.acct.tmprl.cloud:7233',
      authFrom({ TEMPORAL_API_KEY: 'key-1' }),
      readFile,
    );
    expect(cloud).toEqual({ address: 'ns.acct.tmprl.cloud:7233', tls: {}, apiKey: 'key-1' });
    expect(describeTemporalAuth(cloud)).toBe('TLS + API key');
    const plain = temporalConnectionOptions(
      'proxy:7233',
      authFrom({ TEMPORAL_API_KEY: 'key-1', TEMPORAL_TLS: 'false' }),
      readFile,
    );
    expect(plain).toEqual({ address: 'proxy:7233', apiKey: 'key-1' });
  });

  it('refuses half a certificate pair and unreadable files with a message naming the setting', () => {
    expect(() =>
      temporalConnectionOptions('t:7233', authFrom({ TEMPORAL_TLS_CERT: '/certs/client.pem' }), readFile),
    ).toThrow(/Set both TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY/);
    expect(() =>
      temporalConnectionOptions(
        't:7233',
        authFrom({ TEMPORAL_TLS_CERT: '/certs/missing.pem', TEMPORAL_TLS_KEY: '/certs/client.key' }),
        readFile,
      ),
    ).toThrow(/cannot read TEMPORAL_TLS_CERT at \/certs\/missing.pem/);
  });

  it('reads the worker tuning and shutdown settings from the environment', () => {
    const config = loadConfig({
      AUTH_JWT_SECRET: 'x'.repeat(32),
      DATA_DIR: '/tmp/unused',
      WORKER_MAX_CACHED_WORKFLOWS: '2000',
      WORKER_METRICS_ADDRESS: '0.0.0.0:9464',
      SHUTDOWN_GRACE_MS: '25000',
    });
    expect(config.workerTuning.maxCachedWorkflows).toBe(2000);
    expect(config.workerMetricsAddress).toBe('0.0.0.0:9464');
    expect(config.shutdownGraceMs).toBe(25_000);
    expect(() => loadConfig({ AUTH_JWT_SECRET: 'x'.repeat(32), WORKER_METRICS_ADDRESS: '9464' })).toThrow(
      /WORKER_METRICS_ADDRESS must be host:port/,
    );
  });
});
