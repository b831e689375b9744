import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * There is no Docker engine where this project is built, so the compose file and the Dockerfile are checked
 * statically: the compose file against the Compose Specification's own JSON schema (vendored from
 * compose-spec/compose-spec, see fixtures/README.md), plus the production rules of issue 8 that a schema cannot say.
 */

const root = new URL('../..', import.meta.url).pathname;
const read = (path: string) => readFileSync(join(root, path), 'utf8');

type Service = {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  healthcheck?: { test: unknown };
  restart?: string;
  env_file?: string | string[];
  volumes?: (string | { source?: string })[];
  depends_on?: Record<string, { condition: string }>;
  user?: string;
  secrets?: string[];
  networks?: string[];
  ports?: string[];
};
type ComposeFile = {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  secrets?: Record<string, { file: string }>;
  networks?: Record<string, { internal?: boolean }>;
};

// `merge: true` resolves the `<<: *app` merge keys the way docker compose does.
const compose = parse(read('docker-compose.yml'), { merge: true }) as ComposeFile;

function composeValidator() {
  const schema = JSON.parse(read('test/production/fixtures/compose-spec.json')) as Record<string, unknown>;
  // The schema names its draft as "https://json-schema.org/draft-07/schema", an id Ajv does not ship (it knows the
  // http one); the draft is Ajv's default anyway. strict: false because the spec uses annotations such as `deprecated`.
  delete schema.$schema;
  return new Ajv({ allErrors: true, strict: false }).compile(schema);
}

/** What compose would pull: `${VAR:-default}` resolved to its default. */
const resolveDefaults = (value: string) => value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

const isOneShot = (s: Service) => (s.restart ?? '').startsWith('on-failure');

