// Prints one HS256 JWT for local use and nothing else, so that `TOKEN=$(npm run --silent token -- --role admin)` works.
import { parseArgs } from 'node:util';
import { createSigner } from 'fast-jwt';
import { loadConfig } from '../config/env';

const ROLES = ['institution', 'bydel', 'admin'] as const;
type Role = (typeof ROLES)[number];

const USAGE =
  'usage: npm run --silent token -- --role institution|bydel|admin [--org ORG] [--sub USER] [--name NAME] [--ttl 8h]';
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
const MAX_TTL_SECONDS = 30 * 86_400;

function fail(message: string, exitCode = 2): never {
  process.stderr.write(`token: ${message}\n`);
  process.exit(exitCode);
}

/** "90", "90s", "30m", "8h", "2d" → seconds. */
function parseTtl(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!match) fail(`--ttl must look like 3600, 30m, 8h or 2d, got "${text}"`);
  const seconds = Number(match[1]) * UNIT_SECONDS[(match[2] || 's') as keyof typeof UNIT_SECONDS];
  if (seconds <= 0 || seconds > MAX_TTL_SECONDS) fail('--ttl must be between 1 second and 30 days');
  return seconds;
}

function readArgs(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        role: { type: 'string' },
        org: { type: 'string' },
        sub: { type: 'string' },
        name: { type: 'string' },
        ttl: { type: 'string', default: '8h' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    fail(`${(err as Error).message.split('\n')[0]}; ${USAGE}`);
  }
}

function parse(argv: string[]) {
  const values = readArgs(argv);
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const role = values.role as Role | undefined;
  if (!role) fail(`--role is required; ${USAGE}`);
  if (!ROLES.includes(role)) fail(`--role must be one of ${ROLES.join(', ')}, got "${role}"`);
  const org = values.org?.trim();
  if (role === 'admin' && values.org !== undefined)
    fail('--org must not be given for --role admin (admins are not tied to an organisation)');
  if (role !== 'admin' && !org) fail(`--org is required for --role ${role}`);
  const sub = values.sub?.trim() ?? `dev-${role}`;
  if (!sub) fail('--sub must not be empty');
  const name = values.name?.trim() || undefined;
  return { role, org, sub, name, ttlSeconds: parseTtl(values.ttl) };
}

const { role, org, sub, name, ttlSeconds } = parse(process.argv.slice(2));

let secret: string;
try {
  secret = loadConfig().jwtSecret;
} catch (err) {
  fail((err as Error).message.replace(/\s*\n\s*/g, ' '), 1);
}

const sign = createSigner({ key: secret, algorithm: 'HS256', expiresIn: ttlSeconds * 1000 });
process.stdout.write(`${sign({ sub, role, ...(org ? { org } : {}), ...(name ? { name } : {}) })}\n`);
