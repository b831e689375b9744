import type { FastifyInstance } from 'fastify';
import { scopeOf, type Caller } from '../../plugins/app/auth';
import { notFound } from '../../problem';

export const NO_STAY = 'No stay with this id is visible to you.';

/** Scope checks shared by the stay routes: a stay outside the caller's scope is reported as absent (404). */
export function stayAccess(app: FastifyInstance) {
  const access = {
    async requireVisible(id: string, caller: Caller): Promise<void> {
      if (!(await app.stayReadModel.isVisible(id, scopeOf(caller)))) throw notFound(NO_STAY);
    },
    async readBack(id: string, caller: Caller) {
      const view = await app.stayReadModel.getStay(id, scopeOf(caller));
      if (!view) throw notFound(NO_STAY);
      return view;
    },
    /** A command route: scope check, the command (answered once the workflow accepted it), the stay read back. */
    async command(id: string, caller: Caller, run: () => Promise<unknown>) {
      await access.requireVisible(id, caller);
      await run();
      return access.readBack(id, caller);
    },
  };
  return access;
}
