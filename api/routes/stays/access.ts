import type { FastifyInstance } from 'fastify';
import { scopeOf, type Caller } from '../../plugins/app/auth';
import type { BydelRefusal } from '../../plugins/app/organisations';
import { HttpProblem, notFound } from '../../problem';

export const NO_STAY = 'No stay with this id is visible to you.';

const BYDEL_REFUSAL: Record<BydelRefusal, string> = {
  unknown: 'no organisation has this id',
  inactive: 'it has been deactivated',
  'not-a-bydel': 'it is an institution',
};

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
    /**
     * A stay names only a registered, active bydel (registration, bydel change, a move to another bydel): a typo or
     * a closed bydel would leave the resident with no bydel that sees the stay. 422 with the field named.
     */
    async requireActiveBydel(bydelId: string, field: string): Promise<void> {
      const refusal = await app.organisations.bydelRefusal(bydelId);
      if (!refusal) return;
      throw new HttpProblem(
        422,
        'Unprocessable Content',
        `${bydelId} is not a registered, active bydel (${BYDEL_REFUSAL[refusal]}); see GET /api/organisations?kind=bydel&active=true for the bydeler a stay can name.`,
        { code: 'not-an-active-bydel', errors: [{ path: `body.${field}`, message: 'not a registered, active bydel' }] },
      );
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
