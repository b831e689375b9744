// The stay's contacts as the exit plan names them: read once per page, and how a contact or a task's owner reads.
import { useEffect, useState } from 'react';
import type { ExitPlanTask } from '../../../rules/exit-plan';
import type { Contact } from '../../../schemas/contacts';
import { api } from '../api';
import { EXIT_PLAN_RESPONSIBLE } from '../texts';

export const CONTACT_ROLE: Record<Contact['role'], string> = {
  'primary-contact': 'Primærkontakt',
  'bydel-contact': 'Kontakt i bydelen',
  'housing-follow-up-worker': 'Booppfølger',
  other: 'Annen kontakt',
};

/** The stay's contacts (names and numbers for the plan); an empty list when they cannot be read. */
export function useContacts(stayId: string) {
  const [contacts, setContacts] = useState<Contact[] | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    api<{ contacts: Contact[] }>(`/api/stays/${stayId}/contacts`, { signal: controller.signal })
      .then((r) => setContacts(r.contacts))
      .catch((err) => (err as Error).name !== 'AbortError' && setContacts([]));
    return () => controller.abort();
  }, [stayId]);
  return contacts;
}

/** "Kari Primær (Primærkontakt)" — a contact named in the plan but since removed from the stay's list says so. */
export const contactName = (contacts: Contact[], id: string) => {
  const c = contacts.find((x) => x.id === id);
  return c ? `${c.name} (${CONTACT_ROLE[c.role]})` : 'Kontakt som er fjernet fra listen';
};

export function ownerOf(task: ExitPlanTask, contacts: Contact[]): string {
  const who = task.ownerContactId ? contactName(contacts, task.ownerContactId) : task.ownerName;
  const party = EXIT_PLAN_RESPONSIBLE[task.owner] ?? task.owner;
  return who ? `${who}, ${party.toLowerCase()}` : party;
}
