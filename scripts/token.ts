// Prints one HS256 JWT for local use and nothing else, so that `TOKEN=$(npm run --silent token -- --role admin)` works.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/env';
import { loadTokenAuth, parseTtlSeconds, signSharedSecretToken, type SharedSecretTokens } from '../config/token-auth';

const ROLES = ['institution', 'bydel', 'admin'] as const;
type Role = (typeof ROLES)[number];

const USAGE =
  'usage: npm run --silent token -- --role institution|bydel|admin [--org ORG] [--sub USER] [--name NAME] [--email ADDRESS] [--ttl 8h]';

function fail(message: string, exitCode = 2): never {
  process.stderr.write(`token: ${message}\n`);
  process.exit(exitCode);
}

/** "90", "90s", "30m", "8h", "2d" → seconds. */
function parseTtl(text: string): number {
  const seconds = parseTtlSeconds(text);
  if (!seconds) fail(`--ttl must look like 3600, 30m, 8h or 2d, got "${text}"`);
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
        email: { type: 'string' },
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
  const email = values.email?.trim() || undefined;
  if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) fail(`--email must be an e-mail address, got "${email}"`);
  return { role, org, sub, name, email, ttlSeconds: parseTtl(values.ttl) };
}

const { role, org, sub, name, email, ttlSeconds } = parse(process.argv.slice(2));

let tokens: SharedSecretTokens;
try {
  const auth = loadTokenAuth(loadConfig());
  if (auth.kind === 'oidc')
    fail('the API verifies OIDC tokens (OIDC_ISSUER is set): get a token from the identity provider', 1);
  tokens = auth.tokens;
} catch (err) {
  fail((err as Error).message.replace(/\s*\n\s*/g, ' '), 1);
}
if (ttlSeconds > tokens.maxTtlSeconds)
  fail(
    `--ttl must be at most ${tokens.maxTtlSeconds} seconds (AUTH_TOKEN_MAX_TTL: the API refuses longer-lived tokens)`,
  );
process.stdout.write(
  `${signSharedSecretToken(
    tokens,
    { sub, role, ...(org ? { org } : {}), ...(name ? { name } : {}), ...(email ? { email } : {}) },
    ttlSeconds,
  )}\n`,
);
