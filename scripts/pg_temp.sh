#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for the tests and the benchmarks, all of it inside DIR:
#   scripts/pg_temp.sh start DIR   initdb + start; prints one line, the server's URL
#                                  (postgresql://postgres@127.0.0.1:PORT/postgres), and writes it
#                                  to DIR/url, the postmaster's PID to DIR/pid
#   scripts/pg_temp.sh stop DIR    stops that server by its PID and removes its data; idempotent
# Built for speed, not safety: initdb --no-sync, fsync, synchronous_commit and full_page_writes
# off, trust authentication, listening on 127.0.0.1 only, on a free port picked at random in
# 20000-40000 (also in DIR/port), its unix socket in DIR/sock, its log in DIR/log. A DIR left by
# a crash is stopped and started afresh. It never touches Debian's own cluster (15/main, port
# 5432, /etc/postgresql).
# initdb refuses root: as root the server runs as the `postgres` user (runuser), who gets DIR;
# otherwise as the current user. PG_BIN overrides /usr/lib/postgresql/15/bin.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
me=pg_temp

die() { echo "$me: $*" >&2; exit 1; }
note() { echo "$me: $*" >&2; }

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1
[ -n "$2" ] || usage

uid=$(id -u)

# Runs a command as the server's user, from DIR (the caller's directory may be closed to it).
as_pg() {
  if [ "$uid" -eq 0 ]; then
    (cd "$dir" && runuser -u postgres -- "$@")
  else
    (cd "$dir" && "$@")
  fi
}

# The PIDs of the processes whose working directory is our data directory: the postmaster and
# every backend chdir there, so this finds them all, and nothing else (not a reused PID).
# (`-ef` compares device and inode without a fork per process.)
is_ours() { [ -d "$data" ] && [ "/proc/$1/cwd" -ef "$data" ]; }
our_pids() {
  local p
  [ -d "$data" ] || return 0
  for p in /proc/[0-9]*; do
    [ "$p/cwd" -ef "$data" ] && echo "${p#/proc/}"
  done
  return 0
}

