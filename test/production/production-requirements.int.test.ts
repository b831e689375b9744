import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSigner } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { newPayloadKeyRing } from '../../config/payload-codec';
import { eventually } from '../support/eventually';
import { secretWeakness, SHARED_SECRET_DEFAULTS } from '../../config/token-auth';
import { writeWorkflowBundle } from '../../worker/workflow-bundle';
import { getFreePort } from '../../stack/free-port';
import { makeTempDir, removeTempDir } from '../../stack/temp-dir';
import { startRole, stopRole, waitForStatus, type RoleProcess } from '../../stack/role-process';

/**
 * The production shape (external DATABASE_URL / TEMPORAL_ADDRESS, here the test run's own servers) refuses to start
 * what the embedded default hides: no payload key ring, no identity provider, a placeholder secret, the development
 * login. Each refusal is one log line naming what to set, and exit code 1, before anything is served.
 */

const root = new URL('../..', import.meta.url).pathname;
const dir = makeTempDir('stays-prod-req');
const roles: RoleProcess[] = [];
afterAll(async () => {
  await Promise.all(roles.map((r) => stopRole(r, 5_000)));
  removeTempDir(dir);
});

const STRONG_SECRET = randomBytes(32).toString('base64');
/** The value deploy/api.env.example shows for AUTH_JWT_SECRET (commented out): what a hurried operator copies. */
const exampleSecret = /AUTH_JWT_SECRET=(\S+)/.exec(readFileSync(join(root, 'deploy/api.env.example'), 'utf8'))![1]!;

let bundlePath: string;
beforeAll(() => {
  bundlePath = join(dir, 'dist', 'workflow-bundle.js');
  writeWorkflowBundle(bundlePath, readFileSync(inject('workflowBundlePath'), 'utf8'));
});

const production = (extra: Record<string, string>): Record<string, string> => ({
  DATABASE_URL: inject('databaseUrl'),
  TEMPORAL_ADDRESS: inject('temporalAddress'),
  TEMPORAL_TASK_QUEUE: `prod-req-${randomUUID()}`,
  DATA_DIR: join(dir, randomUUID()),
  LOG_LEVEL: 'info',
  HOST: '127.0.0.1',
  WORKFLOW_BUNDLE: bundlePath,
  ...extra,
});

/** Starts a role that must refuse: resolves with its exit code and output (fails if it keeps running). */
async function refusal(entry: 'api/server.ts' | 'worker/main.ts', env: Record<string, string>) {
  const role = startRole(entry, entry, { ...env, PORT: String(await getFreePort()) });
  roles.push(role);
  const timeout = new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 45_000));
  const exit = await Promise.race([role.exited, timeout]);
  if (exit === 'running') throw new Error(`${entry} started instead of refusing:\n${role.output().slice(-2000)}`);
  return { code: exit.code, output: role.output() };
}

