#!/usr/bin/env bash
# doorman's load benchmark: /auth/verify against nginx's `return 200` (wrk),
# full sign-ins against a local bench OpenID provider (with doorman's CPU
# time per sign-in), peak RSS and start-to-ready time, on SQLite and on
# PostgreSQL. Everything listens on and talks to 127.0.0.1 only; every step
# is bounded in time and the whole run stops itself after BENCH_LIMIT seconds.
#
#   bench/run.sh                 # both databases (PostgreSQL skipped if unreachable)
#   BENCH_DATABASES=sqlite bench/run.sh
#
# Also /auth/verify with [forward_auth] jwt_assertion on (a second doorman
# on the same database, interleaved with the first) and with a Bearer API
# access token instead of the cookie. And the deployed path: a static file
# protected by nginx + doorman with README.md's snippet, beside the same
# nginx serving it unprotected (bench/deployed.sh).
#
# Scenarios beside nginx `return 200` and a bare axum handler of the same
# shape (examples/bare.rs, the framework's ceiling): one session; 10,000
# sessions, a random one per request (bench/sessions.lua), while sign-ins
# run at BENCH_PACE per second in the background; peak RSS with 10,000 and
# BENCH_MANY_MAX (100,000) sessions cached.
#
# Knobs (environment): BENCH_DURATION (wrk seconds per run, 10), BENCH_RUNS
# (interleaved wrk runs, 3), BENCH_SIGNINS (sign-ins per pass, 2000),
# BENCH_CONCURRENCY (32), BENCH_PG (postgres://postgres@127.0.0.1:5432/test, the
# server where a throw-away database is created and dropped), BENCH_PG_PARAMS
# (sslmode=disable: see docs/performance.md), BENCH_PROFILE (release; `dev`
# only checks the script quickly, its figures mean nothing), BENCH_PORT (first of seven
# ports, 18080; the assertion instance uses the fourth, the deployed path the
# fifth and sixth, the bare handler the seventh), BENCH_MANY (10000),
# BENCH_MANY_MAX (100000), BENCH_PACE (15), BENCH_LIMIT (1500), BENCH_SCENARIOS ("databases deployed").
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION=${BENCH_DURATION:-10}
RUNS=${BENCH_RUNS:-3}
SIGNINS=${BENCH_SIGNINS:-2000}
CONCURRENCY=${BENCH_CONCURRENCY:-32}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432/test}
PG_PARAMS=${BENCH_PG_PARAMS-sslmode=disable}
DATABASES=${BENCH_DATABASES:-sqlite postgres}
PORT=${BENCH_PORT:-18080}
LIMIT=${BENCH_LIMIT:-1500}
MANY=${BENCH_MANY:-10000}
MANY_MAX=${BENCH_MANY_MAX:-100000}
PACE=${BENCH_PACE:-15}
DOORMAN_PORT=$PORT
PROVIDER_PORT=$((PORT + 1))
NGINX_PORT=$((PORT + 2))
ASSERT_PORT=$((PORT + 3))
STATIC_PORT=$((PORT + 4))
DEPLOYED_PORT=$((PORT + 5))
BARE_PORT=$((PORT + 6))
PREFIX=/_doorman
SCENARIOS=${BENCH_SCENARIOS:-databases deployed}
TARGET=${CARGO_TARGET_DIR:-target}
PROFILE=${BENCH_PROFILE:-release}
PROFILE_DIR=$([ "$PROFILE" = dev ] && echo debug || echo "$PROFILE")
DOORMAN=$TARGET/$PROFILE_DIR/doorman
LOADGEN=$TARGET/$PROFILE_DIR/examples/loadgen
BARE=$TARGET/$PROFILE_DIR/examples/bare
WORK=$(mktemp -d /tmp/doorman-bench.XXXXXX)
TICK=$(getconf CLK_TCK)
PIDS=()
PG_DB=""

