// An agreed extra status report (§2.2); the form is generated from the API's ExtraStatusReportBody.
import { PktButton } from '@oslokommune/punkt-react';
import { useRef, useState } from 'react';
import { ExtraStatusReportBody } from '../../../schemas/stays';
import { milestoneRule } from '../../../rules/milestones';
import { api, type Stay } from '../api';
import { SchemaForm, specsOf } from '../forms/schema-form';
import { formatDate } from '../format';
import { fieldLabel } from '../texts';

const extraReportSpecs = specsOf(ExtraStatusReportBody);

/** §2.2: an agreed additional status report, due on its own date; it appears in the timeline as its own milestone. */
export function ExtraStatusReportForm(props: { stay: Stay; onDone(stay: Stay, notice: string): void }) {
  const [open, setOpen] = useState(false);
  const agreed = useRef('');
  const section = milestoneRule('extra-status-report').section;
  return (
    <section aria-labelledby="ekstra-statusrapport" className="block">
      <h2 id="ekstra-statusrapport" className="pkt-txt-22-medium">
        Ekstra statusrapport ({section})
      </h2>
      <p>
        Har institusjonen og bydelen avtalt en statusrapport i tillegg til den faste? Registrer fristen, så følges den
        opp som de andre fristene.
      </p>
      {!open && (
        <PktButton type="button" skin="secondary" size="small" onClick={() => setOpen(true)}>
          Avtal ekstra statusrapport
        </PktButton>
      )}
      {open && (
        <SchemaForm
          idPrefix="ekstra-statusrapport"
          specs={extraReportSpecs}
          ariaLabel="Avtal ekstra statusrapport"
          submitLabel="Lagre avtalt statusrapport"
          labelOf={(name) => fieldLabel('extra-status-report:agree', name)}
          refusal={{
            admittedAt: props.stay.admittedAt,
            dateField: 'dueDate',
            messages: {
              'date-before-prerequisite': {
                field: 'dueDate',
                message: 'Fristen har allerede passert. Velg dagens dato eller en senere dato.',
              },
              'already-done': {
                field: 'dueDate',
                message: 'En ekstra statusrapport med denne fristen er allerede avtalt.',
              },
            },
          }}
          submit={(body) => {
            agreed.current = String(body.dueDate ?? '');
            return api<Stay>(`/api/stays/${props.stay.id}/extra-status-reports`, { method: 'POST', body });
          }}
          onDone={(stay) => {
            setOpen(false);
            props.onDone(stay, `Ekstra statusrapport med frist ${formatDate(agreed.current)} er avtalt.`);
          }}
          onCancel={() => setOpen(false)}
        />
      )}
    </section>
  );
}
