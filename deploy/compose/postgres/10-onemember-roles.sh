#!/usr/bin/env bash
# Run once by the postgres image's entrypoint (/docker-entrypoint-initdb.d) on a new data volume:
# creates the OneMember database and roles with the passwords from the environment.
set -euo pipefail

: "${ONEMEMBER_OWNER_DB_PASSWORD:?ONEMEMBER_OWNER_DB_PASSWORD is not set}"
: "${ONEMEMBER_HUB_DB_PASSWORD:?ONEMEMBER_HUB_DB_PASSWORD is not set}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v owner_password="$ONEMEMBER_OWNER_DB_PASSWORD" \
  -v hub_password="$ONEMEMBER_HUB_DB_PASSWORD" \
  -f /onemember/onemember-roles.sql
