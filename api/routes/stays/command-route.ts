import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { STAY_COMMANDS, type StayCommandInput, type StayCommandName } from '../../../workflows/stay/definitions';
import { actorOf, type Caller } from '../../plugins/app/auth';
import { forbidden } from '../../problem';
import { stayAccess } from './access';
import { IdempotencyHeaders, StayView } from '../../../schemas/stays';

/** A command's input as a route gives it: everything but the actor, which is the caller. */
export type CommandBody<N extends StayCommandName> = Omit<StayCommandInput<N>, 'actor'>;

type StayViewBody = z.infer<typeof StayView>;

export type CommandRoute<N extends StayCommandName, P extends z.ZodType<{ id: string }>, B extends z.ZodType> = {
  method: 'POST' | 'PUT';
  url: string;
  command: N;
  summary: string;
  description?: string;
  tags: string[];
  params: P;
  body: B;
  /** The command's input from the request; throws a problem for what only the route can check (path, body). */
  input(req: { params: z.infer<P>; body: z.infer<B>; caller: Caller }): CommandBody<N> | Promise<CommandBody<N>>;
  /** The answer once the workflow accepted it; by default the stay read back in the caller's scope. */
  answer?(id: string, caller: Caller, input: CommandBody<N>): Promise<StayViewBody>;
};

/**
 * Every command route of a stay: scope check (outside it: 404), the roles of the command table (403), the route's
 * own input checks, the Update (answered once the workflow accepted it and the read model has it), the stay read back.
 */
export function commandRoutes(app: FastifyInstance) {
  const { requireResponsible, answer } = stayAccess(app);
  return <N extends StayCommandName, P extends z.ZodType<{ id: string }>, B extends z.ZodType>(
    route: CommandRoute<N, P, B>,
  ) => {
    const { roles, notPermitted } = STAY_COMMANDS[route.command];
    app.withTypeProvider<ZodTypeProvider>().route({
      method: route.method,
      url: route.url,
      schema: {
        summary: route.summary,
        description: route.description,
        tags: route.tags,
        params: route.params,
        headers: IdempotencyHeaders,
        body: route.body,
        response: { 200: StayView },
      },
      handler: async (req) => {
        const caller = req.user;
        const params = req.params as z.infer<P>;
        await requireResponsible(params.id, caller);
        if (!roles.includes(caller.role))
          throw forbidden(notPermitted ?? `Only ${roles.join(' or ')} users can do this.`);
        const input = await route.input({ params, body: req.body as z.infer<B>, caller });
        await app.stayCommands.execute(
          route.command,
          params.id,
          { ...input, actor: actorOf(caller) } as StayCommandInput<N>,
          req.headers['idempotency-key'],
        );
        return route.answer ? route.answer(params.id, caller, input) : answer(params.id, caller, req.id);
      },
    });
  };
}
