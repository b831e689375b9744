/** The roles a person can have (the workflow itself acts as `system`). */
export const STAFF_ROLES = ['institution', 'bydel', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
