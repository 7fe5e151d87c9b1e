#!/bin/sh
# Run once by the postgres image when it initialises an empty data volume: creates the hubs' runtime
# role tram_app. It owns nothing (so it can neither create nor drop tables); each hub, migrating as
# the owner through MIGRATION_DATABASE_URL, grants it data access and keeps audit_log append-only
# (hub/src/db/runtime-role.ts). An existing volume needs the same CREATE ROLE once, by hand.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -v pw="$HUB_DB_PASSWORD" <<'SQL'
CREATE ROLE tram_app LOGIN PASSWORD :'pw';
GRANT CONNECT ON DATABASE tram TO tram_app;
SQL
