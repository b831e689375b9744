import type { StayEventType } from './types';

/** The roles a person can have (the workflow itself acts as `system`). */
export const STAFF_ROLES = ['institution', 'bydel', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Who may record which event: the institution discharges (§3); a bydel hands a stay over to another bydel. */
export const EVENT_ROLES: Record<StayEventType, readonly StaffRole[]> = {
  'housing-offered': ['institution', 'bydel', 'admin'],
  discharged: ['institution', 'admin'],
  'moved-in': ['institution', 'bydel', 'admin'],
  'ended-early': ['institution', 'bydel', 'admin'],
  'bydel-changed': ['bydel', 'admin'],
};

export const mayRecordEvent = (role: StaffRole, event: StayEventType): boolean => EVENT_ROLES[event].includes(role);

/** Who recorded something, as far as permissions go. */
export type Recorder = { role: StaffRole | 'system'; org: string | null };

/** A completion or event is corrected by the organisation that recorded it, or by an administrator. */
export const mayCorrect = (corrector: Recorder, recorder: Recorder): boolean =>
  corrector.role === 'admin' || (recorder.role === corrector.role && recorder.org === corrector.org);
