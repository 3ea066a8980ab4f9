#!/usr/bin/env bash
# `npm run cluster -- …` starts here. Node 20 takes `--env-file` anywhere on its command line
# as its own option (loading that file, or stopping when it does not exist yet), so the flag
# reaches cluster.ts under another name. exec: the pid npm started is the cluster's own.
set -euo pipefail
cd "$(dirname "$0")/.."
args=()
for a in "$@"; do
  case "$a" in
    --env-file) args+=(--write-env-file) ;;
    --env-file=*) args+=("--write-env-file=${a#--env-file=}") ;;
    *) args+=("$a") ;;
  esac
done
exec node --import tsx local-temporal/cluster.ts ${args[@]+"${args[@]}"}
