#!/bin/sh
# Runs once, when the data directory is first initialised (the official image runs every
# /docker-entrypoint-initdb.d/*.sh then). One login role per service, each owning its schema:
# identity-service cannot read entitlement's tables and the other way round. Passwords come from
# the Secrets clearance-identity-db and clearance-entitlement-db (environment of this container).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v identity_user="$IDENTITY_DB_USERNAME" -v identity_password="$IDENTITY_DB_PASSWORD" \
  -v entitlement_user="$ENTITLEMENT_DB_USERNAME" -v entitlement_password="$ENTITLEMENT_DB_PASSWORD" \
  -v db="$POSTGRES_DB" <<'SQL'
CREATE ROLE :"identity_user" LOGIN PASSWORD :'identity_password';
CREATE ROLE :"entitlement_user" LOGIN PASSWORD :'entitlement_password';
GRANT CONNECT ON DATABASE :"db" TO :"identity_user", :"entitlement_user";
CREATE SCHEMA identity AUTHORIZATION :"identity_user";
CREATE SCHEMA entitlement AUTHORIZATION :"entitlement_user";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
SQL