# PID $1 is running (a zombie is not: where nobody reaps them they would linger).
alive() {
  local stat
  { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
  stat=${stat##*) }
  [ "${stat:0:1}" != Z ]
}

# Waits up to $2 tenths of a second for PID $1 to be gone; fails if it is still there.
wait_gone() {
  local i
  for ((i = 0; i < $2; i++)); do
    alive "$1" || return 0
    sleep 0.1
  done
  ! alive "$1"
}

do_stop() {
  local pid="" pids p f
  # DIR/pid, else the server's own postmaster.pid (lost DIR/pid, or a restart by hand). A PID
  # from a file may have been reused by an unrelated process since: only a live one of ours counts.
  for f in "$dir/pid" "$data/postmaster.pid"; do
    p=$(head -n1 "$f" 2>/dev/null || true)
    if [[ $p =~ ^[0-9]+$ ]] && alive "$p" && is_ours "$p"; then pid=$p; break; fi
  done
  if [ -n "$pid" ]; then
    if [ -f "$data/PG_VERSION" ]; then
      as_pg "$PG_BIN/pg_ctl" stop -D "$data" -m fast -w -t 20 >/dev/null 2>&1 || true
    fi
    # pg_ctl returns once postmaster.pid is gone, a moment before the process is.
    if ! wait_gone "$pid" 50; then
      note "pg_ctl stop did not stop PID $pid; SIGQUIT, then SIGKILL"
      kill -QUIT "$pid" 2>/dev/null || true
      wait_gone "$pid" 50 || kill -KILL "$pid" 2>/dev/null || true
      wait_gone "$pid" 50 || die "PID $pid (the postmaster of $data) does not die"
    fi
  fi
  # Backends orphaned by a postmaster that was killed, or one whose PID file was lost.
  mapfile -t pids < <(our_pids)
  if [ ${#pids[@]} -gt 0 ]; then
    note "killing leftover server processes of $data: ${pids[*]}"
    kill -KILL "${pids[@]}" 2>/dev/null || true
    for p in "${pids[@]}"; do
      wait_gone "$p" 50 || die "PID $p (a server process of $data) does not die"
    done
  fi
  rm -rf "$data" "$dir/sock"
  rm -f "$dir/pid" "$dir/url" "$dir/port"
}

port_free() {
  if command -v ss >/dev/null 2>&1; then
    [ -z "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]
  else
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 1; fi
  fi
}

pick_port() {
  local port i
  for ((i = 0; i < 200; i++)); do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 20001))
    port_free "$port" && { echo "$port"; return 0; }
  done
  die "no free TCP port found in 20000-40000"
}

do_start() {
  local x
  for x in initdb pg_ctl postgres; do
    [ -x "$PG_BIN/$x" ] ||
      die "$PG_BIN/$x is missing: install the Debian package postgresql-15 (scripts/deps.sh)"
  done
  if [ "$uid" -eq 0 ]; then
    id -u postgres >/dev/null 2>&1 ||
      die "no 'postgres' user to run initdb, which refuses root (package postgresql-15 makes it)"
    command -v runuser >/dev/null 2>&1 || die "runuser is missing (Debian package util-linux)"
  fi
  if [ -e "$data" ] && [ ! -f "$data/PG_VERSION" ] && [ -n "$(ls -A "$data" 2>/dev/null)" ]; then
    die "$data exists and is not a PostgreSQL data directory; not removing it"
  fi
  if [ -e "$dir/pid" ] || [ -e "$data" ] || [ -n "$(our_pids)" ]; then
    note "$dir holds a server from before; stopping it and starting afresh"
    do_stop
  fi
  # The socket's path must fit in sockaddr_un (107 bytes).
  [ ${#dir} -le 80 ] || die "DIR is too long for the unix socket inside it (over 80 bytes): $dir"
  rm -f "$dir/log" "$dir/initdb.log"
  if [ "$uid" -eq 0 ]; then
    chown postgres: "$dir"
    as_pg test -w "$dir" -a -x "$dir" ||
      die "the postgres user cannot write in $dir (is a parent directory closed to it?)"
  fi
  as_pg mkdir -m 700 "$dir/sock"

  if ! as_pg "$PG_BIN/initdb" -D "$data" --no-sync -E UTF8 --locale=C --auth=trust -U postgres \
       >"$dir/initdb.log" 2>&1; then
    tail -n 20 "$dir/initdb.log" >&2
    die "initdb failed (whole output in $dir/initdb.log)"
  fi
  # Single quotes in a path are doubled in postgresql.conf.
  local sock_conf=${dir//\'/\'\'}/sock
  as_pg tee -a "$data/postgresql.conf" >/dev/null <<EOF

# scripts/pg_temp.sh: a throwaway server for tests and benchmarks
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sock_conf'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

  # A port free when picked may be taken before the server binds it: then another one.
  local port attempt before new_log out
  for attempt in 1 2 3 4 5; do
    port=$(pick_port)
    before=$(stat -c %s "$dir/log" 2>/dev/null || echo 0)
    if out=$(as_pg "$PG_BIN/pg_ctl" start -D "$data" -l "$dir/log" -w -t 60 -o "-p $port" 2>&1)
    then
      break
    fi
    new_log=$(tail -c +"$((before + 1))" "$dir/log" 2>/dev/null || true)
    if [[ $new_log == *"could not bind"* ]] && [ "$attempt" -lt 5 ]; then
      note "port $port was taken meanwhile; trying another"
      # Wait for that postmaster to exit before trying again with the same data directory.
      local i
      for ((i = 0; i < 50; i++)); do [ -z "$(our_pids)" ] && break; sleep 0.1; done
      continue
    fi
    echo "$out" >&2
    tail -n 20 "$dir/log" >&2 2>/dev/null || true
    do_stop 2>/dev/null || true
    die "the server did not start (log above, from $dir/log)"
  done

  local pid
  pid=$(head -n1 "$data/postmaster.pid")
  if ! [[ $pid =~ ^[0-9]+$ ]] || ! alive "$pid"; then
    die "no running postmaster in $data/postmaster.pid"
  fi
  local url="postgresql://postgres@127.0.0.1:$port/postgres"
  echo "$pid" >"$dir/pid"
  echo "$port" >"$dir/port"
  echo "$url" >"$dir/url"
  echo "$url"
}

case $cmd in
  start)
    mkdir -p "$2"
    dir=$(cd "$2" && pwd -P)
    data=$dir/data
    do_start
    ;;
  stop)
    [ -d "$2" ] || exit 0  # nothing there: nothing to stop
    dir=$(cd "$2" && pwd -P)
    data=$dir/data
    do_stop
    ;;
  *) usage ;;
esac
