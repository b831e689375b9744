// One form per milestone, built from the same zod schema the API validates with (rules/milestone-details.ts):
// a field added to a milestone's record appears here, and the API's answer for it lands next to it.
import { milestoneRule } from '../../../rules/milestones';
import { isMilestoneKey } from '../../../rules/types';
import { api, type Stay } from '../api';
import { fieldLabel, milestoneTitle } from '../texts';
import { SchemaForm } from './schema-form';
import { completionSpecs } from './specs';

export { completionSpecs };

export function CompletionForm(props: {
  stay: Stay;
  milestoneKey: string;
  onDone(stay: Stay): void;
  onCancel(): void;
}) {
  const { stay, milestoneKey: key } = props;
  return (
    <SchemaForm
      idPrefix={`fullfor-${key}`}
      specs={completionSpecs(key)!}
      ariaLabel={`Registrer «${milestoneTitle(key)}»`}
      submitLabel="Registrer som fullført"
      labelOf={(name) => fieldLabel(key, name)}
      refusal={{
        admittedAt: stay.admittedAt,
        dateField: 'doneAt',
        requires: isMilestoneKey(key) ? milestoneRule(key).requires : [],
      }}
      submit={(body) => api<Stay>(`/api/stays/${stay.id}/milestones/${key}`, { method: 'POST', body })}
      onDone={props.onDone}
      onCancel={props.onCancel}
    />
  );
}
