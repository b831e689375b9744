import { PktAlert, PktButton } from '@oslokommune/punkt-react';
import { useCallback, useEffect, useState } from 'react';
import type { MilestoneAssignee, MilestoneAssigneeList } from '../../../schemas/milestone-assignees';
import { api, ApiError, type Milestone } from '../api';
import { problemToFormErrors } from '../errors';
import { personName } from '../person-name';
import type { User } from '../session';
import { milestoneTitle } from '../texts';

/** Who follows up which milestone of the stay ("Ta saken"), loaded with the page; take and give back. */
export function useMilestoneAssignees(stayId: string | undefined) {
  const [assignees, setAssignees] = useState<MilestoneAssignee[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<{ milestone: string; message: string } | null>(null);
  useEffect(() => {
    if (!stayId) return;
    const controller = new AbortController();
    api<MilestoneAssigneeList>(`/api/stays/${stayId}/assignees`, { signal: controller.signal })
      .then((r) => setAssignees(r.assignees))
      // the page works without the names; a refusal to read them shows no milestone as taken
      .catch(() => undefined);
    return () => controller.abort();
  }, [stayId]);

  const change = useCallback(
    async (milestone: string, method: 'PUT' | 'DELETE') => {
      setBusy(milestone);
      setError(null);
      try {
        const r = await api<MilestoneAssigneeList>(`/api/stays/${stayId}/milestones/${milestone}/assignee`, {
          method,
        });
        setAssignees(r.assignees);
      } catch (err) {
        const code = err instanceof ApiError ? err.problem.code : undefined;
        setError({
          milestone,
          message:
            code === 'milestone-settled'
              ? 'Milepælen er fullført eller ikke aktuell lenger, så det er ingenting å følge opp.'
              : code === 'held-by-another'
                ? 'En kollega følger opp milepælen. Bare den som tok saken, kan gi den fra seg.'
                : (problemToFormErrors(err, { kindOf: () => undefined }).form ?? 'Noe gikk galt. Prøv igjen.'),
        });
      } finally {
        setBusy(null);
      }
    },
    [stayId],
  );

  return { assignees, busy, error, change };
}

/**
 * The milestone's line "Følges opp av …" with "Ta saken" (or "Gi fra meg saken"), for a milestone still to be
 * done. A colleague's take is shown by name; taking it then takes it over.
 */
export function MilestoneAssigneeLine(props: {
  milestone: Milestone;
  state: ReturnType<typeof useMilestoneAssignees>;
  user: User | null;
  canAct: boolean;
}) {
  const { milestone: m, state, user } = props;
  if (m.status === 'done' || m.status === 'not-applicable') return null;
  const assignee = state.assignees.find((a) => a.milestone === m.key);
  const mine = !!assignee && assignee.userId === user?.sub;
  const staff = props.canAct && (user?.role === 'institution' || user?.role === 'bydel');
  const title = milestoneTitle(m.key, m.title);
  return (
    <div data-assignee={m.key}>
      <dt>Oppfølging</dt>
      <dd>
        <span data-testid="milestone-assignee">
          {assignee
            ? `Følges opp av ${personName(assignee.name, assignee.userId, user?.sub)}.`
            : 'Ingen har tatt saken ennå.'}
        </span>
        {mine && user?.email && (
          // what the one who took it can count on: the alarms of this deadline come to them, not only to coordinators
          <>
            {' '}
            <span data-testid="milestone-assignee-mail">
              Påminnelser og varsler om fristen sendes til {user.email}.
            </span>
          </>
        )}
        {staff && (
          // under the line it acts on, not beside it: Punkt's button is taller than a line of text
          <span className="assignee-action">
            {mine ? (
              <PktButton
                type="button"
                skin="tertiary"
                size="small"
                disabled={state.busy === m.key}
                aria-label={`Gi fra meg saken: ${title}`}
                onClick={() => state.change(m.key, 'DELETE')}
              >
                Gi fra meg saken
              </PktButton>
            ) : (
              <PktButton
                type="button"
                skin="tertiary"
                size="small"
                disabled={state.busy === m.key}
                aria-label={`Ta saken: ${title}`}
                onClick={() => state.change(m.key, 'PUT')}
              >
                Ta saken
              </PktButton>
            )}
          </span>
        )}
        {state.error?.milestone === m.key && (
          <PktAlert skin="error" role="alert" compact>
            {state.error.message}
          </PktAlert>
        )}
      </dd>
    </div>
  );
}
