/** A person by name (from their login or the stay's contacts); someone the app cannot name is "en kollega". */
export const personName = (name: string | null, sub: string | null, me: string | undefined) =>
  sub && sub === me ? 'deg' : (name ?? 'en kollega');
