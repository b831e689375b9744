// The exit plan's named tasks (and the kriseplan's steps), and the stay's contacts to tick in it.
import { PktButton } from '@oslokommune/punkt-react';
import { EXIT_PLAN_OWNERS, EXIT_PLAN_TEXT_LIMITS, type ExitPlanTask } from '../../../rules/exit-plan';
import type { Contact } from '../../../schemas/contacts';
import { useRowKeys } from '../forms/row-keys';
import { formatDate, parseDateInput } from '../format';
import { orgName } from '../organisations';
import { EXIT_PLAN_RESPONSIBLE } from '../texts';
import { PlainSelect, PlainText } from '../forms/plain-fields';
import { CONTACT_ROLE } from './stay-contacts';

export type TaskDraft = {
  title: string;
  owner: string;
  ownerContactId: string;
  ownerName: string;
  dueOn: string;
  done: boolean;
};

export const emptyTask = (): TaskDraft => ({
  title: '',
  owner: '',
  ownerContactId: '',
  ownerName: '',
  dueOn: '',
  done: false,
});
export const taskDraft = (t: ExitPlanTask): TaskDraft => ({
  title: t.title,
  owner: t.owner,
  ownerContactId: t.ownerContactId ?? '',
  ownerName: t.ownerName ?? '',
  dueOn: t.dueOn ? formatDate(t.dueOn) : '',
  done: t.done ?? false,
});
/** What was typed, as the API takes it: empty optional fields left out, dates as YYYY-MM-DD. */
export const taskBody = (t: TaskDraft) => ({
  title: t.title,
  owner: t.owner,
  ...(t.ownerContactId ? { ownerContactId: t.ownerContactId } : {}),
  ...(t.ownerName.trim() ? { ownerName: t.ownerName } : {}),
  ...(t.dueOn.trim() ? { dueOn: parseDateInput(t.dueOn) } : {}),
  ...(t.done ? { done: true } : {}),
});

export const TASK_FIELDS = {
  title: 'oppgave',
  owner: 'ansvarlig',
  ownerContactId: 'person',
  ownerName: 'navn',
  dueOn: 'frist',
};

