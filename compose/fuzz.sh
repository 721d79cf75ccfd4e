#!/usr/bin/env bash
# Coverage-guided fuzzing of every parser that sees untrusted bytes (issue #18, item 8): Debian's afl++ drives the
# targets of tests/fuzz/Gateway.Fuzz, whose assemblies SharpFuzz instruments. The suite runs the same targets bounded
# (FuzzTargetTests); this searches further. Findings (crashes, hangs) land in .fuzz/findings/<target>/.
# Usage: compose/fuzz.sh [--seconds 60] [target ...]
#        targets: structured batch binary cesql duration cron subscription mqtt nats kafka (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=60
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(structured batch binary cesql duration cron subscription mqtt nats kafka)

command -v afl-fuzz >/dev/null || { apt-get update -qq && apt-get install -y -qq afl++; }
tools=.fuzz/tools
[ -x "$tools/sharpfuzz" ] || dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools" >/dev/null

# A fresh copy each time: SharpFuzz instruments in place, and an assembly must not be instrumented twice.
rm -rf .fuzz/bin
flock /tmp/gateway-build.lock dotnet build tests/fuzz/Gateway.Fuzz/Gateway.Fuzz.csproj -c Release -nologo -clp:ErrorsOnly -o .fuzz/bin
for assembly in Gateway Gateway.Core Gateway.Timers Gateway.Delivery Gateway.Api Gateway.Filters Gateway.Protocols.Abstractions Gateway.Protocols.CloudEvents Gateway.Protocols.Http \
    Gateway.Protocols.Mqtt Gateway.Protocols.Nats Gateway.Protocols.Kafka Cronos; do
  "$tools/sharpfuzz" ".fuzz/bin/$assembly.dll" >/dev/null
done

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
found=0
for target in "${targets[@]}"; do
  out=".fuzz/findings/$target"
  rm -rf "$out"
  mkdir -p .fuzz/findings
  afl-fuzz -i "tests/fuzz/Gateway.Fuzz/corpus/$target" -o "$out" -V "$seconds" -t 5000 -m none \
    -- "$(command -v dotnet)" .fuzz/bin/Gateway.Fuzz.dll "$target" >".fuzz/$target.log" 2>&1 || { echo "$target: afl-fuzz failed, see .fuzz/$target.log"; found=1; continue; }
  stats="$out/default/fuzzer_stats"
  execs=$(awk -F' *: *' '$1=="execs_done"{print $2}' "$stats")
  crashes=$(awk -F' *: *' '$1=="saved_crashes"{print $2}' "$stats")
  hangs=$(awk -F' *: *' '$1=="saved_hangs"{print $2}' "$stats")
  paths=$(awk -F' *: *' '$1=="corpus_count"{print $2}' "$stats")
  echo "$target: $execs executions in ${seconds}s, $paths inputs in the corpus, $crashes crashes, $hangs hangs"
  [ "$crashes" = 0 ] && [ "$hangs" = 0 ] || found=1
done
exit $found