describe('docker-compose.yml', () => {
  it('is valid according to the Compose Specification schema', () => {
    const validate = composeValidator();
    const valid = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('is checked for real: the schema rejects a malformed service', () => {
    const validate = composeValidator();
    const broken = structuredClone(compose) as unknown as { services: Record<string, Record<string, unknown>> };
    broken.services.api!.healthcheck = { test: ['CMD', 'true'], interval: 10 };
    broken.services.worker!.restart_policy = 'always';
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toEqual(
      expect.arrayContaining(['/services/api/healthcheck/interval', '/services/worker']),
    );
  });

  it('runs PostgreSQL, Temporal on PostgreSQL with its schema setup, the Web UI, and the api and worker roles', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      [
        'api',
        'migrate',
        'postgres',
        'temporal',
        'temporal-namespace',
        'temporal-schema',
        'temporal-ui',
        'worker',
      ].sort(),
    );
    expect(compose.services.temporal!.image).toMatch(/^temporalio\/server:/);
    expect(compose.services['temporal-schema']!.image).toMatch(/^temporalio\/admin-tools:/);
    expect(JSON.stringify(compose.services['temporal-schema']!.command)).toContain(
      'temporal-sql-tool --plugin postgres12',
    );
    expect(compose.services.temporal!.depends_on?.['temporal-schema']?.condition).toBe(
      'service_completed_successfully',
    );
    expect(compose.services['temporal-ui']!.image).toMatch(/^temporalio\/ui:/);
    // api and worker: one image built from the one Dockerfile, the role chosen by the entry point
    for (const [role, entry] of [
      ['api', 'api/server.ts'],
      ['worker', 'worker/main.ts'],
      ['migrate', 'scripts/migrate.ts'],
    ] as const) {
      const service = compose.services[role]!;
      expect(service.build).toEqual({ context: '.', dockerfile: 'Dockerfile' });
      expect(service.image).toBe(compose.services.api!.image);
      expect(service.command).toEqual(['node', '--import', 'tsx', entry]);
      expect(existsSync(join(root, entry))).toBe(true);
    }
  });

  it('pins every image to a version', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      const image = resolveDefaults(service.image ?? '');
      expect(image, name).toMatch(/^[a-z0-9./-]+:\d+\.\d+(\.\d+)?(-[a-z0-9.]+)?$/);
      expect(image, name).not.toMatch(/:latest$/);
    }
  });

  it('gives every long-running service a healthcheck, and waits on health or completion', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (!isOneShot(service)) expect(service.healthcheck?.test, name).toBeDefined();
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(compose.services[dependency], `${name} → ${dependency}`).toBeDefined();
        expect(condition).toBe(
          isOneShot(compose.services[dependency]!) ? 'service_completed_successfully' : 'service_healthy',
        );
      }
    }
  });

  it('keeps data in named volumes and secrets in git-ignored env files that have committed examples', () => {
    const mounts = (compose.services.postgres!.volumes ?? []).map((v) => (typeof v === 'string' ? v : `${v.source}`));
    // bind mounts (./…) are configuration, read-only; data lives in named volumes
    for (const bind of mounts.filter((m) => m.startsWith('.'))) expect(bind, bind).toMatch(/:ro$/);
    const named = mounts.filter((m) => !m.startsWith('.') && !m.startsWith('/')).map((m) => m.split(':')[0]);
    expect(named).toContain('pgdata');
    for (const volume of named) expect(compose.volumes, volume).toHaveProperty(volume!);

    const envFiles = new Set(
      Object.values(compose.services).flatMap((s) => (s.env_file === undefined ? [] : [s.env_file].flat())),
    );
    expect([...envFiles].sort()).toEqual([
      'deploy/api.env',
      'deploy/app.env',
      'deploy/migrate.env',
      'deploy/postgres.env',
      'deploy/temporal-ui.env',
    ]);
    for (const file of envFiles) {
      // exits 0 when the path is ignored
      expect(
        () => execFileSync('git', ['check-ignore', '-q', file], { cwd: root }),
        `${file} must be git-ignored`,
      ).not.toThrow();
      expect(existsSync(join(root, `${file}.example`)), `${file}.example`).toBe(true);
    }
    // No secret is written into the compose file itself.
    expect(read('docker-compose.yml')).not.toMatch(
      /PASSWORD:\s*\S|AUTH_JWT_SECRET:\s*\S|postgres:\/\/[^$\s]+:[^@$\s]+@/,
    );
  });

  it('gives the api and the worker the payload key ring as a git-ignored secret file, and the worker no token secret', () => {
    expect(compose.secrets?.payload_keys?.file).toBe('./deploy/secrets/payload-keys');
    expect(
      () => execFileSync('git', ['check-ignore', '-q', 'deploy/secrets/payload-keys'], { cwd: root }),
      'the key ring file must be git-ignored',
    ).not.toThrow();
    for (const role of ['api', 'worker']) expect(compose.services[role]!.secrets, role).toContain('payload_keys');
    expect(read('deploy/app.env.example')).toMatch(/^PAYLOAD_KEYS_FILE=\/run\/secrets\/payload_keys$/m);
    // The worker's settings hold no token secret; the api's own file (OIDC) is the api's alone.
    expect([compose.services.worker!.env_file].flat()).toEqual(['deploy/app.env']);
    expect(read('deploy/app.env.example')).not.toMatch(/AUTH_JWT_SECRET/);
    expect([compose.services.api!.env_file].flat()).toEqual(['deploy/app.env', 'deploy/api.env']);
  });

  it('keeps Temporal off every published port: only the api, worker, Web UI (with login) and admin tools reach it', () => {
    expect(compose.networks?.internal?.internal).toBe(true);
    expect(compose.services.temporal!.ports ?? []).toEqual([]);
    expect(compose.services.temporal!.networks).toEqual(['internal']);
    expect(compose.services.postgres!.networks).toEqual(['internal']);
    const reachTemporal = Object.entries(compose.services)
      .filter(([, s]) => (s.networks ?? []).includes('internal'))
      .map(([name]) => name)
      .sort();
    expect(reachTemporal).toEqual(
      [
        'api',
        'migrate',
        'postgres',
        'temporal',
        'temporal-namespace',
        'temporal-schema',
        'temporal-ui',
        'worker',
      ].sort(),
    );
    expect(JSON.stringify(compose.services['temporal-ui'])).toContain('"TEMPORAL_AUTH_ENABLED":"true"');
  });

  it('exposes the worker metrics and probes the API with /ready', () => {
    expect(JSON.stringify(compose.services.worker!.healthcheck)).toContain('9464/metrics');
    expect(JSON.stringify(compose.services.api!.healthcheck)).toContain('/ready');
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const stages = [...dockerfile.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gim)].map((m) => ({
    from: m[1]!,
    name: m[2],
  }));
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  it('is multi-stage on a pinned Node image that satisfies package.json engines', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const image = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
    expect(image).toMatch(/^node:\d+\.\d+\.\d+-[a-z]+-slim$/);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the Dockerfile's own build-arg reference, not a template.
    for (const stage of stages) expect(stage.from).toBe('${NODE_IMAGE}');
    const [, major, minor] = /^node:(\d+)\.(\d+)/.exec(image!)!;
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
    const [, wantMajor, wantMinor] = /(\d+)\.(\d+)/.exec(engines)!;
    expect(Number(major) * 1000 + Number(minor)).toBeGreaterThanOrEqual(Number(wantMajor) * 1000 + Number(wantMinor));
  });

  it('builds the workflow bundle at build time and installs production dependencies only for the runtime', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(dockerfile).toMatch(/npm run build:workflow-bundle/);
    expect(scripts['build:workflow-bundle']).toBeDefined();
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(runtime).toMatch(/COPY --from=build \/app\/dist \.\/dist/);
    expect(runtime).toMatch(/WORKFLOW_BUNDLE=\/app\/dist\/workflow-bundle\.js/);
    // Every source directory the runtime copies exists in the repository (dist and ui/dist are built).
    for (const [, dir] of runtime.matchAll(/^COPY --from=build \/app\/(\S+) /gm)) {
      if (dir === 'dist' || dir === 'ui/dist' || dir!.includes(' ')) continue;
      for (const path of dir!.split(/\s+\/app\//)) expect(existsSync(join(root, path)), path).toBe(true);
    }
  });

  it('runs as a non-root user', () => {
    const user = [...runtime.matchAll(/^USER\s+(\S+)/gm)].at(-1)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
  });

  it('keeps local state and secrets out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim());
    for (const entry of ['node_modules', '.git', 'data', '.venv', 'deploy/*.env', '.env', 'deploy/secrets'])
      expect(ignored).toContain(entry);
  });
});
