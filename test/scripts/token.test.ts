import { execFile } from 'node:child_process';
import { createVerifier } from 'fast-jwt';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../stack/server-binaries';
import { makeTempDir, removeTempDir } from '../../stack/temp-dir';

const SECRET = 'token-test-secret-0123456789abcdef';
const dataDir = makeTempDir('stays-token');
afterAll(() => removeTempDir(dataDir));

type Run = { code: number; stdout: string; stderr: string };

/** Runs scripts/token.ts the way `npm run token` does (minus npm), as a separate process. */
function runToken(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/token.ts', ...args],
      { cwd: repoRoot, env: { ...process.env, AUTH_JWT_SECRET: SECRET, DATA_DIR: dataDir } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const verify = createVerifier({ key: SECRET, algorithms: ['HS256'] });

describe('npm run token', () => {
  it('prints exactly one HS256 token with sub, role, org, iat and exp', async () => {
    const run = await runToken(['--role', 'bydel', '--org', 'bydel-frogner', '--ttl', '2h']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);

    const claims = verify(run.stdout.trim());
    expect(claims).toMatchObject({ sub: 'dev-bydel', role: 'bydel', org: 'bydel-frogner' });
    expect(claims.exp - claims.iat).toBe(2 * 3600);
    expect(Math.abs(claims.iat - Date.now() / 1000)).toBeLessThan(60);
  });

  it('signs an admin token without org, with the given subject, name and e-mail and the default 8h lifetime', async () => {
    const run = await runToken([
      '--role',
      'admin',
      '--sub',
      'ops-1',
      '--name',
      'Ola Drift',
      '--email',
      'ola@drift.test',
    ]);
    expect(run.code).toBe(0);
    const claims = verify(run.stdout.trim());
    expect(claims).toMatchObject({ sub: 'ops-1', role: 'admin', name: 'Ola Drift', email: 'ola@drift.test' });
    expect(claims).not.toHaveProperty('org');
    expect(claims.exp - claims.iat).toBe(8 * 3600);
  });

  it('refuses an institution token without --org, with one line on stderr and exit code 2', async () => {
    const run = await runToken(['--role', 'institution']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('--org is required');
  });

  it('refuses an unknown role and an admin with --org', async () => {
    const [unknown, adminWithOrg] = await Promise.all([
      runToken(['--role', 'superuser']),
      runToken(['--role', 'admin', '--org', 'x']),
    ]);
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(adminWithOrg).toMatchObject({ code: 2, stdout: '' });
  });
});
