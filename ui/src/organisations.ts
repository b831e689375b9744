// Organisations offered by the development login and the registration form. Ids are what the API stores; the
// real catalogue (with notification recipients) belongs to a later admin issue.
export type Organisation = { id: string; name: string };

export const BYDELER: Organisation[] = [
  ['alna', 'Alna'],
  ['bjerke', 'Bjerke'],
  ['frogner', 'Frogner'],
  ['gamle-oslo', 'Gamle Oslo'],
  ['grorud', 'Grorud'],
  ['grunerlokka', 'Grünerløkka'],
  ['nordre-aker', 'Nordre Aker'],
  ['nordstrand', 'Nordstrand'],
  ['sagene', 'Sagene'],
  ['st-hanshaugen', 'St. Hanshaugen'],
  ['stovner', 'Stovner'],
  ['sondre-nordstrand', 'Søndre Nordstrand'],
  ['ullern', 'Ullern'],
  ['vestre-aker', 'Vestre Aker'],
  ['ostensjo', 'Østensjø'],
].map(([id, name]) => ({ id: `bydel-${id}`, name: `Bydel ${name}` }));

export const INSTITUTIONS: Organisation[] = [
  { id: 'inst-1', name: 'Institusjon 1 (Velferdsetaten)' },
  { id: 'inst-2', name: 'Institusjon 2 (Velferdsetaten)' },
  { id: 'inst-3', name: 'Institusjon 3 (Velferdsetaten)' },
];

const NAMES = new Map([...BYDELER, ...INSTITUTIONS].map((o) => [o.id, o.name]));

/** The name of a known organisation, else its id as stored. */
export const orgName = (id: string | null | undefined): string => (id ? (NAMES.get(id) ?? id) : '–');
