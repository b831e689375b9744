import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Pool } from 'pg';

/** What was already written per login, so that a request writes only when a name or address is new or changed. */
const CACHE_LIMIT = 10_000;

/**
 * Keeps the user directory (sub → name, e-mail) from the `name` and `email` claims of verified tokens, so people are
 * shown by name (who took an escalation) and an alarm reaches the one who took it (outbox/people.ts). Runs after
 * authentication, on every route that has a caller. A login without an `email` claim keeps no address: the stay's
 * contact with that login gives it then.
 */
export function createUserDirectory(pool: Pool) {
  const known = new Map<string, string>();
  return {
    async remember(user: { sub: string; name?: string; email?: string; role: string; org?: string }): Promise<void> {
      const seen = `${user.name}\u0000${user.email ?? ''}`;
      if (!user.name || known.get(user.sub) === seen) return;
      await pool.query(
        `INSERT INTO user_directory (sub, name, email, role, org, updated_at) VALUES ($1, $2, $3, $4, $5, now())
         ON CONFLICT (sub) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, role = EXCLUDED.role,
           org = EXCLUDED.org, updated_at = now()`,
        [user.sub, user.name, user.email ?? null, user.role, user.org ?? null],
      );
      if (known.size >= CACHE_LIMIT) known.clear();
      known.set(user.sub, seen);
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    userDirectory: ReturnType<typeof createUserDirectory>;
  }
}

export default fp(
  async (app: FastifyInstance, opts: { pool: Pool }) => {
    const directory = createUserDirectory(opts.pool);
    app.decorate('userDirectory', directory);
    // preHandler: after every onRequest hook, so after the route's authentication
    app.addHook('preHandler', async (request: FastifyRequest) => {
      if (request.user) await directory.remember(request.user);
    });
  },
  { name: 'user-directory', dependencies: ['auth'] },
);
