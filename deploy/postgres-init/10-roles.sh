#!/bin/sh
# docker-entrypoint-initdb.d: runs once, when the postgres container initialises an empty data directory.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v stays_db="$POSTGRES_DB" -v temporal_db=temporal -v visibility_db=temporal_visibility \
  -v app_login="${APP_DB_USER:-stays_api}" -v app_password="$APP_DB_PASSWORD" \
  -f /docker-entrypoint-initdb.d/roles.sql.in
