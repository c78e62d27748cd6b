#!/usr/bin/env bash
# Fails when api/src/db/schema.rs differs from what diesel_cli generates from the migrations.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
: "${DATABASE_URL:?load .local/services.env first}"
diesel=$TOOLS_DIR/diesel/bin/diesel
[[ -x $diesel ]] || bash "$ROOT/scripts/install-deps.sh" diesel
admin=$(admin_db_url)
db=ekyc_schema_check
psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
url="${DATABASE_URL%/*}/$db"
DATABASE_URL=$url "$EKYC_BIN" migrate >/dev/null
generated=$(mktemp)
trap 'rm -f "$generated"' EXIT
"$diesel" print-schema --database-url "$url" >"$generated"
psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"
if ! diff -u api/src/db/schema.rs "$generated"; then
    if [[ ${1:-} == --write ]]; then cp "$generated" api/src/db/schema.rs; echo "schema.rs updated"; exit 0; fi
    echo "api/src/db/schema.rs is out of date: run scripts/check-schema.sh --write" >&2
    exit 1
fi
echo "schema.rs matches the migrations"
