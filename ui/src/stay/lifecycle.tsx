// Recording the events of a stay's life after the first months (§3): housing offered, discharged, moved in, ended
// early, bydel changed. Each form is generated from the API's own zod schema for that body (schemas/stays.ts).
import { PktButton } from '@oslokommune/punkt-react';
import { useState } from 'react';
import { EVENT_BODIES } from '../../../schemas/stays';
import { mayRecordEvent } from '../../../rules/permissions';
import { STAY_EVENT_TYPES, type StayEventType } from '../../../rules/types';
import { api, type Stay } from '../api';
import { SchemaForm, specsOf } from '../forms/schema-form';
import { BYDELER } from '../organisations';
import type { Role } from '../session';
import { EVENT_TITLES, fieldLabel } from '../texts';

const bydelChoices = (name: string) =>
  name === 'receivingBydelId' || name === 'bydelId' ? BYDELER.map((b) => ({ value: b.id, label: b.name })) : undefined;

function eventOpen(stay: Stay, type: StayEventType): boolean {
  const t = stay.transition;
  if (stay.status !== 'active' || t.endedEarly) return false;
  switch (type) {
    case 'housing-offered':
      return !t.housingOffered;
    case 'discharged':
      return !t.dischargedOn;
    case 'moved-in':
      return !!t.housingOffered && !t.movedInOn;
    case 'ended-early':
      // after a discharge, only while no move-in is recorded: it records where the resident went instead
      return !t.dischargedOn || !t.movedInOn;
    default:
      return true;
  }
}

export function EventsPanel(props: { stay: Stay; role: Role; onDone(stay: Stay, notice: string): void }) {
  const [open, setOpen] = useState<StayEventType | null>(null);
  const types = STAY_EVENT_TYPES.filter((t) => mayRecordEvent(props.role, t) && eventOpen(props.stay, t));
  if (types.length === 0) return null;
  return (
    <section aria-labelledby="hendelser" className="block">
      <h2 id="hendelser" className="pkt-txt-22-medium">
        Registrer hendelse
      </h2>
      {!open && (
        <div className="form-actions">
          {types.map((t) => (
            <PktButton key={t} type="button" skin="secondary" size="small" onClick={() => setOpen(t)}>
              {EVENT_TITLES[t]}
            </PktButton>
          ))}
        </div>
      )}
      {open && (
        <div data-event-form={open}>
          <h3 className="pkt-txt-18-medium">{EVENT_TITLES[open]}</h3>
          <SchemaForm
            idPrefix={`hendelse-${open}`}
            specs={specsOf(EVENT_BODIES[open])}
            ariaLabel={`Registrer hendelse: ${EVENT_TITLES[open]}`}
            submitLabel="Registrer hendelsen"
            labelOf={(name) => fieldLabel(`event:${open}`, name)}
            choicesOf={bydelChoices}
            initial={{ date: '' }}
            refusal={{ admittedAt: props.stay.admittedAt, dateField: 'date' }}
            submit={(body) => api<Stay>(`/api/stays/${props.stay.id}/events/${open}`, { method: 'POST', body })}
            onDone={(stay) => {
              props.onDone(stay, `${EVENT_TITLES[open]} er registrert.`);
              setOpen(null);
            }}
            onCancel={() => setOpen(null)}
          />
        </div>
      )}
    </section>
  );
}
