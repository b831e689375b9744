import { readFileSync } from 'node:fs';
import type { TemporalAuthConfig } from './env';

/**
 * What both the API's client connection and the worker's native connection need to reach Temporal: the
 * address plus, for a Temporal service of our own or Temporal Cloud, TLS (mTLS client certificate) and/or an API
 * key. The option shapes of `Connection.connect` (@temporalio/client) and `NativeConnection.connect`
 * (@temporalio/worker) agree on these fields, so one builder serves both.
 */
export type TemporalConnectionOptions = {
  address: string;
  tls?: {
    clientCertPair?: { crt: Buffer; key: Buffer };
    serverRootCACertificate?: Buffer;
    serverNameOverride?: string;
  };
  apiKey?: string;
};

export function temporalConnectionOptions(
  address: string,
  auth: TemporalAuthConfig,
  readFile: (path: string) => Buffer = (path) => readFileSync(path),
): TemporalConnectionOptions {
  const { tlsCertPath, tlsKeyPath, tlsCaPath, tlsServerName, apiKey } = auth;
  if (Boolean(tlsCertPath) !== Boolean(tlsKeyPath)) {
    throw new Error(
      'Set both TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY (the client certificate and its private key), or neither.',
    );
  }
  // An API key travels as a bearer header: never send it unencrypted unless TEMPORAL_TLS=false says so explicitly.
  const tls = auth.tls ?? Boolean(tlsCertPath || tlsCaPath || tlsServerName || apiKey);
  if (!tls) {
    if (tlsCertPath || tlsCaPath)
      throw new Error('TEMPORAL_TLS=false contradicts TEMPORAL_TLS_CERT / TEMPORAL_TLS_CA.');
    return { address, ...(apiKey ? { apiKey } : {}) };
  }
  const read = (path: string, what: string) => {
    try {
      return readFile(path);
    } catch (err) {
      throw new Error(`cannot read ${what} at ${path}: ${(err as Error).message}`);
    }
  };
  return {
    address,
    tls: {
      ...(tlsCertPath && tlsKeyPath
        ? { clientCertPair: { crt: read(tlsCertPath, 'TEMPORAL_TLS_CERT'), key: read(tlsKeyPath, 'TEMPORAL_TLS_KEY') } }
        : {}),
      ...(tlsCaPath ? { serverRootCACertificate: read(tlsCaPath, 'TEMPORAL_TLS_CA') } : {}),
      ...(tlsServerName ? { serverNameOverride: tlsServerName } : {}),
    },
    ...(apiKey ? { apiKey } : {}),
  };
}

/** For logs: how we talk to Temporal, without secrets. */
export function describeTemporalAuth(options: TemporalConnectionOptions): string {
  const parts = [options.tls ? (options.tls.clientCertPair ? 'mTLS' : 'TLS') : 'plaintext'];
  if (options.apiKey) parts.push('API key');
  return parts.join(' + ');
}
