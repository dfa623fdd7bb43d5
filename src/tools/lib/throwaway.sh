# shellcheck shell=bash
# Sourced by the with-*.sh scripts, each of which starts one throwaway service (Podman's API, dockerd,
# an OCI registry) for the COMMAND it is given and always stops it afterwards. What they share lives
# here: the usage check, say/die, the temp dir with its cleanup traps, the wait until the service
# answers, and running COMMAND for its exit status. Each script keeps only how its service starts,
# what proves it up and what it exports. A service that cannot be started fails the run (non-zero):
# a silently skipped test run would look green.

# throwaway_begin NAME REUSE "$@": names the script in messages; without a COMMAND prints the usage
# and exits 2. When the variable named REUSE is set already (a service someone started), runs COMMAND
# with it instead of starting one; REUSE `-`: always start one.
throwaway_begin() {
  THROWAWAY="$1"
  local reuse="$2"
  shift 2
  if [ "$#" -eq 0 ]; then
    echo "usage: $THROWAWAY.sh COMMAND [ARGS...]" >&2
    exit 2
  fi
  if [ "$reuse" != - ] && [ -n "${!reuse:-}" ]; then
    exec "$@"
  fi
}

say() { printf '[%s] %s\n' "$THROWAWAY" "$*" >&2; }
die() {
  printf '%s: %s\n' "$THROWAWAY" "$*" >&2
  exit 1
}

# throwaway_workdir PREFIX: makes WORKDIR, and runs the script's `cleanup` on exit, Ctrl-C and TERM.
throwaway_workdir() {
  WORKDIR="$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")"
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# throwaway_wait PID LOG TRIES WHAT CHECK...: runs CHECK every 0.1 s until it succeeds. Dies showing
# LOG when the service (PID) exits first, or when it still does not answer after TRIES checks.
throwaway_wait() {
  local pid="$1" log="$2" tries="$3" what="$4"
  shift 4
  for _ in $(seq 1 "$tries"); do
    "$@" && return 0
    kill -0 "$pid" 2>/dev/null || {
      cat "$log" >&2
      die "$what exited (log above)"
    }
    sleep 0.1
  done
  "$@" && return 0
  tail -40 "$log" >&2
  die "$what did not answer (log above)"
}

# throwaway_stop PID: asks the service to stop, gives it 10 s, then kills it.
throwaway_stop() {
  local pid="$1"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Unmounts (lazily) what a killed container left mounted under WORKDIR: rm would fail on it.
throwaway_unmount() {
  grep -o " $WORKDIR/[^ ]*" /proc/mounts 2>/dev/null | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
}

# docker_api_answers SOCKET: a Docker Engine API (Podman's or Docker's) on SOCKET answers its ping.
docker_api_answers() {
  [ -S "$1" ] && curl -fsS --unix-socket "$1" http://d/_ping >/dev/null 2>&1
}

# throwaway_run COMMAND...: runs COMMAND and exits with its status; the EXIT trap then cleans up.
throwaway_run() {
  local status
  set +e
  "$@"
  status=$?
  set -e
  exit "$status"
}
