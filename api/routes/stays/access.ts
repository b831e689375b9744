import type { FastifyInstance } from 'fastify';
import { accessLogRow } from '../../plugins/app/access-log';
import { scopeOf, type Caller } from '../../plugins/app/auth';
import type { BydelRefusal } from '../../plugins/app/organisations';
import type { ReadScope } from '../../plugins/app/read-model/stays-repository';
import { forbidden, HttpProblem, notFound } from '../../problem';

export const NO_STAY = 'No stay with this id is visible to you.';

const BYDEL_REFUSAL: Record<BydelRefusal, string> = {
  unknown: 'no organisation has this id',
  inactive: 'it has been deactivated',
  'not-a-bydel': 'it is an institution',
};

/** What a caller may read: its own scope, and for a bydel also the stays of residents moving to it (§3). */
export const readScopeOf = (caller: Caller): ReadScope =>
  caller.role === 'bydel' ? { ...scopeOf(caller), withMovingIn: true } : scopeOf(caller);

/**
 * Scope checks shared by the stay routes: a stay outside the caller's scope is reported as absent (404). A bydel
 * that a resident is moving to reads the stay, but records nothing until the bydel change hands it over (403).
 */
export function stayAccess(app: FastifyInstance) {
  const access = {
    async requireVisible(id: string, caller: Caller): Promise<void> {
      if (!(await app.stayReadModel.isVisible(id, readScopeOf(caller)))) throw notFound(NO_STAY);
    },
    /** For commands: the stay must be the caller's own (its institution, its current bydel, or an admin). */
    async requireResponsible(id: string, caller: Caller): Promise<void> {
      if (await app.stayReadModel.isVisible(id, scopeOf(caller))) return;
      await access.requireVisible(id, caller);
      throw forbidden(
        `The resident is moving to ${caller.org}, so you can read this stay, but the current bydel records what happens until the bydel change (event bydel-changed) hands the stay over to ${caller.org}.`,
      );
    },
    async readBack(id: string, caller: Caller) {
      const view = await app.stayReadModel.getStay(id, readScopeOf(caller));
      if (!view) throw notFound(NO_STAY);
      return view;
    },
    /** The stay as a command answers with it: read back with its access-log row, in one statement. */
    async answer(id: string, caller: Caller, requestId: string) {
      const view = await app.stayReadModel.getStay(id, readScopeOf(caller), accessLogRow(caller, 'command', requestId));
      if (!view) throw notFound(NO_STAY);
      app.accessLog.recorded(requestId, id);
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
  };
  return access;
}
