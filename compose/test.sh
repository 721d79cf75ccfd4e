#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what the tests need, builds once, runs every test project,
# and ends with one line of totals ("N passed, N failed[, N skipped]").
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null; then
  echo "The .NET 10 SDK is required (https://dot.net)." >&2
  exit 1
fi

# Servers and libraries the tests use, from Debian: nats-server and Mosquitto (the NATS and MQTT sink tests),
# PostgreSQL (the PostgreSQL store's tests and the multi-node test; tests/Shared/PostgresServer.cs runs its own
# throwaway clusters with initdb/pg_ctl, as the postgres user when run as root), kcat (reads back what the gateway
# produced; it brings Debian's librdkafka for itself, which the gateway never loads: librdkafka comes from the
# librdkafka.redist package, mock cluster included), Node.js (the OpenWhisk feed action) and openssl (the throwaway
# certificate authorities of the TLS tests).
missing=()
command -v nats-server >/dev/null || [ -x /usr/sbin/nats-server ] || missing+=(nats-server)
command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || missing+=(mosquitto)
command -v node >/dev/null || missing+=(nodejs)
command -v kcat >/dev/null || missing+=(kcat)
command -v openssl >/dev/null || missing+=(openssl)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
# The Debian package creates the postgres system user; the tests need it to run initdb/pg_ctl when run as root.
if [ "$(id -u)" -eq 0 ] && ! id -u postgres >/dev/null 2>&1; then
  useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
fi

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

dotnet build Gateway.sln -c Release -nologo -clp:ErrorsOnly
status=0
dotnet test Gateway.sln -c Release --no-build -nologo --logger "trx" --results-directory "$results" || status=$?

# Totals from the TRX files, so the line counts every project, whatever the console printed.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  # A skipped test is in the total but not executed (the TRX's notExecuted counter stays 0 for xunit's skips).
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
done

if [ "$passed" -eq 0 ]; then
  echo "no test ran" >&2
  status=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
