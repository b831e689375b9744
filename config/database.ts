import pg from 'pg';

// A DATE column is a calendar date in Oslo: keep it as 'YYYY-MM-DD', never turn it into a JS Date
// (which would shift it by the process's time zone).
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export function createPool(connectionString: string, max = 10): pg.Pool {
  return new pg.Pool({ connectionString, max, connectionTimeoutMillis: 5_000 });
}
