#!/bin/sh
# ec2spotter interruption watcher, put on the volume by the boot script (README: "Interruption hooks").
# It polls IMDSv2 for spot interruption and rebalance notices; on a new one it
# logs (journal, /var/log/ec2spotter.log), walls, runs the hooks of /etc/ec2spotter/KIND.d/
# at once under one deadline, logs their output, and syncs. Hooks get TERM shutdown_seconds + kill_grace before
# EC2's action time (KILL kill_grace later); a rebalance counts as an interruption 2 min away.
# A notice is recorded in /var/lib/ec2spotter/ before its hooks start: handled once.
# Exit 3: curl or timeout missing. EC2SPOTTER_LIBRARY=yes: define the functions only.
# shellcheck disable=SC2016

set -u

# >>> ec2spotter parameters
imds_url='http://169.254.169.254'
root=''
poll_seconds='5'
token_ttl='21600'
shutdown_seconds='30'
# <<< ec2spotter parameters

kill_grace=5
min_hook_seconds=10
log_file="$root/var/log/ec2spotter.log"
state_dir="$root/var/lib/ec2spotter"
run_dir="$root/run/ec2spotter"
hooks_dir="$root/etc/ec2spotter"

say() {
    printf 'ec2spotter-watcher: %s\n' "$*" >&2
    printf '%s ec2spotter-watcher: %s\n' "$(date -u '+%Y-%m-%dT%H:%M:%SZ')" "$*" >>"$log_file" 2>/dev/null || true
}

# The session token goes into a header file curl reads, never onto a command line.
new_token() {
    imds_token=$(curl -sf -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: $token_ttl" \
        --connect-timeout 2 --max-time 3 "$imds_url/latest/api/token") && [ -n "$imds_token" ] || return 1
    printf 'X-aws-ec2-metadata-token: %s\n' "$imds_token" >"$run_dir/headers"
}

# Both notices in one curl (one process per poll); prints their HTTP codes, 000 for no answer.
fetch_notices() {
    curl -s -H "@$run_dir/headers" --connect-timeout 2 --max-time 3 -w '%{http_code} ' \
        -o "$run_dir/interruption" "$imds_url/latest/meta-data/spot/instance-action" \
        -o "$run_dir/rebalance" "$imds_url/latest/meta-data/events/recommendations/rebalance"
}

imds_trouble() {
    if [ -z "$imds_down_since" ]; then
        imds_down_since=$(date +%s)
        say "IMDS at $imds_url does not answer ($1); still asking every ${poll_seconds}s"
    fi
}

poll() {
    if [ -z "$imds_token" ] && ! new_token; then
        imds_trouble "no session token"
        return 0
    fi
    codes=$(fetch_notices)
    case $codes in
        *401*)
            # The token expired, or IMDS no longer knows it.
            if ! new_token; then
                imds_trouble "no session token"
                return 0
            fi
            codes=$(fetch_notices) ;;
    esac
    case $codes in
        '200 '*) notice interruption ;;
    esac
    case $codes in
        *' 200 ') notice rebalance ;;
    esac
    case $codes in
        '200 200 ' | '200 404 ' | '404 200 ' | '404 404 ')
            if [ -n "$imds_down_since" ]; then
                say "IMDS answers again, after $(($(date +%s) - imds_down_since))s"
                imds_down_since=''
            fi ;;
        *) imds_trouble "HTTP $codes" ;;
    esac
}

# notice KIND: the notice of KIND just fetched; handled in the background unless it was already,
# so that polling goes on (an interruption can follow a rebalance recommendation).
notice() {
    notice_text=''
    IFS= read -r notice_text <"$run_dir/$1" || [ -n "$notice_text" ] || return 0
    if [ "$1" = interruption ]; then
        [ "$notice_text" != "$handled_interruption" ] || return 0
        handled_interruption=$notice_text
    else
        [ "$notice_text" != "$handled_rebalance" ] || return 0
        handled_rebalance=$notice_text
    fi
    if ! { printf '%s\n' "$notice_text" >"$state_dir/$1.new" && mv -f "$state_dir/$1.new" "$state_dir/$1"; }; then
        say "WARNING: cannot record the notice in $state_dir/$1; a restarted watcher will handle it again"
    fi
    handle "$1" "$notice_text" &
}

