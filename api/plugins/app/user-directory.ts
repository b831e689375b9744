import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Pool } from 'pg';

/**
 * SQL for a person's name, by their login (`userColumn`): the `name` claim of their login (user_directory), else the
 * name of the stay's contact (`stayColumn`) with that login. One rule wherever staff are shown by name.
 */
export const personNameSql = (userColumn: string, stayColumn: string) => `COALESCE(
  (SELECT u.name FROM user_directory u WHERE u.sub = ${userColumn}),
  (SELECT c.name FROM stay_contacts c WHERE c.stay_id = ${stayColumn} AND c.user_id = ${userColumn} ORDER BY c.position LIMIT 1))`;

/** Names already written, so that a request writes only when a name is new or changed. */
const CACHE_LIMIT = 10_000;

/**
 * Keeps the user directory (sub → name) from the `name` claim of verified tokens, so people are shown by name
 * (who took an escalation). Runs after authentication, on every route that has a caller.
 */
export function createUserDirectory(pool: Pool) {
  const known = new Map<string, string>();
  return {
    async remember(user: { sub: string; name?: string; role: string; org?: string }): Promise<void> {
      if (!user.name || known.get(user.sub) === user.name) return;
      await pool.query(
        `INSERT INTO user_directory (sub, name, role, org, updated_at) VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (sub) DO UPDATE SET name = EXCLUDED.name, role = EXCLUDED.role, org = EXCLUDED.org, updated_at = now()`,
        [user.sub, user.name, user.role, user.org ?? null],
      );
      if (known.size >= CACHE_LIMIT) known.clear();
      known.set(user.sub, user.name);
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