/** The named tasks of a part (or the kriseplan's steps): what, who (party and person), by when, done. */
export function TaskList(props: {
  partTitle: string;
  path: string;
  noun: 'oppgave' | 'tiltak';
  tasks: TaskDraft[];
  onChange(tasks: TaskDraft[]): void;
  contacts: Contact[];
  errors: Record<string, string>;
  idOf(path: string): string;
  max?: number;
}) {
  const max = props.max ?? EXIT_PLAN_TEXT_LIMITS.tasksPerPart;
  const rows = useRowKeys(props.tasks.length);
  const set = (i: number, change: Partial<TaskDraft>) =>
    props.onChange(props.tasks.map((t, j) => (j === i ? { ...t, ...change } : t)));
  const listError = props.errors[props.path];
  return (
    <div className="task-list">
      {listError && (
        <span className="field-error" id={`${props.idOf(props.path)}-error`}>
          {listError}
        </span>
      )}
      {props.tasks.map((t, i) => {
        const name = `${props.partTitle}, ${props.noun} ${i + 1}`;
        const at = (field: string) => `${props.path}.${i}.${field}`;
        return (
          <div key={rows.keys[i]} className="task-row" data-task={i}>
            <PlainText
              id={props.idOf(at('title'))}
              label={`${name}: hva`}
              visibleLabel={props.noun === 'tiltak' ? 'Tiltak' : 'Oppgave'}
              value={t.title}
              onChange={(title) => set(i, { title })}
              maxLength={EXIT_PLAN_TEXT_LIMITS.taskTitle}
              error={props.errors[at('title')]}
            />
            <PlainSelect
              id={props.idOf(at('owner'))}
              label={`${name}: ansvarlig`}
              visibleLabel="Ansvarlig"
              value={t.owner}
              onChange={(owner) => set(i, { owner })}
              options={EXIT_PLAN_OWNERS.map((o) => [o, EXIT_PLAN_RESPONSIBLE[o] ?? o])}
              error={props.errors[at('owner')]}
            />
            <PlainSelect
              id={props.idOf(at('ownerContactId'))}
              label={`${name}: person fra kontaktlisten`}
              visibleLabel="Person"
              value={t.ownerContactId}
              onChange={(ownerContactId) => set(i, { ownerContactId })}
              options={props.contacts.map((c) => [c.id, `${c.name} (${CONTACT_ROLE[c.role]})`])}
              emptyLabel="Ingen valgt"
              error={props.errors[at('ownerContactId')]}
            />
            {!t.ownerContactId && (
              <PlainText
                id={props.idOf(at('ownerName'))}
                label={`${name}: navn eller rolle, om personen ikke står i kontaktlisten`}
                visibleLabel="Eller navn/rolle"
                value={t.ownerName}
                onChange={(ownerName) => set(i, { ownerName })}
                maxLength={EXIT_PLAN_TEXT_LIMITS.ownerName}
                placeholder="f.eks. NAV-veileder"
                error={props.errors[at('ownerName')]}
              />
            )}
            <PlainText
              id={props.idOf(at('dueOn'))}
              label={`${name}: frist (dd.mm.åååå)`}
              visibleLabel="Frist"
              value={t.dueOn}
              onChange={(dueOn) => set(i, { dueOn })}
              maxLength={10}
              placeholder="dd.mm.åååå"
              error={props.errors[at('dueOn')]}
            />
            <div className="plain-field plain-field--check">
              <input
                type="checkbox"
                id={props.idOf(at('done'))}
                checked={t.done}
                onChange={(e) => set(i, { done: e.target.checked })}
              />
              <label htmlFor={props.idOf(at('done'))}>
                Utført<span className="pkt-sr-only">: {name}</span>
              </label>
            </div>
            <PktButton
              type="button"
              skin="tertiary"
              size="small"
              aria-label={`Fjern ${name}`}
              onClick={() => {
                rows.remove(i);
                props.onChange(props.tasks.filter((_, j) => j !== i));
              }}
            >
              Fjern
            </PktButton>
          </div>
        );
      })}
      {props.tasks.length < max && (
        <PktButton
          type="button"
          skin="tertiary"
          size="small"
          aria-label={`Legg til ${props.noun}: ${props.partTitle}`}
          onClick={() => props.onChange([...props.tasks, emptyTask()])}
        >
          {props.noun === 'tiltak' ? 'Legg til tiltak' : 'Legg til oppgave'}
        </PktButton>
      )}
    </div>
  );
}

/** Contacts of the stay, ticked (their names and numbers come from the contact list, not typed again). */
export function ContactPicker(props: {
  id: string;
  legend: string;
  contacts: Contact[];
  value: string[];
  onChange(ids: string[]): void;
  error?: string;
}) {
  return (
    <fieldset className="contact-picker" id={props.id}>
      <legend>{props.legend}</legend>
      {props.contacts.length === 0 && (
        <p className="muted">Oppholdet har ingen kontakter ennå. Legg dem inn i kontaktlisten først.</p>
      )}
      {props.contacts.map((c) => {
        const id = `${props.id}-${c.id}`;
        return (
          <div key={c.id} className="plain-field--check">
            <input
              type="checkbox"
              id={id}
              checked={props.value.includes(c.id)}
              onChange={(e) =>
                props.onChange(e.target.checked ? [...props.value, c.id] : props.value.filter((x) => x !== c.id))
              }
            />
            <label htmlFor={id}>
              {c.name} ({CONTACT_ROLE[c.role]}, {orgName(c.organisationId)})
            </label>
          </div>
        );
      })}
      {props.error && <span className="field-error">{props.error}</span>}
    </fieldset>
  );
}