log() { printf '%s\n' "$*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

cleanup() {
    # The watchdog's sleep first, so nothing holds the caller's stdout open.
    if [ -n "${WATCHDOG:-}" ]; then pkill -P "$WATCHDOG" 2>/dev/null || true; fi
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pidfile in "$WORK/nginx.pid" "$WORK/deployed.pid"; do
        if [ -f "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null || true; fi
    done
    if [ -n "$PG_DB" ]; then
        timeout 20 psql -q "$PG" -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'log "bench: interrupted"; exit 130' INT TERM
# The watchdog: the whole run ends after $LIMIT seconds whatever happens.
( sleep "$LIMIT" </dev/null >/dev/null 2>&1; log "bench: over ${LIMIT}s, stopping"; kill -TERM $$ ) 2>/dev/null &
WATCHDOG=$!
PIDS+=("$WATCHDOG")

need() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
    command -v curl >/dev/null || missing+=(curl)
    if [ ${#missing[@]} -gt 0 ]; then
        log "bench: installing ${missing[*]} from Debian's packages"
        local sudo=""
        [ "$(id -u)" = 0 ] || sudo=sudo
        timeout 300 $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive timeout 300 $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_http() { # url seconds: until it answers 2xx
    local deadline=$((SECONDS + $2))
    until curl -fsS -o /dev/null "$1" 2>/dev/null; do
        [ $SECONDS -lt "$deadline" ] || { log "bench: $1 did not answer"; return 1; }
        sleep 0.002
    done
}

cpu_ticks() { # utime + stime of a process, in clock ticks
    local stat
    stat=$(cat "/proc/$1/stat")
    stat=${stat##*) }
    awk '{print $12 + $13}' <<<"$stat"
}

hwm_mb() { awk '/^VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

to_ms() { # wrk latency (e.g. 812.00us, 1.20ms, 2.01s) in ms
    awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); print v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v); print v+0} else {sub(/s$/,"",v); print v*1000}}' <<<"$1"
}

start_nginx() {
    mkdir -p "$WORK/nginx"
    cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes auto;
daemon on;
pid $WORK/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx;
    proxy_temp_path $WORK/nginx;
    fastcgi_temp_path $WORK/nginx;
    uwsgi_temp_path $WORK/nginx;
    scgi_temp_path $WORK/nginx;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location / { return 200; }
    }
}
CONF
    local nginx
    nginx=$(command -v nginx || echo /usr/sbin/nginx)
    timeout 10 "$nginx" -p "$WORK/nginx" -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf"
    wait_http "http://127.0.0.1:$NGINX_PORT/" 10
}

write_config() { # database-url [port file extra-toml path_prefix]
    local port=${2:-$DOORMAN_PORT}
    cat >"${3:-$WORK/doorman.toml}" <<CONF
[server]
bind = "127.0.0.1:$port"
public_url = "http://127.0.0.1:$port"
secret_key = "bench-secret-key-0123456789abcdef-0123456789abcdef"
path_prefix = "${5:-}"
[database]
url = "$1"
[rate_limit]
auth_per_ip_per_minute = 0
[dev_idp]
enabled = false
[providers.bench]
preset = "oidc"
label = "Bench"
issuer = "http://127.0.0.1:$PROVIDER_PORT"
client_id = "bench-client"
client_secret = "bench-secret"
${4:-}
CONF
}

# A second doorman on the same database with the assertion and API tokens
# on; sets ASSERT_PID and ACCESS_TOKEN (for the session in $1).
start_assert_doorman() { # database-url cookie
    write_config "$1" "$ASSERT_PORT" "$WORK/assert.toml" \
        "$(printf '[forward_auth]\njwt_assertion = true\n[api_tokens]\nenabled = true')"
    "$DOORMAN" --config "$WORK/assert.toml" serve >>"$WORK/doorman.log" 2>&1 &
    ASSERT_PID=$!
    PIDS+=("$ASSERT_PID")
    wait_http "http://127.0.0.1:$ASSERT_PORT/readyz" 20
    ACCESS_TOKEN=$(curl -s -X POST -H "Cookie: $2" -H "Origin: http://127.0.0.1:$ASSERT_PORT" \
        "http://127.0.0.1:$ASSERT_PORT/api/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
}

start_doorman() { # sets DOORMAN_PID and READY_MS (start to ready)
    local t0 t1
    t0=$(date +%s%N)
    "$DOORMAN" --config "$WORK/doorman.toml" serve >>"$WORK/doorman.log" 2>&1 &
    DOORMAN_PID=$!
    PIDS+=("$DOORMAN_PID")
    wait_http "http://127.0.0.1:$DOORMAN_PORT${DOORMAN_BASE:-}/readyz" 20
    t1=$(date +%s%N)
    READY_MS=$(((t1 - t0) / 1000000))
}

stop_doorman() {
    kill -TERM "$DOORMAN_PID" 2>/dev/null || true
    timeout 15 tail --pid="$DOORMAN_PID" -f /dev/null || kill -KILL "$DOORMAN_PID" 2>/dev/null || true
}

wrk_run() { # url [header | @tokens-file]: prints "rps p99_ms non2xx"
    local out arg=${2:-}
    if [ "${arg:0:1}" = "@" ]; then
        out=$(TOKENS=${arg:1} timeout $((DURATION + 30)) wrk -t2 -c64 -d"${DURATION}s" --latency -s bench/sessions.lua "$1")
    elif [ -n "${2:-}" ]; then
        out=$(timeout $((DURATION + 30)) wrk -t2 -c64 -d"${DURATION}s" --latency -H "$2" "$1")
    else
        out=$(timeout $((DURATION + 30)) wrk -t2 -c64 -d"${DURATION}s" --latency "$1")
    fi
    local rps p99 bad
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
    bad=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out")
    bad=$((${bad:-0} + $(awk '/Socket errors:/ {gsub(",", ""); n = $4 + $6 + $8 + $10} END {print n + 0}' <<<"$out")))
    echo "$rps $p99 $bad"
}

# /auth/verify with the assertion (second instance) against without it
# (first instance), interleaved, and Bearer verify; prints table rows.
bench_assertion() { # database-url cookie verify-url
    start_assert_doorman "$1" "$2"
    local on_url="http://127.0.0.1:$ASSERT_PORT/auth/verify" status
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $2" "$on_url")
    [ "$status" = 200 ] || { log "bench: assertion /auth/verify answered $status"; return 1; }
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $ACCESS_TOKEN" "$on_url")
    [ "$status" = 200 ] || { log "bench: Bearer /auth/verify answered $status"; return 1; }
    DURATION=2 wrk_run "$on_url" "Cookie: $2" >/dev/null
    local off=() on=() on_p99=() bearer=() bearer_p99=() bad=0 ratios=()
    for run in $(seq "$RUNS"); do
        read -r r _ _ <<<"$(wrk_run "$3" "Cookie: $2")"
        off+=("$r")
        read -r r p b <<<"$(wrk_run "$on_url" "Cookie: $2")"
        on+=("$r"); on_p99+=("$p"); bad=$((bad + b))
        read -r r p b <<<"$(wrk_run "$on_url" "Authorization: Bearer $ACCESS_TOKEN")"
        bearer+=("$r"); bearer_p99+=("$p"); bad=$((bad + b))
        ratios+=("$(awk -v a="${on[-1]}" -v b="${off[-1]}" 'BEGIN {printf "%.2f", a / b}')")
        log "run $run: verify ${off[-1]} req/s | with assertion ${on[-1]} req/s | Bearer ${bearer[-1]} req/s (load $(load))"
    done
    kill -TERM "$ASSERT_PID" 2>/dev/null || true
    timeout 15 tail --pid="$ASSERT_PID" -f /dev/null || kill -KILL "$ASSERT_PID" 2>/dev/null || true
    local med
    med() { printf '%s\n' "$@" | median; }
    echo "| /auth/verify with X-Auth-Request-Jwt, 64 connections | $(med "${on[@]}") req/s, p99 $(med "${on_p99[@]}") ms, $bad errors | within 15% of without |"
    echo "| with assertion / without, per run (median) | ${ratios[*]} ($(med "${ratios[@]}")) | >= 0.85 |"
    echo "| /auth/verify with a Bearer access token | $(med "${bearer[@]}") req/s, p99 $(med "${bearer_p99[@]}") ms | about the cookie's |"
}

bench_groups() { # cookie verify_url: a table row, /auth/verify for a user with 20 groups vs none
    local plain=$1 url=$2 grouped id
    grouped=$(timeout 30 "$LOADGEN" session --doorman-port "$DOORMAN_PORT" --subject groups-user)
    id=$(curl -s -H "Cookie: $grouped" "http://127.0.0.1:$DOORMAN_PORT/api/me" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
    for i in $(seq -w 1 20); do
        timeout 30 "$DOORMAN" --config "$WORK/doorman.toml" users grant "$id" "team-$i" >/dev/null
    done
    DURATION=2 wrk_run "$url" "Cookie: $grouped" >/dev/null
    local none=() twenty=()
    for _ in $(seq "$RUNS"); do
        read -r r _ _ <<<"$(wrk_run "$url" "Cookie: $plain")"; none+=("$r")
        read -r r _ _ <<<"$(wrk_run "$url" "Cookie: $grouped")"; twenty+=("$r")
    done
    local a b
    a=$(printf '%s\n' "${none[@]}" | median)
    b=$(printf '%s\n' "${twenty[@]}" | median)
    log "groups: no groups ${none[*]} req/s | 20 groups ${twenty[*]} req/s"
    echo "| /auth/verify, a user with 20 groups vs none | $b vs $a req/s ($(awk -v a="$a" -v b="$b" 'BEGIN {printf "%+.1f%%", (a - b) * 100 / a}') cost) | <= 10% |"
}

ratio() { awk -v d="$1" -v n="$2" 'BEGIN {printf "%.2f", d / n}'; }

# 10,000 sessions, a random one per request, while sign-ins run at $PACE/s;
# beside nginx and the bare handler. Prints table rows.
many_sessions() { # name url
    local name=$1 url=$2 tokens=$WORK/tokens.txt
    timeout 600 "$LOADGEN" seed --database-url "$url" --count "$MANY" --out "$tokens"
    start_doorman
    local verify_url="http://127.0.0.1:$DOORMAN_PORT/auth/verify"
    # Warm-up: every session looked up once, as a running instance has them cached.
    BENCH_ORDER=walk DURATION=$((MANY / 4000 + 2)) wrk_run "$verify_url" "@$tokens" >/dev/null
    local n_rps=() s_rps=() b_rps=() m_rps=() m_p99=() m_bad=0 ratios=() s_ratios=() bare_ratios=() paced_out=""
    for run in $(seq "$RUNS"); do
        read -r r _ _ <<<"$(wrk_run "http://127.0.0.1:$NGINX_PORT/")"; n_rps+=("$r")
        # nginx sent the same scripted requests: wrk's Lua costs the same
        # CPU on both sides of this ratio.
        read -r r _ _ <<<"$(wrk_run "http://127.0.0.1:$NGINX_PORT/" "@$tokens")"; s_rps+=("$r")
        read -r r _ _ <<<"$(wrk_run "http://127.0.0.1:$BARE_PORT/auth/verify" "Cookie: doorman_session=x")"; b_rps+=("$r")
        "$LOADGEN" paced --doorman-port "$DOORMAN_PORT" --prefix "$name-paced-$run" \
            --per-second "$PACE" --seconds "$DURATION" >"$WORK/paced.out" 2>>"$WORK/doorman.log" &
        local paced=$!
        read -r r p b <<<"$(wrk_run "$verify_url" "@$tokens")"
        m_rps+=("$r"); m_p99+=("$p"); m_bad=$((m_bad + b))
        wait "$paced" || true
        paced_out+="$(cat "$WORK/paced.out") "
        ratios+=("$(ratio "$r" "${n_rps[-1]}")"); bare_ratios+=("$(ratio "${b_rps[-1]}" "${n_rps[-1]}")")
        s_ratios+=("$(ratio "$r" "${s_rps[-1]}")")
        log "many run $run: nginx ${n_rps[-1]} | nginx, same script ${s_rps[-1]} | bare ${b_rps[-1]} | doorman $MANY sessions + $PACE sign-ins/s $r req/s p99 $p ms, $b errors; $(cat "$WORK/paced.out") (load $(load))"
    done
    stop_doorman
    echo "| bare axum handler / nginx, per run (median) | ${bare_ratios[*]} ($(printf '%s\n' "${bare_ratios[@]}" | median)) | (framework ceiling) |"
    echo "| /auth/verify, $MANY sessions at random, $PACE sign-ins/s / nginx (median) | ${ratios[*]} ($(printf '%s\n' "${ratios[@]}" | median)), p99 $(printf '%s\n' "${m_p99[@]}" | median) ms, $m_bad errors | >= 0.55 |"
    echo "| the same / nginx sent the same scripted requests (median) | ${s_ratios[*]} ($(printf '%s\n' "${s_ratios[@]}" | median)) | |"
    echo "| background sign-ins per run | $paced_out | 0 failures |"

    # Memory: a fresh doorman walks every session once, then again with MANY_MAX.
    start_doorman
    local walk=$((MANY / 4000 + 2))
    BENCH_ORDER=walk DURATION=$walk wrk_run "$verify_url" "@$tokens" >/dev/null
    local hwm_many
    hwm_many=$(hwm_mb "$DOORMAN_PID")
    timeout 900 "$LOADGEN" seed --database-url "$url" --count $((MANY_MAX - MANY)) --out "$WORK/more.txt"
    cat "$WORK/more.txt" >>"$tokens"
    walk=$((MANY_MAX / 4000 + 2))
    BENCH_ORDER=walk DURATION=$walk wrk_run "$verify_url" "@$tokens" >/dev/null
    local hwm_max
    hwm_max=$(hwm_mb "$DOORMAN_PID")
    stop_doorman
    echo "| peak RSS (VmHWM), $MANY / $MANY_MAX sessions cached | $hwm_many MB / $hwm_max MB | <= 64 MiB at $MANY |"
}

bench_database() { # name url
    local name=$1 url=$2 start_load
    start_load=$(load)
    log ""
    log "== $name (load $(load))"
    write_config "$url"
    : >"$WORK/doorman.log"
    timeout 60 "$DOORMAN" --config "$WORK/doorman.toml" migrate >>"$WORK/doorman.log" 2>&1

    local ready=()
    for _ in 1 2 3 4 5; do
        start_doorman
        ready+=("$READY_MS")
        stop_doorman
    done
    local ready_ms
    ready_ms=$(printf '%s\n' "${ready[@]}" | median)
    log "start to ready (ms, 5 starts): ${ready[*]} -> median $ready_ms"

    start_doorman
    local cookie
    cookie=$(timeout 30 "$LOADGEN" session --doorman-port "$DOORMAN_PORT")
    local verify_url="http://127.0.0.1:$DOORMAN_PORT/auth/verify"
    local status
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$verify_url")
    [ "$status" = 200 ] || { log "bench: /auth/verify answered $status with the session"; return 1; }

    # Warm up both, then interleave runs so both see the same machine.
    DURATION=2 wrk_run "http://127.0.0.1:$NGINX_PORT/" >/dev/null
    DURATION=2 wrk_run "$verify_url" "Cookie: $cookie" >/dev/null
    local n_rps=() n_p99=() d_rps=() d_p99=() d_bad=0 loads=() ratios=()
    for run in $(seq "$RUNS"); do
        read -r r p _ <<<"$(wrk_run "http://127.0.0.1:$NGINX_PORT/")"
        n_rps+=("$r"); n_p99+=("$p")
        read -r r p b <<<"$(wrk_run "$verify_url" "Cookie: $cookie")"
        d_rps+=("$r"); d_p99+=("$p"); d_bad=$((d_bad + b))
        loads+=("$(load | cut -d' ' -f1)")
        ratios+=("$(awk -v d="${d_rps[-1]}" -v n="${n_rps[-1]}" 'BEGIN {printf "%.2f", d / n}')")
        log "run $run: nginx ${n_rps[-1]} req/s p99 ${n_p99[-1]} ms | doorman ${d_rps[-1]} req/s p99 ${d_p99[-1]} ms (load $(load))"
    done
    local nginx_rps nginx_p99 verify_rps verify_p99
    nginx_rps=$(printf '%s\n' "${n_rps[@]}" | median)
    nginx_p99=$(printf '%s\n' "${n_p99[@]}" | median)
    verify_rps=$(printf '%s\n' "${d_rps[@]}" | median)
    verify_p99=$(printf '%s\n' "${d_p99[@]}" | median)
    local hwm_verify
    hwm_verify=$(hwm_mb "$DOORMAN_PID")
    local assertion_lines
    assertion_lines=$(bench_assertion "$url" "$cookie" "$verify_url")
    local groups_line
    groups_line=$(bench_groups "$cookie" "$verify_url")

    local signin_lines=()
    for pass in new returning; do
        local before after out cpu_ms
        before=$(cpu_ticks "$DOORMAN_PID")
        out=$(timeout 300 "$LOADGEN" sign-ins --doorman-port "$DOORMAN_PORT" --prefix "$name-user" \
            --count "$SIGNINS" --concurrency "$CONCURRENCY") || log "bench: sign-ins reported failures"
        after=$(cpu_ticks "$DOORMAN_PID")
        cpu_ms=$(awk -v d=$((after - before)) -v t="$TICK" -v n="$SIGNINS" 'BEGIN {printf "%.2f", d * 1000 / t / n}')
        log "sign-ins ($pass users, $CONCURRENCY at once): $out cpu_ms_per_signin=$cpu_ms (load $(load))"
        signin_lines+=("| sign-ins, $pass users, $CONCURRENCY at once | $(awk '{for (i=1;i<=NF;i++) {split($i,kv,"="); v[kv[1]]=kv[2]}} END {printf "%s/s, p99 %s ms, %s failures of %s", v["per_second"], v["p99_ms"], v["failures"], v["count"]}' <<<"$out") | $cpu_ms ms CPU per sign-in |")
    done
    local hwm_all
    hwm_all=$(hwm_mb "$DOORMAN_PID")
    stop_doorman
    local many_rows
    many_rows=$(many_sessions "$name" "$url")

    cat <<TABLE

### $name (load when it began: $start_load)

| figure | value | target |
|---|---|---|
| nginx \`return 200\`, 64 connections | $nginx_rps req/s, p99 $nginx_p99 ms | (ceiling) |
| /auth/verify, 64 connections | $verify_rps req/s, p99 $verify_p99 ms, $d_bad errors | >= $(awk -v n="$nginx_rps" 'BEGIN {printf "%.0f", n / 2}') req/s, p99 < 5 ms |
| /auth/verify / nginx, per run (median) | ${ratios[*]} ($(printf '%s\n' "${ratios[@]}" | median)) | >= 0.50 |
$assertion_lines
$groups_line
$(printf '%s\n' "${signin_lines[@]}")
| peak RSS (VmHWM) after /auth/verify | $hwm_verify MB | < 50 MB |
| peak RSS (VmHWM) after sign-ins | $hwm_all MB | < 50 MB |
| start to ready, migrations applied (median of 5) | $ready_ms ms | < 300 ms |
$many_rows

(medians of $RUNS interleaved ${DURATION}s wrk runs, 2 threads; 1-minute load during the runs: ${loads[*]})
TABLE
}

# shellcheck source=bench/deployed.sh
. bench/deployed.sh

main() {
    need
    for p in $DOORMAN_PORT $PROVIDER_PORT $NGINX_PORT $ASSERT_PORT $STATIC_PORT $DEPLOYED_PORT $BARE_PORT; do
        port_free "$p" || { log "bench: 127.0.0.1:$p is in use (set BENCH_PORT)"; exit 1; }
    done
    log "bench: building doorman and the load generator ($PROFILE)"
    timeout 1200 cargo build --profile "$PROFILE" --quiet --bin doorman --example loadgen --example bare

    log "bench: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo), load $(load)"
    start_nginx
    "$LOADGEN" provider --port "$PROVIDER_PORT" --lifetime "$LIMIT" >"$WORK/provider.log" 2>&1 &
    PIDS+=("$!")
    wait_http "http://127.0.0.1:$PROVIDER_PORT/.well-known/openid-configuration" 10
    "$BARE" "$BARE_PORT" >"$WORK/bare.log" 2>&1 &
    PIDS+=("$!")
    wait_http "http://127.0.0.1:$BARE_PORT/auth/verify" 10

    echo "## doorman bench, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo), $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    case " $SCENARIOS " in *" databases "*) ;; *) DATABASES="" ;; esac
    for db in $DATABASES; do
        case $db in
        sqlite)
            bench_database sqlite "sqlite://$WORK/doorman.db?mode=rwc"
            ;;
        postgres)
            if ! timeout 10 psql -q "$PG" -c 'SELECT 1' >/dev/null 2>&1; then
                log "bench: PostgreSQL at $PG is not reachable; skipped"
                continue
            fi
            PG_DB="doorman_bench_$$"
            timeout 20 psql -q "$PG" -c "CREATE DATABASE $PG_DB" >/dev/null
            bench_database postgres "${PG%/*}/$PG_DB${PG_PARAMS:+?$PG_PARAMS}"
            timeout 20 psql -q "$PG" -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null
            PG_DB=""
            ;;
        *) log "bench: unknown database $db" ;;
        esac
    done
    case " $SCENARIOS " in *" deployed "*) bench_deployed ;; esac
}

main "$@"
