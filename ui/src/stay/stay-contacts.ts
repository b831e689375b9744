// How a contact or a task's owner reads in the exit plan, from the stay's contacts as `useContacts` (./contacts) read
// them: `null` when they could not be read, so that a plan never names a contact wrongly for want of the list.
import type { ExitPlanTask } from '../../../rules/exit-plan';
import type { Contact } from '../../../schemas/contacts';
import { EXIT_PLAN_RESPONSIBLE } from '../texts';

export const CONTACT_ROLE: Record<Contact['role'], string> = {
  'primary-contact': 'Primærkontakt',
  'bydel-contact': 'Kontakt i bydelen',
  'housing-follow-up-worker': 'Booppfølger',
  other: 'Annen kontakt',
};

/**
 * "Kari Primær (Primærkontakt)" — a contact named in the plan but since removed from the stay's list says so; when
 * the list could not be read, that a contact person is named (not that one was removed).
 */
export const contactName = (contacts: Contact[] | null, id: string) => {
  if (!contacts) return 'En kontaktperson (navnet kunne ikke hentes)';
  const c = contacts.find((x) => x.id === id);
  return c ? `${c.name} (${CONTACT_ROLE[c.role]})` : 'Kontakt som er fjernet fra listen';
};

export function ownerOf(task: ExitPlanTask, contacts: Contact[] | null): string {
  const who = task.ownerContactId ? contactName(contacts, task.ownerContactId) : task.ownerName;
  const party = EXIT_PLAN_RESPONSIBLE[task.owner] ?? task.owner;
  return who ? `${who}, ${party.toLowerCase()}` : party;
}
