#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the test suite, on loopback only.
#
#   pg-test-cluster.sh start DIR   initialise (first time) and start a cluster in DIR; prints
#                                  its DSN on stdout and writes it to DIR/dsn
#   pg-test-cluster.sh dsn DIR     prints the DSN of the cluster in DIR
#   pg-test-cluster.sh stop DIR    stops the cluster and removes DIR
#
# As root it installs postgresql-15 when missing and runs the server as the system user
# plaza-pgtest (PostgreSQL refuses to run as root); otherwise it runs as the current user
# and needs postgresql-15 installed already. Every command is idempotent. The cluster
# trades durability for speed (fsync off and the like): it holds nothing worth keeping.
# Progress goes to stderr so that `dsn=$(pg-test-cluster.sh start DIR)` captures the DSN only.
set -euo pipefail

readonly pg_version=15
readonly bindir=/usr/lib/postgresql/${pg_version}/bin
readonly system_user=plaza-pgtest
readonly marker=.plaza-pg-test-cluster
# Seconds to wait for the server to accept connections. A fresh cluster is ready in about
# a second; the margin covers a loaded CI machine, and the bound keeps a broken server
# from hanging `make test`.
readonly ready_timeout=60
# Ports to try before giving up; each attempt picks another one, so only a machine whose
# test range is nearly full runs out.
readonly port_attempts=20

log() { echo "pg-test-cluster: $*" >&2; }
die() {
  log "error: $*"
  exit 1
}

usage() {
  echo "usage: $0 start|stop|dsn DIR" >&2
  exit 2
}

is_root() { [[ $(id -u) -eq 0 ]]; }

cluster_user() {
  if is_root; then echo "$system_user"; else id -un; fi
}

# Runs a command as the cluster's owner: initdb and pg_ctl refuse to run as root.
as_owner() {
  if is_root; then
    runuser -u "$system_user" -- "$@"
  else
    "$@"
  fi
}

install_postgres() {
  [[ -x $bindir/initdb ]] && return 0
  is_root || die "PostgreSQL ${pg_version} is not installed ($bindir/initdb is missing); run this as root once or install postgresql-${pg_version}"
  log "installing postgresql-${pg_version}"
  # Another apt run (a parallel CI job, unattended-upgrades) may hold the dpkg lock; wait
  # for it a while rather than fail, but not forever.
  local apt=(apt-get -o DPkg::Lock::Timeout=300)
  local install=("${apt[@]}" install -y --no-install-recommends "postgresql-${pg_version}")
  local output
  if ! output=$(DEBIAN_FRONTEND=noninteractive "${install[@]}" 2>&1); then
    # A fresh image ships without package lists; fetch them only in that case, since an
    # update is slow and changes what every later install resolves to.
    if grep -qE "Unable to locate package|has no installation candidate|is not available" <<<"$output"; then
      log "no package lists yet; running apt-get update"
      DEBIAN_FRONTEND=noninteractive "${apt[@]}" update >&2 || die "apt-get update failed"
      DEBIAN_FRONTEND=noninteractive "${install[@]}" >&2 || die "apt-get install postgresql-${pg_version} failed"
    else
      echo "$output" >&2
      die "apt-get install postgresql-${pg_version} failed"
    fi
  fi
  [[ -x $bindir/initdb ]] || die "postgresql-${pg_version} is installed but $bindir/initdb is still missing"
}

ensure_system_user() {
  is_root || return 0
  id -u "$system_user" >/dev/null 2>&1 && return 0
  log "creating system user $system_user"
  # A concurrent start may have created it first; only a user still missing is an error.
  useradd --system --user-group --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin \
    "$system_user" 2>/dev/null || id -u "$system_user" >/dev/null 2>&1 || die "cannot create user $system_user"
}

# True when something listens on 127.0.0.1:$1.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A random port in 20000-31999: below Linux's ephemeral range (32768 and up), so it does
# not collide with the outgoing connections of the tests themselves.
random_port() { echo $((20000 + RANDOM % 12000)); }

server_running() { as_owner "$bindir/pg_ctl" status -D "$dir/data" >/dev/null 2>&1; }

write_settings() {
  # Settings for a disposable test server: loopback only, the socket inside DIR, no
  # durability (a crash loses nothing of value), and room for parallel test binaries that
  # each open a pool of connections.
  cat >>"$dir/data/postgresql.conf" <<EOF

# pg-test-cluster.sh
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
logging_collector = off
EOF
  cat >"$dir/data/pg_hba.conf" <<EOF
# pg-test-cluster.sh: trust, and only over the socket in DIR and loopback TCP.
local all all trust
host  all all 127.0.0.1/32 trust
EOF
}

init_cluster() {
  [[ -f $dir/data/PG_VERSION ]] && return 0
  log "initialising a cluster in $dir/data"
  # --no-sync: nothing here has to survive a power cut, and syncing costs seconds.
  as_owner "$bindir/initdb" --pgdata="$dir/data" --username="$user" --auth=trust --encoding=UTF8 --locale=C \
    --no-sync >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    die "initdb failed"
  }
  write_settings
}

