#!/usr/bin/env bash
# Fuzzes the API with schemathesis (PyPI) against its own OpenAPI document, on the embedded stack, as two kinds of
# caller (admin; an institution user with a stay of its own). Prints figures; not a test.
#   bash bench/fuzz.sh [examples-per-operation=50]
# Checks: all of them (no 5xx, status codes, schemas and content types as documented, refused invalid input and
# missing auth, 405 for undeclared methods, …); exits non-zero when any caller run has a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
examples=${1:-50}
venv=.venv-fuzz
# pinned: a new schemathesis release brings new checks, which should arrive as a change of this line, not as a red CI
SCHEMATHESIS_VERSION=4.32.5
[ "$("$venv/bin/schemathesis" --version 2>/dev/null | grep -o '[0-9.]*$')" = "$SCHEMATHESIS_VERSION" ] ||
  { python3 -m venv "$venv" && "$venv/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"; }
# FUZZ_SEED makes a run reproducible (CI uses one); without it every run explores new inputs
seed=()
[ -n "${FUZZ_SEED:-}" ] && seed=(--seed "$FUZZ_SEED")

dir=$(mktemp -d); chmod 755 "$dir"
port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
export DATA_DIR="$dir/data" PORT=$(port) TEMPORAL_PORT=$(port) TEMPORAL_UI_PORT=$(port) PG_PORT=$(port) MAIL_SMTP_PORT=$(port) MAIL_UI_PORT=$(port)
# The fuzzer sends thousands of requests, many with bad tokens on purpose: lift the rate limits, not the checks.
export AUTH_JWT_SECRET=fuzz-secret-fuzz-secret-fuzz-secret RATE_LIMIT_PER_MINUTE=1000000 AUTH_FAILURES_PER_MINUTE=1000000 LOG_LEVEL=warn
node --import tsx scripts/start.ts > "$dir/stack.log" 2>&1 &
stack=$!
trap 'kill -TERM $stack 2>/dev/null; wait $stack 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$dir"' EXIT
base="http://127.0.0.1:$PORT"
for _ in $(seq 1 120); do curl -fs "$base/health" >/dev/null 2>&1 && break; sleep 1; done

admin=$(npx tsx scripts/token.ts --role admin)
inst=$(npx tsx scripts/token.ts --role institution --org inst-fuzz)
curl -fs -X POST "$base/api/stays" -H "authorization: Bearer $inst" -H 'content-type: application/json' \
  -d "{\"residentRef\":\"R-FUZZ\",\"institutionId\":\"inst-fuzz\",\"bydelId\":\"bydel-grorud\",\"admittedAt\":\"$(date +%F)\"}" >/dev/null

failed=0
for who in admin inst; do
  token=${!who}
  out="$dir/report-$who.json"
  set +e
  "$venv/bin/schemathesis" --config-file bench/schemathesis.toml run "$base/docs/json" -H "Authorization: Bearer $token" -n "$examples" "${seed[@]}" \
    --checks all --phases examples,coverage,fuzzing \
    --request-timeout 20 --report ndjson --report-ndjson-path "$dir/$who.ndjson" > "$dir/$who.txt" 2>&1
  status=$?
  set -e
  cases=$(grep -A1 '^Test cases:' "$dir/$who.txt" | tail -1 | xargs || true)
  echo "caller=$who exit=$status test cases: $cases"
  [ $status -eq 0 ] || { failed=$((failed+1)); sed -n '/FAILURES/,$p' "$dir/$who.txt" | grep -E '^_+ |^- ST|^    ' | head -200 || true; }
done
echo "fuzz: $failed caller run(s) with failures"
[ "$failed" -eq 0 ]
