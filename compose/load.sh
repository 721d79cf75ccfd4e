#!/usr/bin/env bash
# End-to-end figures: the gateway against a bare ASP.NET Core endpoint, same client (wrk), same run.
# Usage: compose/load.sh [--duration 10] [--connections 32] [--runs 3] [--subscriptions 100] [--batch 10] [--auth off|keys]
#                        [--phases ingress,batch,e2e]
#        compose/load.sh changes [--changes 200]   (how fast a subscription change reaches a second node)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = changes ]; then
  # Two nodes on a throwaway PostgreSQL cluster (tests/Shared/PostgresServer.cs), as in the test suite.
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || { apt-get update -qq && apt-get install -y -qq postgresql; }
  if [ "$(id -u)" -eq 0 ] && ! id -u postgres >/dev/null 2>&1; then
    useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
else
  command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
fi
# One build at a time: two at once on a 2-core machine starve each other.
flock /tmp/gateway-build.lock dotnet build tests/load/Gateway.Load/Gateway.Load.csproj -c Release -nologo -clp:ErrorsOnly
dotnet tests/load/Gateway.Load/bin/Release/net10.0/Gateway.Load.dll "$@"