# Starts the server on a free port, trying another one when the chosen port is taken.
start_server() {
  local port attempt
  [[ -f $dir/port ]] && port=$(<"$dir/port") || port=$(random_port)
  for ((attempt = 1; attempt <= port_attempts; attempt++)); do
    if port_in_use "$port"; then
      port=$(random_port)
      continue
    fi
    # Emptied (as the owner, who must be able to append to it) so the check below sees
    # only this attempt.
    as_owner truncate --size=0 "$dir/server.log"
    if as_owner "$bindir/pg_ctl" start --pgdata="$dir/data" --log="$dir/server.log" --wait \
      --timeout="$ready_timeout" --options="-p $port" >/dev/null 2>&1; then
      echo "$port" >"$dir/port"
      return 0
    fi
    # Someone took the port between the check and the bind; anything else is fatal.
    if grep -q "could not bind" "$dir/server.log"; then
      port=$(random_port)
      continue
    fi
    tail -n 20 "$dir/server.log" >&2 || true
    die "the server in $dir did not start (full log: $dir/server.log)"
  done
  die "found no free port for PostgreSQL after $port_attempts attempts"
}

wait_until_ready() {
  local port=$1 waited
  for ((waited = 0; waited < ready_timeout; waited++)); do
    "$bindir/pg_isready" --quiet --host=127.0.0.1 --port="$port" --timeout=1 && return 0
    sleep 1
  done
  die "PostgreSQL on 127.0.0.1:$port did not accept connections within ${ready_timeout}s (log: $dir/server.log)"
}

create_database() {
  local port=$1 exists
  exists=$("$bindir/psql" --no-psqlrc --quiet --tuples-only --no-align --host=127.0.0.1 --port="$port" \
    --username="$user" --dbname=postgres --command="SELECT 1 FROM pg_database WHERE datname = 'plaza'") ||
    die "cannot query the server on 127.0.0.1:$port"
  [[ $exists == 1 ]] && return 0
  "$bindir/createdb" --host=127.0.0.1 --port="$port" --username="$user" plaza ||
    die "cannot create database plaza on 127.0.0.1:$port"
}

cmd_start() {
  install_postgres
  ensure_system_user
  mkdir -p "$dir"
  # The server creates its socket in DIR; a Unix socket path is limited to 107 bytes.
  ((${#dir} <= 80)) || die "DIR is too long for a Unix socket path: $dir"
  if [[ ! -f $dir/$marker ]]; then
    [[ -z $(ls -A "$dir") ]] || die "$dir is not empty and holds no test cluster; give an empty directory"
    : >"$dir/$marker"
  fi
  if is_root; then
    chown -R "$system_user:$system_user" "$dir"
    chmod 700 "$dir"
    runuser -u "$system_user" -- test -w "$dir" ||
      die "$system_user cannot reach $dir; put it under a directory every user can traverse, such as /tmp"
  fi
  init_cluster
  if ! server_running; then
    log "starting PostgreSQL ${pg_version}"
    start_server
  fi
  local port
  port=$(<"$dir/port")
  wait_until_ready "$port"
  create_database "$port"
  local dsn="postgresql://${user}@127.0.0.1:${port}/plaza"
  echo "$dsn" >"$dir/dsn"
  echo "$dsn"
}

cmd_stop() {
  [[ -d $dir ]] || return 0
  if [[ ! -f $dir/$marker ]]; then
    # Refuse to delete anything this script did not make.
    [[ -z $(ls -A "$dir") ]] || die "$dir holds no test cluster; not removing it"
    rmdir "$dir"
    return 0
  fi
  if [[ -f $dir/data/PG_VERSION ]] && { ! is_root || id -u "$system_user" >/dev/null 2>&1; } && server_running; then
    log "stopping PostgreSQL in $dir"
    # Fast shutdown ends the sessions still open; if even that hangs, immediate mode
    # kills the server outright, which is harmless for a cluster about to be deleted.
    as_owner "$bindir/pg_ctl" stop --pgdata="$dir/data" --mode=fast --wait --timeout="$ready_timeout" >/dev/null 2>&1 ||
      as_owner "$bindir/pg_ctl" stop --pgdata="$dir/data" --mode=immediate --wait >/dev/null 2>&1 ||
      die "cannot stop the server in $dir (log: $dir/server.log)"
  fi
  rm -rf -- "$dir"
}

cmd_dsn() {
  [[ -f $dir/dsn ]] || die "no test cluster has been started in $dir"
  cat "$dir/dsn"
}

[[ $# -eq 2 ]] || usage
command=$1
[[ -n $2 ]] || usage
dir=$(realpath -m -- "$2")
[[ $dir != / ]] || die "refusing to use / as the cluster directory"
user=$(cluster_user)
# The server tools warn when they cannot read the working directory (e.g. /root as
# plaza-pgtest); every path below is absolute.
cd /

case $command in
  start) cmd_start ;;
  stop) cmd_stop ;;
  dsn) cmd_dsn ;;
  *) usage ;;
esac