# json_string KEY JSON: the string under KEY in a flat one-line JSON object.
json_string() {
    printf '%s\n' "$2" | sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\\([^\"]*\\)\".*/\\1/p"
}

# handle KIND NOTICE: log, wall, the hooks of KIND under their deadline, sync.
handle() {
    EC2SPOTTER_EVENT=$1
    if [ "$1" = interruption ]; then
        EC2SPOTTER_TIME=$(json_string time "$2")
        EC2SPOTTER_ACTION=$(json_string action "$2")
        case $EC2SPOTTER_ACTION in
            terminate | stop | hibernate) ;;
            *) EC2SPOTTER_ACTION=unknown ;;
        esac
    else
        EC2SPOTTER_TIME=$(json_string noticeTime "$2")
        EC2SPOTTER_ACTION=rebalance
    fi
    case $EC2SPOTTER_TIME in
        [0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]Z) ;;
        *) EC2SPOTTER_TIME='' ;;
    esac
    now=$(date +%s)
    action_at=$((now + 120))
    if [ "$1" = interruption ]; then
        if [ -n "$EC2SPOTTER_TIME" ]; then
            clock=${EC2SPOTTER_TIME#*T}
            action_at=$(date -u -d "${EC2SPOTTER_TIME%T*} ${clock%Z}" +%s) || action_at=$((now + 120))
        fi
        message="spot interruption notice: EC2 will $EC2SPOTTER_ACTION this instance at ${EC2SPOTTER_TIME:-a time it did not say}"
    else
        message="rebalance recommendation (${EC2SPOTTER_TIME:-no time given}): EC2 may interrupt this spot instance soon"
    fi
    EC2SPOTTER_TIMEOUT=$((action_at - shutdown_seconds - kill_grace - now))
    [ "$EC2SPOTTER_TIMEOUT" -ge "$min_hook_seconds" ] || EC2SPOTTER_TIMEOUT=$min_hook_seconds
    export EC2SPOTTER_EVENT EC2SPOTTER_ACTION EC2SPOTTER_TIME EC2SPOTTER_TIMEOUT

    say "$message"
    if command -v wall >/dev/null 2>&1; then
        printf 'ec2spotter: %s\n' "$message" | wall || say "WARNING: wall failed"
    fi
    hooks=0
    for hook in "$hooks_dir/$1.d"/*; do
        [ -f "$hook" ] || continue
        if [ -x "$hook" ]; then
            run_hook "$hook" &
            hooks=$((hooks + 1))
        else
            say "skipping $hook: not executable"
        fi
    done
    say "started $hooks hook(s) from $hooks_dir/$1.d, each with ${EC2SPOTTER_TIMEOUT}s"
    wait
    sync
    say "$1 notice handled; disks synced"
}

# run_hook FILE: one hook under its deadline; its output logged when it ends. Through a file,
# not a pipe: a process the hook leaves behind cannot hold the watcher up.
run_hook() {
    hook_name=${1##*/}
    hook_out="$run_dir/$EC2SPOTTER_EVENT.$hook_name.out"
    hook_start=$(date +%s)
    timeout -k "$kill_grace" "$EC2SPOTTER_TIMEOUT" "$1" </dev/null >"$hook_out" 2>&1
    hook_status=$?
    while IFS= read -r hook_line || [ -n "$hook_line" ]; do
        say "$hook_name: $hook_line"
    done <"$hook_out"
    rm -f "$hook_out"
    hook_seconds=$(($(date +%s) - hook_start))
    if [ "$hook_seconds" -ge "$EC2SPOTTER_TIMEOUT" ]; then
        say "hook $hook_name was still running at its deadline (${EC2SPOTTER_TIMEOUT}s): stopped (exit $hook_status)"
    elif [ "$hook_status" = 0 ]; then
        say "hook $hook_name done after ${hook_seconds}s"
    else
        say "hook $hook_name failed after ${hook_seconds}s (exit $hook_status)"
    fi
}

main() {
    cd / || exit 1
    for tool in curl timeout; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            say "ERROR: command $tool not found: the watcher cannot run (install it, then: systemctl restart ec2spotter-watcher)"
            exit 3
        fi
    done
    if ! { mkdir -p "$state_dir" "$run_dir" && chmod 700 "$run_dir"; }; then
        say "ERROR: cannot create $state_dir and $run_dir"
        exit 1
    fi
    handled_interruption='' handled_rebalance=''
    [ ! -f "$state_dir/interruption" ] || IFS= read -r handled_interruption <"$state_dir/interruption"
    [ ! -f "$state_dir/rebalance" ] || IFS= read -r handled_rebalance <"$state_dir/rebalance"
    imds_token='' imds_down_since=''
    say "watching $imds_url for spot interruption and rebalance notices every ${poll_seconds}s"
    while :; do
        poll
        sleep "$poll_seconds"
    done
}

if [ "${EC2SPOTTER_LIBRARY:-}" != yes ]; then
    main "$@"
fi
