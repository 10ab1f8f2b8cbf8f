# Shared by the benchmark scripts (source it): free ports, the nginx baseline every wrk
# table is a ratio to, and wrk runs reduced to "requests/s p50 p99 non-2xx".

# A free TCP port on loopback.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_nginx_baseline WORK PORT: nginx serving one small static JSON file at
# http://127.0.0.1:PORT/healthz, as close to Plaza's /healthz answer as a file gets; its
# pid file is WORK/nginx.pid. Fails unless the file answers 200.
start_nginx_baseline() {
  local work=$1 port=$2
  mkdir -p "$work/www" "$work/nginx"
  # nginx's workers run unprivileged when started as root: mktemp's 0700 directory would
  # make every answer a 403, and the baseline would measure error pages.
  chmod a+rx "$work" "$work/www"
  printf '{"status":"ok"}' >"$work/www/healthz"
  chmod 644 "$work/www/healthz"
  cat >"$work/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  default_type application/json;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$port; root $work/www; }
}
CONF
  nginx -c "$work/nginx.conf"
  local _
  for _ in 1 2 3 4 5 6 7 8 9 10; do curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" && return 0; sleep 0.2; done
  echo "bench: the nginx baseline does not answer 200" >&2
  return 1
}

# wrk's latency ("850.00us", "1.20ms", "2.01s") in milliseconds.
to_ms() {
  case "$1" in
    *us) awk -v v="${1%us}" 'BEGIN {printf "%.2f", v / 1000}' ;;
    *ms) awk -v v="${1%ms}" 'BEGIN {printf "%.2f", v}' ;;
    *s) awk -v v="${1%s}" 'BEGIN {printf "%.2f", v * 1000}' ;;
  esac
}

# wrk_run THREADS CONNECTIONS DURATION WRK-ARGS…: prints "requests/s p50_ms p99_ms non2xx".
wrk_run() {
  local threads=$1 connections=$2 duration=$3 out
  shift 3
  out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency "$@")
  local bad
  bad=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(to_ms "$(awk '$1=="50%" {print $2}' <<<"$out")")" \
    "$(to_ms "$(awk '$1=="99%" {print $2}' <<<"$out")") ${bad:-0}"
}

# ratio A B: A / B with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

# begin_bench_run NAME: makes the run's work directory ($work, under /tmp) and, on exit,
# stops the Plaza whose pid is in $plaza_pid and the nginx baseline whose pid file is in
# $work, then removes $work.
begin_bench_run() {
  work=$(mktemp -d "/tmp/plaza-$1-XXXXXX")
  trap end_bench_run EXIT
}
end_bench_run() {
  [ -n "${plaza_pid:-}" ] && kill "$plaza_pid" 2>/dev/null && wait "$plaza_pid" 2>/dev/null
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  rm -rf "$work"
}
