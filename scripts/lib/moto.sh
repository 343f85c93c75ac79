# shellcheck shell=bash
# Helpers around a local moto_server, for scripts that exercise ec2spotter against a fake
# EC2 (the end-to-end boot suite, the demo, the benchmark). Source this file, then:
#
#   moto_start WORKDIR          start moto_server on a free loopback port, log to WORKDIR/moto.log;
#                               sets MOTO_PORT MOTO_URL MOTO_PID
#   moto_stop                   stop it (safe to call twice, and from an EXIT trap)
#   moto_aws ARGS...            the aws CLI against that moto, with dummy credentials only
#   moto_seed ZONE NAME [GIB]   VPC, subnet in ZONE, security group, key pair, an AMI and a
#                               volume in ZONE tagged Name=NAME; sets SEED_VPC_ID SEED_SUBNET_ID
#                               SEED_SG_ID SEED_KEY_NAME SEED_AMI_ID SEED_VOLUME_ID
#
# Functions return non-zero with a message on stderr; they never exit the caller's shell.
# Nothing here ever reaches AWS: every request goes to 127.0.0.1, signed with fixed dummy
# keys, and the user's own AWS configuration and credential files are hidden from the CLI.

# The keys moto sees. moto accepts any; these must never be real ones.
MOTO_ACCESS_KEY_ID=AKIDMOTOTESTING00001
MOTO_SECRET_ACCESS_KEY=moto-secret-key-never-printed-0001
# Region for moto_aws; moto_seed sets it from its zone.
MOTO_REGION=${MOTO_REGION:-us-east-1}

_moto_err() { echo "moto: $*" >&2; }

# A TCP port that is free on 127.0.0.1 right now (the kernel picks it).
_moto_free_port() {
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

moto_start() {
    local workdir=${1:?usage: moto_start WORKDIR} port pid log attempt i
    if ! command -v moto_server >/dev/null 2>&1; then
        _moto_err 'moto_server not found; install it with: pip install "moto[server]"'
        return 1
    fi
    if ! command -v curl >/dev/null 2>&1; then
        _moto_err "curl not found (needed to check that moto_server answers)"
        return 1
    fi
    mkdir -p "$workdir" || return 1
    log=$workdir/moto.log
    # Another process can take the port between choosing and binding it: try a few.
    for attempt in 1 2 3; do
        port=$(_moto_free_port) || { _moto_err "cannot find a free loopback port"; return 1; }
        echo "moto_server -H 127.0.0.1 -p $port (attempt $attempt)" >>"$log"
        moto_server -H 127.0.0.1 -p "$port" >>"$log" 2>&1 &
        pid=$!
        for ((i = 0; i < 300; i++)); do
            if ! kill -0 "$pid" 2>/dev/null; then
                break
            fi
            if curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$port/moto-api/data.json"; then
                MOTO_PORT=$port
                MOTO_URL=http://127.0.0.1:$port
                MOTO_PID=$pid
                export MOTO_PORT MOTO_URL MOTO_PID
                return 0
            fi
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null
            wait "$pid" 2>/dev/null
            _moto_err "moto_server did not answer on port $port within 30 s; see $log"
            return 1
        fi
        wait "$pid" 2>/dev/null
    done
    _moto_err "moto_server exited at start three times; last lines of $log:"
    tail -n 5 "$log" >&2
    return 1
}

moto_stop() {
    [ -n "${MOTO_PID:-}" ] || return 0
    if kill "$MOTO_PID" 2>/dev/null; then
        wait "$MOTO_PID" 2>/dev/null
    fi
    unset MOTO_PID MOTO_PORT MOTO_URL
    return 0
}

moto_aws() {
    if [ -z "${MOTO_URL:-}" ]; then
        _moto_err "moto_aws: no moto running (call moto_start first)"
        return 1
    fi
    # env -i would lose PATH and the pyenv shims; unset what could point at real accounts.
    env -u AWS_PROFILE -u AWS_DEFAULT_PROFILE -u AWS_SESSION_TOKEN -u AWS_SECURITY_TOKEN \
        -u AWS_ROLE_ARN -u AWS_WEB_IDENTITY_TOKEN_FILE -u AWS_CONTAINER_CREDENTIALS_FULL_URI \
        -u AWS_CONTAINER_CREDENTIALS_RELATIVE_URI -u AWS_ENDPOINT_URL -u AWS_ENDPOINT_URL_EC2 \
        AWS_ACCESS_KEY_ID="$MOTO_ACCESS_KEY_ID" AWS_SECRET_ACCESS_KEY="$MOTO_SECRET_ACCESS_KEY" \
        AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
        AWS_EC2_METADATA_DISABLED=true AWS_PAGER='' \
        aws --endpoint-url "$MOTO_URL" --region "$MOTO_REGION" "$@"
}

# _moto_text ARGS...: moto_aws with --output text, failing when the answer is empty or None.
_moto_text() {
    local out
    out=$(moto_aws --output text "$@") || return 1
    if [ -z "$out" ] || [ "$out" = None ]; then
        _moto_err "empty answer from: aws $*"
        return 1
    fi
    printf '%s\n' "$out"
}

moto_seed() {
    local zone=${1:?usage: moto_seed ZONE VOLUME_NAME [SIZE_GIB]}
    local name=${2:?usage: moto_seed ZONE VOLUME_NAME [SIZE_GIB]}
    local size=${3:-8}
    MOTO_REGION=${zone%[a-z]}
    SEED_VPC_ID=$(_moto_text ec2 create-vpc --cidr-block 10.0.0.0/16 \
        --query Vpc.VpcId) || return 1
    SEED_SUBNET_ID=$(_moto_text ec2 create-subnet --vpc-id "$SEED_VPC_ID" \
        --cidr-block 10.0.1.0/24 --availability-zone "$zone" --query Subnet.SubnetId) || return 1
    SEED_SG_ID=$(_moto_text ec2 create-security-group --vpc-id "$SEED_VPC_ID" \
        --group-name ec2spotter-seed --description "ec2spotter test group" \
        --query GroupId) || return 1
    SEED_KEY_NAME=ec2spotter-seed
    _moto_text ec2 create-key-pair --key-name "$SEED_KEY_NAME" --query KeyName >/dev/null || return 1
    # One of the images moto ships for every region: the first by id, so runs are repeatable.
    SEED_AMI_ID=$(_moto_text ec2 describe-images --owners amazon \
        --query 'sort(Images[].ImageId)[0]') || return 1
    SEED_VOLUME_ID=$(_moto_text ec2 create-volume --availability-zone "$zone" \
        --size "$size" --volume-type gp3 \
        --tag-specifications "ResourceType=volume,Tags=[{Key=Name,Value=$name}]" \
        --query VolumeId) || return 1
    export MOTO_REGION SEED_VPC_ID SEED_SUBNET_ID SEED_SG_ID SEED_KEY_NAME SEED_AMI_ID SEED_VOLUME_ID
}
