#!/usr/bin/env bash
# Nightly fault-schedule exploration: a larger `mcp-chaos explore` than the test suite runs — more random
# schedules, process faults (kill/pause/restart of mock replicas) included, real time scale headroom, and a
# wall-time cap so the job always ends. Uses $TOXIPROXY_URL when set (the nightly job's real Toxiproxy),
# else an embedded proxy per run.
#
#   scripts/nightly-explore.sh                     # 50 runs, random seed (printed)
#   EXPLORE_RUNS=200 EXPLORE_SEED=7 scripts/nightly-explore.sh --max-faults 4
#
# Environment (all optional):
#   EXPLORE_RUNS        random schedules to try (default 50)
#   EXPLORE_SEED        seed of the search (default: random, printed and saved in explore.json)
#   EXPLORE_TIME_SCALE  time scale of every run (default 0.5)
#   EXPLORE_TIME_LIMIT  stop starting runs after this long, shrinking included (default 30m)
#   EXPLORE_MAX_SHRINKS runs spent shrinking a counterexample (default 60)
#   REPORT_DIR          where the explore-<timestamp> folder goes (default reports)
# Extra arguments are passed to `mcp-chaos explore` as they are.
#
# Exit code: that of `mcp-chaos explore` — 0 nothing found, 1 counterexample written (the folder holds
# counterexample.yaml, README.md with the replay command, and the minimal run's reports), 2 bad input,
# 3 infrastructure error.
set -euo pipefail

cd "$(dirname "$0")/.."

args=(
  explore
  --runs "${EXPLORE_RUNS:-50}"
  --time-scale "${EXPLORE_TIME_SCALE:-0.5}"
  --time-limit "${EXPLORE_TIME_LIMIT:-30m}"
  --max-shrinks "${EXPLORE_MAX_SHRINKS:-60}"
  --report-dir "${REPORT_DIR:-reports}"
  --process-faults
)
if [[ -n "${EXPLORE_SEED:-}" ]]; then
  args+=(--seed "${EXPLORE_SEED}")
fi

echo "nightly-explore: npx tsx src/cli/main.ts ${args[*]} $*" >&2
exec npx tsx src/cli/main.ts "${args[@]}" "$@"