describe('production start-up requirements', () => {
  it('refuses to start the API and the worker without a payload key ring', async () => {
    const [api, worker] = await Promise.all([
      refusal('api/server.ts', production({ AUTH_SERVICE_TOKENS: 'true', AUTH_JWT_SECRET: STRONG_SECRET })),
      refusal('worker/main.ts', production({})),
    ]);
    for (const { code, output } of [api, worker]) {
      expect(code, output).toBe(1);
      expect(output).toContain('Payload encryption is required outside the embedded development stack');
    }
  });

  it('refuses shared-secret tokens without the explicit opt-in, and a placeholder secret with it', async () => {
    const keys = newPayloadKeyRing('k1');
    const [noIdp, placeholder, devLogin] = await Promise.all([
      refusal('api/server.ts', production({ PAYLOAD_KEYS: keys, AUTH_JWT_SECRET: STRONG_SECRET })),
      refusal(
        'api/server.ts',
        production({ PAYLOAD_KEYS: keys, AUTH_SERVICE_TOKENS: 'true', AUTH_JWT_SECRET: exampleSecret }),
      ),
      refusal(
        'api/server.ts',
        production({
          PAYLOAD_KEYS: keys,
          AUTH_SERVICE_TOKENS: 'true',
          AUTH_JWT_SECRET: STRONG_SECRET,
          DEV_LOGIN: 'true',
        }),
      ),
    ]);
    expect(noIdp.code, noIdp.output).toBe(1);
    expect(noIdp.output).toContain('accepts only tokens of the identity provider: set OIDC_ISSUER');
    expect(placeholder.code, placeholder.output).toBe(1);
    expect(placeholder.output).toContain('AUTH_JWT_SECRET is refused');
    expect(devLogin.code, devLogin.output).toBe(1);
    expect(devLogin.output).toContain('DEV_LOGIN=true is refused outside the embedded development stack');
  });

  it('judges secrets: placeholders, short and repetitive ones are weak, a generated one is not', () => {
    expect(secretWeakness(exampleSecret)).toMatch(/placeholder/);
    for (const typed of [
      'CHANGE_ME_to_a_long_random_value_please_123',
      'my-super-secret-value-for-the-api-2026-abcdef',
      'test_token_signing_key_9f8e7d6c5b4a39281706',
      'xxxx-xxxx-xxxx-QWERTYUIOPASDFGHJKLZXCVBNM12',
    ])
      expect(secretWeakness(typed), typed).toMatch(/placeholder/);
    // generated values that merely contain such letters are not placeholders
    expect(secretWeakness('Zq8TestK2vXxxR9pLmN4wQ7sD1fG6hJ3kB5nC0aE+/Y=')).toBeUndefined();
    // one `openssl rand -base64 32` that was refused when a digit counted as a separator
    expect(secretWeakness('9QXdoXuG835lV3ARdHY2Test78SrhPAoUlDZFiPWNsI=')).toBeUndefined();
    expect(secretWeakness('q'.repeat(40))).toMatch(/entropy/);
    expect(secretWeakness('abcdefgh')).toMatch(/shorter/);
    expect(secretWeakness('ab'.repeat(24))).toMatch(/entropy/);
    expect(secretWeakness(STRONG_SECRET)).toBeUndefined();
    // What the README tells operators to run, many times over: a generated secret is never refused.
    const generated = Array.from({ length: 3000 }, (_, i) =>
      randomBytes(i % 2 ? 24 : 32).toString(i % 2 ? 'hex' : 'base64'),
    );
    expect(generated.filter((s) => secretWeakness(s) !== undefined)).toEqual([]);
  });

  it('starts with a key ring and opted-in service tokens, logs the encryption state, and accepts only tokens with iss, aud and a bounded lifetime', async () => {
    const port = await getFreePort();
    const api = startRole(
      'api',
      'api/server.ts',
      production({
        PORT: String(port),
        PAYLOAD_KEYS: `${newPayloadKeyRing('k2')},${newPayloadKeyRing('k1')}`,
        AUTH_SERVICE_TOKENS: 'true',
        AUTH_JWT_SECRET: STRONG_SECRET,
        AUTH_TOKEN_MAX_TTL: '1h',
      }),
    );
    roles.push(api);
    const base = `http://127.0.0.1:${port}`;
    await waitForStatus(`${base}/live`, api, 60_000);
    // /live may answer before the start-up line has come through the process's output pipe
    const started = await eventually(() => {
      const line = api
        .output()
        .split('\n')
        .map((text) => {
          try {
            return JSON.parse(text) as Record<string, unknown>;
          } catch {
            return {};
          }
        })
        .find((l) => l.msg === 'api started');
      expect(line).toBeDefined();
      return line;
    });
    expect(started).toMatchObject({
      stack: 'production',
      payloadEncryption: 'on',
      keyIds: ['k2', 'k1'],
      encryptsWith: 'k2',
      acceptsUnencrypted: false,
      tokens: 'shared-secret (HS256 service tokens)',
      devLogin: false,
    });
    expect(api.output()).not.toContain(STRONG_SECRET);

    const claims = { sub: 'svc-1', role: 'admin' };
    const sign = (opts: { iss?: string; aud?: string; expiresIn: number }) =>
      createSigner({ key: STRONG_SECRET, algorithm: 'HS256', ...opts })(claims);
    const me = async (token: string) =>
      (await fetch(`${base}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status;
    const { issuer: iss, audience: aud } = SHARED_SECRET_DEFAULTS;
    expect(await me(sign({ iss, aud, expiresIn: 30 * 60_000 }))).toBe(200);
    expect(await me(sign({ expiresIn: 30 * 60_000 }))).toBe(401); // no iss/aud: minted for anything
    expect(await me(sign({ iss, aud: 'another-system', expiresIn: 30 * 60_000 }))).toBe(401);
    expect(await me(sign({ iss, aud, expiresIn: 2 * 3600_000 }))).toBe(401); // longer than AUTH_TOKEN_MAX_TTL
    await stopRole(api);
  });
});
