/**
 * Staff by their login (`sub`), one rule wherever a person is shown or written to: what their own login said
 * (user_directory, from the token's `name` and `email` claims), else the stay's contact that carries that login.
 */
const fromContact = (column: 'name' | 'email', userColumn: string, stayColumn: string) =>
  `(SELECT c.${column} FROM stay_contacts c WHERE c.stay_id = ${stayColumn} AND c.user_id = ${userColumn}
     AND c.${column} IS NOT NULL ORDER BY c.position LIMIT 1)`;

/** SQL for a person's name by their login (`userColumn`) on a stay (`stayColumn`). */
export const personNameSql = (userColumn: string, stayColumn: string) => `COALESCE(
  (SELECT u.name FROM user_directory u WHERE u.sub = ${userColumn}), ${fromContact('name', userColumn, stayColumn)})`;

/** SQL for a person's e-mail address by their login: how an alarm reaches the one who follows the deadline up. */
export const personEmailSql = (userColumn: string, stayColumn: string) => `COALESCE(
  (SELECT u.email FROM user_directory u WHERE u.sub = ${userColumn}), ${fromContact('email', userColumn, stayColumn)})`;

/** SQL for the organisation a person works for: their login's, else the stay contact's with that login. */
export const personOrgSql = (userColumn: string, stayColumn: string) => `COALESCE(
  (SELECT u.org FROM user_directory u WHERE u.sub = ${userColumn}),
  (SELECT c.organisation_id FROM stay_contacts c WHERE c.stay_id = ${stayColumn} AND c.user_id = ${userColumn}
     ORDER BY c.position LIMIT 1))`;
