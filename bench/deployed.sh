# shellcheck shell=bash
# The deployed path, sourced by bench/run.sh: a static file protected by
# nginx + doorman with README.md's nginx snippet (read from the README,
# ports rewritten), beside the same nginx serving the file unprotected.

readme_snippet() {
    awk '/<!-- tested: nginx -->/ {m = 1; next}
         m == 1 && /^```/ {m = 2; next}
         m == 2 && /^```/ {exit}
         m == 2 {print}' README.md
}

start_deployed_nginx() { # the file on $STATIC_PORT, the snippet on $DEPLOYED_PORT
    # The snippet's app is the same file served by the same nginx (its
    # `proxy_pass` to the app becomes `root`), so the two rates differ only
    # by the auth_request to doorman.
    local dir=$WORK/deployed
    mkdir -p "$dir/static"
    head -c 1024 /dev/zero | tr '\0' 'x' >"$dir/static/file.txt"
    # nginx's workers (www-data when started as root) must reach the file.
    chmod a+x "$WORK" "$dir"
    chmod -R a+rX "$dir/static"
    {
        cat <<CONF
worker_processes auto;
daemon on;
pid $WORK/deployed.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $dir;
    proxy_temp_path $dir;
    fastcgi_temp_path $dir;
    uwsgi_temp_path $dir;
    scgi_temp_path $dir;
    server {
        listen 127.0.0.1:$STATIC_PORT;
        root $dir/static;
    }
CONF
        readme_snippet | sed -e "s/listen 80;/listen 127.0.0.1:$DEPLOYED_PORT;/" \
            -e "s/127\.0\.0\.1:8080/127.0.0.1:$DOORMAN_PORT/" \
            -e "s#proxy_pass http://127\.0\.0\.1:3000;#root $dir/static;#"
        echo "}"
    } >"$dir/nginx.conf"
    local nginx
    nginx=$(command -v nginx || echo /usr/sbin/nginx)
    timeout 10 "$nginx" -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" || true
    wait_http "http://127.0.0.1:$STATIC_PORT/file.txt" 10 || { cat "$dir/error.log" >&2; return 1; }
}

login_pages() { # how many sign-in pages doorman has answered
    curl -s "http://127.0.0.1:$DOORMAN_PORT$PREFIX/metrics" |
        awk '/^doorman_http_requests_total\{/ && /route="[^"]*\/login"/ {n += $NF} END {print n + 0}'
}

bench_deployed() {
    local start_load
    start_load=$(load)
    log ""
    log "== deployed path (load $start_load)"
    write_config "sqlite://$WORK/deployed.db?mode=rwc" "$DOORMAN_PORT" "$WORK/doorman.toml" "" "$PREFIX"
    : >"$WORK/doorman.log"
    timeout 60 "$DOORMAN" --config "$WORK/doorman.toml" migrate >>"$WORK/doorman.log" 2>&1
    DOORMAN_BASE=$PREFIX start_doorman
    local cookie
    cookie=$(timeout 30 "$LOADGEN" session --doorman-port "$DOORMAN_PORT" --path-prefix "$PREFIX")
    start_deployed_nginx
    local plain="http://127.0.0.1:$STATIC_PORT/file.txt"
    local protected="http://127.0.0.1:$DEPLOYED_PORT/file.txt"
    if [ "$(curl -s -H "Cookie: $cookie" "$protected")" != "$(cat "$WORK/deployed/static/file.txt")" ]; then
        log "bench: the protected file did not come through nginx + doorman"
        return 1
    fi
    if [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept: application/json' "$protected")" != 401 ]; then
        log "bench: a signed-out JSON request was not answered 401"
        return 1
    fi

    # wrk's -H takes a whole header line. Signed out, nginx would serve the
    # sign-in page with a 200, so the runs are checked afterwards against
    # doorman's own count of sign-in pages (it must not move).
    local header="Cookie: $cookie" pages_before pages_after
    pages_before=$(login_pages)
    DURATION=2 wrk_run "$plain" >/dev/null
    DURATION=2 wrk_run "$protected" "$header" >/dev/null
    local p_rps=() d_rps=() d_p99=() d_bad=0 ratios=() loads=() r p b
    for run in $(seq "$RUNS"); do
        read -r r _ _ <<<"$(wrk_run "$plain")"
        p_rps+=("$r")
        read -r r p b <<<"$(wrk_run "$protected" "$header")"
        d_rps+=("$r"); d_p99+=("$p"); d_bad=$((d_bad + b))
        loads+=("$(load | cut -d' ' -f1)")
        ratios+=("$(awk -v d="${d_rps[-1]}" -v n="${p_rps[-1]}" 'BEGIN {printf "%.2f", d / n}')")
        log "run $run: nginx ${p_rps[-1]} req/s | nginx + doorman ${d_rps[-1]} req/s p99 ${d_p99[-1]} ms (load $(load))"
    done
    pages_after=$(login_pages)
    stop_doorman
    if [ "$pages_after" != "$pages_before" ]; then
        log "bench: the protected runs were signed out ($pages_before -> $pages_after sign-in pages)"
        return 1
    fi

    cat <<TABLE

### deployed path: a static file behind nginx + doorman, README.md's snippet, SQLite (load when it began: $start_load)

| figure | value | target |
|---|---|---|
| nginx serving the 1 KiB file, 64 connections | $(printf '%s\n' "${p_rps[@]}" | median) req/s | (ceiling) |
| the file through nginx + doorman, signed in, 64 connections | $(printf '%s\n' "${d_rps[@]}" | median) req/s, p99 $(printf '%s\n' "${d_p99[@]}" | median) ms, $d_bad errors | |
| protected / unprotected, per run (median) | ${ratios[*]} ($(printf '%s\n' "${ratios[@]}" | median)) | >= 0.30 |

(medians of $RUNS interleaved ${DURATION}s wrk runs, 2 threads; 1-minute load during the runs: ${loads[*]})
TABLE
}
