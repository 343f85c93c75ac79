#!/bin/sh
# ec2spotter boot script. `ec2spotter launch` sends it as user-data; cloud-init runs it as root
# once per instance on the pre-boot system. It attaches the persistent EBS volume, gives its
# root filesystem a fresh UUID and label at the first launch, and installs an init stub that,
# at every boot, mounts that filesystem and pivots into it (or boots the pre-boot system if it
# cannot). The kernel finds the stub through init= on the command line where the AMI boots by
# GRUB (choose_boot_way); elsewhere the stub replaces /sbin/init.
#
# When it acts: only when run by cloud-init, recognised by $0 lying under
# <sysroot>/var/lib/cloud/ (cloud-init runs user-data as .../scripts/part-NNN there).
# Piped into sh or run from anywhere else it changes nothing and exits 2.
# On the persistent system itself (/.ec2spotter-volume or /old-root exists: cloud-init there
# re-runs user-data after a relaunch) it only deletes cloud-init's copies of embedded keys.
# Exit 1: a failure before the point of no return; the boot is untouched, the instance keeps
# its pre-boot system; the reason is in /var/log/ec2spotter.log, on the console and in
# the instance's tags (report_failure).
#
# Tools (nothing is installed at boot): the ones in tools_* below; tools_common is checked
# before anything, the others before the step that needs them. No key is ever in a command's
# arguments, which any local user can read in /proc.
# Tests: sourcing it with EC2SPOTTER_LIBRARY=yes defines the functions and runs nothing.
# Globals: the parameters, the settings below and what steps hand on (instance_id, zone,
# ec2_host, device, fs_device, fstype, mnt, fs_uuid, boot_way, stub_path, grub_config,
# grub_update, kernel_way, kernel_why, kernel_version, kernel_image, kernel_mod, grub_dir,
# grub_fs, grub_dir_rel). Any other variable starts with the name
# of the function that sets it.
#
# Parameter values are single-quoted words: a $ in them is literal, as it must be.
# shellcheck disable=SC2016

set -eu

# >>> ec2spotter parameters
volume_id=''
volume_name=''
region=''
ec2_endpoint=''
imds_url='http://169.254.169.254'
elastic_ip=''
instance_name=''
access_key_id=''
secret_access_key=''
session_token=''
sysroot=''
devroot=''
attach_timeout='300'
device_timeout='120'
credentials_timeout='60'
reboot='yes'
interruption_hooks='yes'
keep_host_keys='yes'
kernel='auto'
# <<< ec2spotter parameters

tools_common='curl sha256sum od sed tr cut date sleep mktemp cat cp mv rm mkdir chmod ln grep readlink sync blkid mount umount uname'
tools_ext4='e2fsck tune2fs'
tools_xfs='xfs_admin'
tools_gpt='sfdisk'
# What the init stub runs at boot, before any init: they must be on the pre-boot system.
tools_stub='sh mount umount findfs pivot_root readlink sleep mkdir date uname'

label='ec2spotter'
form_type='application/x-www-form-urlencoded; charset=utf-8'
poll_seconds=3
ec2_call_attempts=5
log_file=/dev/null
work=''
mounted=''
past_no_return=''
keys_embedded=no
instance_id=''
zone=''
ec2_host=''
sigv4_key_scope=''
sigv4_key=''
boot_way=''
stub_path=''
kernel_way=ami
kernel_why=''
kernel_version=''
kernel_image=''
grub_dir=''
grub_fs=''
grub_dir_rel=''
kernel_mod=ext2
# What the AMI's kernel command line gets (grub, grubby). A dracut emergency reboots: Amazon
# Linux 2023 powers off (rd.emergency=poweroff), and the last occurrence counts.
boot_args='init=/sbin/ec2spotter-init rd.emergency=reboot'

say() {
    say_line="$(date -u '+%Y-%m-%dT%H:%M:%SZ') ec2spotter: $*"
    printf '%s\n' "$say_line" >&2
    printf '%s\n' "$say_line" >>"$log_file" 2>/dev/null || true
}

die() {
    say "ERROR: $*"
    if [ -z "$past_no_return" ]; then
        say "the pre-boot system's boot is untouched: the instance keeps booting it"
        report_failure "$*"
    fi
    exit 1
}

# need_cmds "WORD...": fails naming the first command that is not installed.
need_cmds() {
    for need_cmds_name in $1; do
        command -v "$need_cmds_name" >/dev/null 2>&1 || die "command $need_cmds_name not found (needed by the boot script)"
    done
}

# wait_for SECONDS PAUSE CHECK [ARG...]: runs CHECK until it succeeds, PAUSE seconds apart; false
# once SECONDS have passed. CHECK runs in this shell, so it can leave facts for the caller's
# message, or die when waiting is pointless.
wait_for() {
    wait_for_limit=$1
    wait_for_pause=$2
    shift 2
    wait_for_start=$(date +%s)
    until "$@"; do
        [ $(($(date +%s) - wait_for_start)) -lt "$wait_for_limit" ] || return 1
        sleep "$wait_for_pause"
    done
}

# --- Signature Version 4 (the EC2 Query API over HTTPS) ---

# sha256_hex: SHA-256 of stdin, in hex. coreutils' and busybox's sha256sum: a process much
# cheaper to start than openssl, which matters on a slow instance (each signed call hashes six
# times).
sha256_hex() {
    sha256_hex_out=$(sha256sum) || return 1
    printf '%s' "${sha256_hex_out%% *}"
}

# hmac KEY: HMAC-SHA256 (RFC 2104) of stdin. KEY and the result are in hex. The padded keys
# and the inner hash are made by shell arithmetic and printf (built into the shell) and reach
# sha256sum on stdin, ahead of the data: no key byte is on a command line.
hmac() {
    hmac_pad "$1" 54
    hmac_inner=$hmac_pad_escapes
    hmac_pad "$1" 92
    hmac_inner_hash=$({ printf '%b' "$hmac_inner" && cat; } | sha256_hex) || return 1
    hmac_pad "$hmac_inner_hash" 0 32
    { printf '%b' "$hmac_outer_key" && printf '%b' "$hmac_pad_escapes"; } | sha256_hex
}

# hmac_pad HEX BYTE [LENGTH]: sets hmac_pad_escapes to the bytes of HEX, zero-filled to LENGTH
# bytes (SHA-256's 64-byte block), each byte XOR BYTE, as printf %b escapes (\0ooo); with
# BYTE 92 (the outer pad) it keeps them in hmac_outer_key as well.
hmac_pad() {
    hmac_pad_escapes=''
    hmac_pad_count=0
    hmac_pad_rest=$1
    while [ -n "$hmac_pad_rest" ]; do
        hmac_pad_tail=${hmac_pad_rest#??}
        hmac_pad_byte=$((0x${hmac_pad_rest%"$hmac_pad_tail"} ^ $2))
        hmac_pad_rest=$hmac_pad_tail
        hmac_pad_escapes="$hmac_pad_escapes\\0$((hmac_pad_byte >> 6))$((hmac_pad_byte >> 3 & 7))$((hmac_pad_byte & 7))"
        hmac_pad_count=$((hmac_pad_count + 1))
    done
    while [ "$hmac_pad_count" -lt "${3:-64}" ]; do
        hmac_pad_escapes="$hmac_pad_escapes\\0$(($2 >> 6))$(($2 >> 3 & 7))$(($2 & 7))"
        hmac_pad_count=$((hmac_pad_count + 1))
    done
    [ "$2" != 92 ] || hmac_outer_key=$hmac_pad_escapes
}

# RFC 3986 percent-encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~
uri_encode() {
    printf '%s' "$1" | od -An -v -tx1 | tr ' ' '\n' | while read -r uri_encode_byte; do
        case $uri_encode_byte in
            '') ;;
            2[de] | 3[0-9] | 4[1-9a-f] | 5[0-9a] | 5f | 6[1-9a-f] | 7[0-9a] | 7e)
                printf '%b' "\\0$(printf '%o' "0x$uri_encode_byte")" ;;
            *) printf '%%%02X' "0x$uri_encode_byte" ;;
        esac
    done
}

# The signed header names of "name:value" lines: name;name;...
sigv4_signed_headers() {
    printf '%s\n' "$1" | sed 's/:.*//' | tr '\n' ';' | sed 's/;$//'
}

# sigv4_canonical_request METHOD PATH QUERY HEADERS PAYLOAD_HASH, where QUERY is encoded and
# sorted, and HEADERS are "name:value" lines with lower-case names in sorted order.
sigv4_canonical_request() {
    printf '%s\n%s\n%s\n%s\n\n%s\n%s' "$1" "$2" "$3" "$4" "$(sigv4_signed_headers "$4")" "$5"
}

# sigv4_signing_key SERVICE DAY: sets sigv4_key to the day's signing key (hex) for SERVICE in
# $region, derived from $secret_access_key (four HMACs) unless sigv4_key_scope says it is the
# one already derived. load_credentials derives it in the main shell, so the calls made in
# command substitutions (subshells) inherit it.
sigv4_signing_key() {
    [ "$sigv4_key_scope" != "$2/$region/$1/${#secret_access_key}/$access_key_id" ] || return 0
    sigv4_key=$(printf '%s' "AWS4$secret_access_key" | od -An -v -tx1 | tr -d ' \n') || return 1
    for sigv4_signature_part in "$2" "$region" "$1" aws4_request; do
        sigv4_key=$(printf '%s' "$sigv4_signature_part" | hmac "$sigv4_key") || return 1
    done
    sigv4_key_scope="$2/$region/$1/${#secret_access_key}/$access_key_id"
}

# sigv4_signature SERVICE AMZ_DATE CANONICAL_REQUEST, with $region and $secret_access_key
sigv4_signature() {
    sigv4_signature_day=${2%%T*}
    sigv4_signing_key "$1" "$sigv4_signature_day" || return 1
    sigv4_signature_hash=$(printf '%s' "$3" | sha256_hex) || return 1
    printf 'AWS4-HMAC-SHA256\n%s\n%s\n%s' "$2" "$sigv4_signature_day/$region/$1/aws4_request" "$sigv4_signature_hash" |
        hmac "$sigv4_key"
}

# ec2_form ACTION [NAME=VALUE]...: the form-encoded body of an EC2 Query API call.
ec2_form() {
    printf 'Action=%s&Version=2016-11-15' "$1"
    shift
    for ec2_form_pair in "$@"; do
        printf '&%s=%s' "$(uri_encode "${ec2_form_pair%%=*}")" "$(uri_encode "${ec2_form_pair#*=}")"
    done
}

# ec2_headers HOST AMZ_DATE PAYLOAD_HASH: the headers an EC2 call signs, as the SDK sends them.
ec2_headers() {
    printf 'content-type:%s\nhost:%s\nx-amz-content-sha256:%s\nx-amz-date:%s' "$form_type" "$1" "$3" "$2"
    if [ -n "$session_token" ]; then
        printf '\nx-amz-security-token:%s' "$session_token"
    fi
}

# ec2_call ACTION [NAME=VALUE]...: one signed EC2 call, retried up to $ec2_call_attempts times
# when EC2 throttles or fails; prints the XML answer.
ec2_call() {
    ec2_call_action=$1
    ec2_call_body=$(ec2_form "$@")
    ec2_call_hash=$(printf '%s' "$ec2_call_body" | sha256_hex)
    printf '%s' "$ec2_call_body" >"$work/ec2.body"
    ec2_call_try=1
    while :; do
        ec2_call_date=$(date -u '+%Y%m%dT%H%M%SZ')
        ec2_call_signed=$(ec2_headers "$ec2_host" "$ec2_call_date" "$ec2_call_hash")
        ec2_call_signature=$(sigv4_signature ec2 "$ec2_call_date" \
            "$(sigv4_canonical_request POST / '' "$ec2_call_signed" "$ec2_call_hash")")
        {
            printf '%s\n' "$ec2_call_signed"
            printf 'authorization:AWS4-HMAC-SHA256 Credential=%s/%s/%s/ec2/aws4_request, SignedHeaders=%s, Signature=%s\n' \
                "$access_key_id" "${ec2_call_date%%T*}" "$region" "$(sigv4_signed_headers "$ec2_call_signed")" "$ec2_call_signature"
        } >"$work/ec2.headers"
        ec2_call_code=$(curl -sS -o "$work/ec2.out" -w '%{http_code}' --connect-timeout 10 --max-time 60 \
            -H "@$work/ec2.headers" --data-binary "@$work/ec2.body" "$ec2_endpoint/") || ec2_call_code=000
        case $ec2_call_code in
            2??)
                cat "$work/ec2.out"
                return 0 ;;
        esac
        ec2_call_error=$(xml_lines <"$work/ec2.out" 2>/dev/null | sed -n 's/^Code>//p; s/^Message>//p' | tr '\n' ' ')
        case $ec2_call_code:$ec2_call_error in
            000:* | 5??:* | *RequestLimitExceeded* | *Throttling*) ;;
            *)
                say "EC2 $ec2_call_action failed: HTTP $ec2_call_code $ec2_call_error"
                return 1 ;;
        esac
        if [ "$ec2_call_try" -ge "$ec2_call_attempts" ]; then
            say "EC2 $ec2_call_action failed $ec2_call_try times, last: HTTP $ec2_call_code $ec2_call_error"
            return 1
        fi
        say "EC2 $ec2_call_action: HTTP $ec2_call_code $ec2_call_error; retrying"
        sleep "$ec2_call_try"
        ec2_call_try=$((ec2_call_try + 1))
    done
}

# --- XML answers and the instance metadata service (IMDSv2) ---

# One element per line, as "name>text" and "/name>".
xml_lines() {
    tr '<' '\n'
}

xml_unescape() {
    sed "s/&lt;/</g; s/&gt;/>/g; s/&quot;/\"/g; s/&apos;/'/g; s/&amp;/\\&/g"
}

# Volume fields from a DescribeVolumes answer holding one volume.
volume_field() {
    case $1 in
        status) sed '/^attachmentSet>/,/^\/attachmentSet>/d; /^tagSet>/,/^\/tagSet>/d' | sed -n 's/^status>//p' ;;
        zone) sed -n 's/^availabilityZone>//p' ;;
        attached_to) sed -n '/^attachmentSet>/,/^\/attachmentSet>/s/^instanceId>//p' ;;
        attachment) sed -n '/^attachmentSet>/,/^\/attachmentSet>/s/^status>//p' ;;
        name) sed -n '/^key>Name$/,/^value>/s/^value>//p' | xml_unescape ;;
    esac
}

imds_init() {
    imds_init_token=$(curl -sS -f -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 21600' \
        --connect-timeout 5 --max-time 10 --retry 10 --retry-delay 2 --retry-connrefused \
        "$imds_url/latest/api/token") || die "no IMDSv2 token from $imds_url"
    printf 'X-aws-ec2-metadata-token: %s\n' "$imds_init_token" >"$work/imds.headers"
}

imds_get() {
    curl -sS -f -H "@$work/imds.headers" --connect-timeout 5 --max-time 10 --retry 5 --retry-delay 1 \
        "$imds_url/latest/$1"
}

# The string value of key $1 in the JSON on stdin (IMDS's flat credentials document).
json_string() {
    # shellcheck disable=SC2020 # each of , { } becomes a line break
    tr ',{}' '\n\n\n' | sed -n "s/^[[:space:]]*\"$1\"[[:space:]]*:[[:space:]]*\"\\([^\"]*\\)\".*/\\1/p"
}

# --- telling the user ---

# report_failure REASON: a failure before the point of no return reaches the user's workstation:
# one console line (EC2's GetConsoleOutput) and, once the instance's credentials are known, the
# tags ec2spotter:boot=failed and ec2spotter:boot-reason=REASON, in what EC2 accepts in a tag
# value anywhere (letters, digits, spaces, + - = . _ : / @; 256 characters). One attempt: the
# instance may be shutting down.
report_failure() {
    report_failure_reason=$(printf '%s' "$1" | tr -c 'A-Za-z0-9 +=._:/@-' ' ' | tr -s ' ' | cut -c1-256)
    report_failure_line="$(date -u '+%Y-%m-%dT%H:%M:%SZ') ec2spotter: boot=failed reason=$report_failure_reason"
    printf '%s\n' "$report_failure_line" >"$devroot/dev/console" 2>/dev/null || true
    printf '%s\n' "$report_failure_line" >>"$log_file" 2>/dev/null || true
    if [ -z "$instance_id" ] || [ -z "$secret_access_key" ] || [ -z "$ec2_host" ]; then
        say "the instance is not tagged ec2spotter:boot=failed: its credentials were not known yet"
        return 0
    fi
    ec2_call_attempts=1
    if ec2_call CreateTags "ResourceId.1=$instance_id" Tag.1.Key=ec2spotter:boot Tag.1.Value=failed \
        Tag.2.Key=ec2spotter:boot-reason "Tag.2.Value=$report_failure_reason" >/dev/null; then
        say "tagged $instance_id ec2spotter:boot=failed"
    else
        say "WARNING: cannot tag $instance_id ec2spotter:boot=failed (does the role allow ec2:CreateTags?)"
    fi
}

# --- steps ---

guards() {
    if [ -e "$sysroot/.ec2spotter-volume" ] || [ -e "$sysroot/old-root" ]; then
        say "/ is already the persistent volume (found /.ec2spotter-volume or /old-root): nothing to do"
        # This system's cloud-init saved the user-data, with the keys, on the volume.
        forget_embedded_keys
        exit 0
    fi
    case $0 in
        "$sysroot"/var/lib/cloud/*) ;;
        *)
            say "not run by cloud-init (\$0 is $0, not under $sysroot/var/lib/cloud/): refusing to change anything"
            exit 2 ;;
    esac
}

# The instance's id and zone, and where EC2 is: in the region's partition, whose domain IMDS
# knows (amazonaws.com, amazonaws.com.cn, ...).
read_identity() {
    instance_id=$(imds_get meta-data/instance-id) || die "cannot read the instance id from IMDS"
    zone=$(imds_get meta-data/placement/availability-zone) || die "cannot read the zone from IMDS"
    if [ -z "$region" ]; then
        region=$(imds_get meta-data/placement/region) || die "cannot read the region from IMDS"
    fi
    if [ -z "$ec2_endpoint" ]; then
        read_identity_domain=$(imds_get meta-data/services/domain) ||
            die "cannot read the endpoint domain from IMDS (meta-data/services/domain)"
        case $read_identity_domain in
            '' | *[!a-z0-9.-]*) die "IMDS gives '$read_identity_domain' as the endpoint domain: not a domain name" ;;
        esac
        ec2_endpoint="https://ec2.$region.$read_identity_domain"
    fi
    ec2_host=${ec2_endpoint#*://}
    ec2_host=${ec2_host%%/*}
    ec2_endpoint=${ec2_endpoint%/}
    say "instance $instance_id in $zone; EC2 at $ec2_endpoint"
}

# role_credentials: true once IMDS hands out the instance profile role's credentials; it answers
# 404 until the profile is associated, for a while after launch.
role_credentials() {
    role_credentials_name=''
    role_credentials_list=$(imds_get meta-data/iam/security-credentials/ 2>/dev/null) || return 1
    role_credentials_name=$(printf '%s\n' "$role_credentials_list" | sed -n 1p)
    [ -n "$role_credentials_name" ] || return 1
    role_credentials_json=$(imds_get "meta-data/iam/security-credentials/$role_credentials_name" 2>/dev/null) || return 1
    [ "$(printf '%s' "$role_credentials_json" | json_string Code)" = Success ] || return 1
    access_key_id=$(printf '%s' "$role_credentials_json" | json_string AccessKeyId)
    secret_access_key=$(printf '%s' "$role_credentials_json" | json_string SecretAccessKey)
    session_token=$(printf '%s' "$role_credentials_json" | json_string Token)
    [ -n "$access_key_id" ] && [ -n "$secret_access_key" ]
}

load_credentials() {
    if [ "$keys_embedded" = yes ]; then
        say "using the access key embedded in user-data (ec2spotter_embed_credentials=yes)"
    elif role_credentials; then
        say "using the temporary credentials of instance profile role $role_credentials_name"
    else
        say "IMDS has no instance profile credentials yet; waiting up to ${credentials_timeout}s"
        if ! wait_for "$credentials_timeout" 2 role_credentials; then
            access_key_id='' secret_access_key='' session_token=''
            if [ -z "$role_credentials_name" ]; then
                die "the instance has no instance profile role after ${credentials_timeout}s (set ec2spotter_iam_instance_profile)"
            fi
            die "IMDS has no usable credentials for role $role_credentials_name after ${credentials_timeout}s"
        fi
        say "using the temporary credentials of instance profile role $role_credentials_name"
    fi
    # The signer pads the key "AWS4<secret>" to one 64-byte block; AWS's secret keys have 40 characters.
    [ "${#secret_access_key}" -le 60 ] || die "the secret access key is longer than 60 characters"
    sigv4_signing_key ec2 "$(date -u +%Y%m%d)" || die "cannot derive the signing key"
}

describe_volume() {
    describe_volume_xml=$(ec2_call DescribeVolumes "VolumeId.1=$volume_id") || return 1
    printf '%s\n' "$describe_volume_xml" | xml_lines
}

find_volume() {
    if [ -z "$volume_id" ]; then
        find_volume_ids=$(ec2_call DescribeVolumes Filter.1.Name=tag:Name "Filter.1.Value.1=$volume_name") ||
            die "cannot list the volumes named $volume_name"
        find_volume_ids=$(printf '%s\n' "$find_volume_ids" | xml_lines | sed '/^attachmentSet>/,/^\/attachmentSet>/d' |
            sed -n 's/^volumeId>//p')
        case $find_volume_ids in
            '') die "no volume is tagged Name=$volume_name in $region" ;;
            *[!a-z0-9-]*) die "several volumes are tagged Name=$volume_name: $(echo "$find_volume_ids" | tr '\n' ' ')" ;;
        esac
        volume_id=$find_volume_ids
    fi
    case $volume_id in
        vol-*) ;;
        *) die "volume id '$volume_id' is not a volume id" ;;
    esac
    find_volume_xml=$(describe_volume) || die "cannot describe volume $volume_id"
    find_volume_name=$(printf '%s\n' "$find_volume_xml" | volume_field name)
    if [ -n "$volume_name" ] && [ "$find_volume_name" != "$volume_name" ]; then
        die "volume $volume_id is tagged Name=$find_volume_name, not $volume_name: refusing to use it"
    fi
    find_volume_zone=$(printf '%s\n' "$find_volume_xml" | volume_field zone)
    [ "$find_volume_zone" = "$zone" ] || die "volume $volume_id is in $find_volume_zone, the instance in $zone"
    say "volume $volume_id ($volume_name) found in $find_volume_zone"
}

# volume_free: true when the volume is available, or attached to this instance already (a
# re-run); says so when it is still held by another instance. Dies in any other state.
volume_free() {
    volume_free_xml=$(describe_volume) || die "cannot describe volume $volume_id"
    volume_free_status=$(printf '%s\n' "$volume_free_xml" | volume_field status)
    volume_free_owner=$(printf '%s\n' "$volume_free_xml" | volume_field attached_to)
    volume_free_attachment=$(printf '%s\n' "$volume_free_xml" | volume_field attachment)
    case $volume_free_status in
        available) return 0 ;;
        in-use | creating)
            [ "$volume_free_owner" != "$instance_id" ] || return 0 ;;
        *) die "volume $volume_id is $volume_free_status" ;;
    esac
    say "volume $volume_id is $volume_free_status (attached to ${volume_free_owner:-nothing}, ${volume_free_attachment:-no attachment}); waiting for it to become available"
    return 1
}

# volume_attached: true once EC2 shows the volume attached to this instance.
volume_attached() {
    volume_attached_xml=$(describe_volume) || die "cannot describe volume $volume_id"
    [ "$(printf '%s\n' "$volume_attached_xml" | volume_field attached_to)" = "$instance_id" ] &&
        [ "$(printf '%s\n' "$volume_attached_xml" | volume_field attachment)" = attached ]
}

attach_volume() {
    wait_for "$attach_timeout" "$poll_seconds" volume_free ||
        die "volume $volume_id is still $volume_free_status (attached to ${volume_free_owner:-nothing}, $volume_free_attachment) after ${attach_timeout}s; the previous instance did not release it"
    if [ "$volume_free_status" != available ]; then
        say "volume $volume_id is already attached to this instance"
    else
        ec2_call AttachVolume "VolumeId=$volume_id" "InstanceId=$instance_id" Device=/dev/sdf >/dev/null ||
            die "cannot attach volume $volume_id to $instance_id"
        say "attaching volume $volume_id to $instance_id as /dev/sdf"
    fi
    wait_for "$device_timeout" "$poll_seconds" volume_attached ||
        die "volume $volume_id did not reach state attached within ${device_timeout}s"
    say "volume $volume_id is attached"
}

optional_steps() {
    if [ -n "$elastic_ip" ]; then
        if ec2_call AssociateAddress "AllocationId=$elastic_ip" "InstanceId=$instance_id" AllowReassociation=true >/dev/null; then
            say "associated Elastic IP $elastic_ip"
        else
            say "WARNING: cannot associate Elastic IP $elastic_ip; continuing without it"
        fi
    fi
    if [ -n "$instance_name" ]; then
        if ec2_call CreateTags "ResourceId.1=$instance_id" Tag.1.Key=Name "Tag.1.Value=$instance_name" >/dev/null; then
            say "tagged the instance Name=$instance_name"
        else
            say "WARNING: cannot tag the instance Name=$instance_name; continuing"
        fi
    fi
}

# find_device: sets device to the volume's block device. On Nitro it is the NVMe disk whose
# serial is the volume id without its dash (NVMe numbering is not stable and instance-store
# disks are NVMe too); on Xen it is /dev/xvdf or /dev/sdf.
find_device() {
    find_device_serial="vol${volume_id#vol-}"
    for find_device_file in "$devroot"/sys/block/nvme*/device/serial; do
        [ -r "$find_device_file" ] || continue
        if [ "$(tr -d ' \n' <"$find_device_file")" = "$find_device_serial" ]; then
            find_device_name=${find_device_file%/device/serial}
            find_device_name=${find_device_name##*/}
            if [ -e "$devroot/dev/$find_device_name" ]; then
                device="$devroot/dev/$find_device_name"
                return 0
            fi
        fi
    done
    for find_device_path in "$devroot/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_$find_device_serial" \
        "$devroot/dev/xvdf" "$devroot/dev/sdf"; do
        if [ -b "$find_device_path" ]; then
            device=$find_device_path
            return 0
        fi
    done
    return 1
}

wait_device() {
    wait_for "$device_timeout" 1 find_device ||
        die "no block device for volume $volume_id (NVMe serial vol${volume_id#vol-}, /dev/xvdf or /dev/sdf) after ${device_timeout}s"
    say "volume $volume_id is block device $device"
}

# fs_value DEVICE NAME: what blkid finds for NAME (TYPE, UUID, LABEL) on DEVICE, probed afresh.
fs_value() {
    blkid -c /dev/null -o value -s "$2" "$1" 2>/dev/null || true
}

# filesystem_found: sets fs_device and fstype to the volume's root filesystem, partition 1 or
# the whole disk when it has no partition table.
filesystem_found() {
    for fs_device in "$(partition_node 1)" "$device"; do
        [ -e "$fs_device" ] || continue
        fstype=$(fs_value "$fs_device" TYPE)
        case $fstype in
            ext4 | xfs) return 0 ;;
        esac
    done
    return 1
}

# Partition nodes appear a moment after the disk, so this waits a little for them.
find_filesystem() {
    wait_for 10 1 filesystem_found || die "no ext4 or XFS filesystem on $device or its partition 1"
    say "root filesystem: $fstype on $fs_device"
}

# partition_node N: the node of the volume's partition N (by-id links end in -partN; a disk
# whose name ends in a digit, as NVMe's do, takes pN).
partition_node() {
    case $device in
        */by-id/*) echo "$device-part$1" ;;
        *[0-9]) echo "${device}p$1" ;;
        *) echo "$device$1" ;;
    esac
}

# other_device_has TAG VALUE: a block device other than the volume's disk and its partitions has
# TAG=VALUE (blkid probes every device afresh).
other_device_has() {
    other_device_has_disk=$(readlink -f "$device")
    for other_device_has_found in $(blkid -c /dev/null -o device -t "$1=$2" 2>/dev/null || true); do
        case $(readlink -f "$other_device_has_found") in
            "$other_device_has_disk" | "$other_device_has_disk"[0-9]* | "$other_device_has_disk"p[0-9]*) ;;
            *) return 0 ;;
        esac
    done
    return 1
}

# other_disk_has_ptuuid GUID: a whole disk other than the volume's has the disk id GUID (GPT disk
# GUID or MBR identifier). blkid's -t PTUUID= search does not find a whole disk by its partition
# table's id, so each disk under /sys/block is probed.
other_disk_has_ptuuid() {
    other_disk_has_ptuuid_self=$(readlink -f "$device")
    for other_disk_has_ptuuid_dir in "$devroot"/sys/block/*; do
        other_disk_has_ptuuid_node="$devroot/dev/${other_disk_has_ptuuid_dir##*/}"
        [ -b "$other_disk_has_ptuuid_node" ] || continue
        [ "$(readlink -f "$other_disk_has_ptuuid_node")" != "$other_disk_has_ptuuid_self" ] || continue
        [ "$(fs_value "$other_disk_has_ptuuid_node" PTUUID)" != "$1" ] || return 0
    done
    return 1
}

# reidentify_disk: a volume made from the AMI's snapshot has the pre-boot disk's GPT disk GUID
# and partition UUIDs (an MBR disk: its identifier), so the AMI's root=PARTUUID= (Ubuntu boots
# that way) and the volume's own PARTUUID= entries could resolve to either disk once both are
# attached. When another disk has the volume's disk id or one of its partition UUIDs, the
# unmounted volume gets fresh ones (sfdisk). Sets disk_ids, one line per partition for fix_fstab: "N OLD-PARTUUID NEW-PARTUUID
# LABEL UUID" ("-" where there is none).
reidentify_disk() {
    disk_ids=''
    [ "$fs_device" != "$device" ] || return 0
    reidentify_disk_why=''
    reidentify_disk_guid=$(fs_value "$device" PTUUID)
    if [ -n "$reidentify_disk_guid" ] && other_disk_has_ptuuid "$reidentify_disk_guid"; then
        reidentify_disk_why="another disk has its disk id $reidentify_disk_guid"
    fi
    reidentify_disk_n=0
    while [ "$reidentify_disk_n" -lt 128 ]; do
        reidentify_disk_n=$((reidentify_disk_n + 1))
        reidentify_disk_node=$(partition_node "$reidentify_disk_n")
        [ -e "$reidentify_disk_node" ] || continue
        reidentify_disk_part=$(fs_value "$reidentify_disk_node" PARTUUID)
        [ -n "$reidentify_disk_part" ] || continue
        if [ -z "$reidentify_disk_why" ] && other_device_has PARTUUID "$reidentify_disk_part"; then
            reidentify_disk_why="another disk has the PARTUUID $reidentify_disk_part of partition $reidentify_disk_n"
        fi
        disk_ids="$disk_ids$reidentify_disk_n $reidentify_disk_part $reidentify_disk_part $(fs_value "$reidentify_disk_node" LABEL | tr -s ' \t' '__') $(fs_value "$reidentify_disk_node" UUID)
"
    done
    disk_ids=$(printf '%s' "$disk_ids" | sed 's/  / - /g; s/ $/ -/')
    if [ -z "$reidentify_disk_why" ]; then
        [ -z "$disk_ids" ] || say "$device keeps its partition ids: no other disk has them"
        return 0
    fi
    need_cmds "$tools_gpt"
    # An MBR disk has a 32-bit identifier and no partition UUIDs: its PARTUUIDs are ID-NN.
    reidentify_disk_type=$(fs_value "$device" PTTYPE)
    reidentify_disk_guid=$(cat /proc/sys/kernel/random/uuid) || die "cannot generate a UUID"
    [ "$reidentify_disk_type" = gpt ] || reidentify_disk_guid=0x$(printf '%s' "$reidentify_disk_guid" | cut -c1-8)
    sfdisk --disk-id "$device" "$reidentify_disk_guid" >&2 </dev/null ||
        die "sfdisk cannot give $device a new disk id"
    reidentify_disk_new=''
    while read -r reidentify_disk_n reidentify_disk_part _ reidentify_disk_rest; do
        [ -n "$reidentify_disk_n" ] || continue
        if [ "$reidentify_disk_type" = gpt ]; then
            reidentify_disk_fresh=$(cat /proc/sys/kernel/random/uuid) || die "cannot generate a UUID"
            sfdisk --part-uuid "$device" "$reidentify_disk_n" "$reidentify_disk_fresh" >&2 </dev/null ||
                die "sfdisk cannot give partition $reidentify_disk_n of $device a new UUID"
        else
            reidentify_disk_fresh=$(printf '%s-%02x' "${reidentify_disk_guid#0x}" "$reidentify_disk_n")
        fi
        reidentify_disk_new="$reidentify_disk_new$reidentify_disk_n $reidentify_disk_part $reidentify_disk_fresh $reidentify_disk_rest
"
    done <<EOF
$disk_ids
EOF
    disk_ids=$reidentify_disk_new
    say "$device has a new disk id and partition UUIDs ($reidentify_disk_why)"
    # The kernel reads the new ids when the partition table is read again; sfdisk asked for that.
    wait_for 10 1 filesystem_found || die "the partitions of $device did not come back after sfdisk"
}

# fix_fstab: the volume's /etc/fstab names its own filesystems unambiguously: the root entry by
# the root filesystem's UUID (choose_uuid's), an entry that names another partition of the
# volume by LABEL=, UUID= or PARTUUID= (a clone's ESP and /boot have the pre-boot disk's labels
# and UUIDs) by the partition's PARTUUID. The file as it was is kept once, as
# /etc/fstab.before-ec2spotter.
fix_fstab() {
    fix_fstab_file=$(resolve_in "$mnt" /etc/fstab) || return 0
    [ -f "$fix_fstab_file" ] || return 0
    fstab_changes=0
    fstab_fixed <"$fix_fstab_file" >"$fix_fstab_file.ec2spotter-new" || die "cannot write ${fix_fstab_file#"$mnt"}.ec2spotter-new on $fs_device"
    if [ "$fstab_changes" = 0 ]; then
        rm -f "$fix_fstab_file.ec2spotter-new"
        return 0
    fi
    if [ ! -e "$fix_fstab_file.before-ec2spotter" ]; then
        cp -p "$fix_fstab_file" "$fix_fstab_file.before-ec2spotter" || die "cannot keep a copy of ${fix_fstab_file#"$mnt"} on $fs_device"
    fi
    { chmod 644 "$fix_fstab_file.ec2spotter-new" && mv -f "$fix_fstab_file.ec2spotter-new" "$fix_fstab_file"; } ||
        die "cannot write ${fix_fstab_file#"$mnt"} on $fs_device"
    say "rewrote $fstab_changes entries of ${fix_fstab_file#"$mnt"} on $fs_device (the old file is ${fix_fstab_file#"$mnt"}.before-ec2spotter)"
}

# fstab_fixed: fstab on stdin, fix_fstab's version on stdout; counts the changed entries in
# fstab_changes. Lines it does not change are passed on as they are.
fstab_fixed() {
    while IFS= read -r fstab_line || [ -n "$fstab_line" ]; do
        fstab_spec=''
        case $fstab_line in
            '#'* | '') ;;
            *)
                set -f
                # shellcheck disable=SC2086 # the fields of the line, split as fstab is
                set -- $fstab_line
                set +f
                fstab_spec=${1:-}
                fstab_new=$(fstab_spec_for "${1:-}" "${2:-}")
                ;;
        esac
        if [ -n "$fstab_spec" ] && [ "$fstab_new" != "$fstab_spec" ]; then
            fstab_lead=${fstab_line%%[! 	]*}
            fstab_rest=${fstab_line#"$fstab_lead"}
            say "fstab: ${2:-} now $fstab_new (was $fstab_spec)"
            printf '%s\n' "$fstab_lead$fstab_new${fstab_rest#"$fstab_spec"}"
            fstab_changes=$((fstab_changes + 1))
        else
            printf '%s\n' "$fstab_line"
        fi
    done
}

# fstab_spec_for SPEC MOUNT-POINT: what names the same filesystem unambiguously.
fstab_spec_for() {
    case $2:$1 in
        /:UUID=* | /:LABEL=* | /:PARTUUID=* | /:PARTLABEL=*)
            echo "UUID=$fs_uuid"
            return 0 ;;
    esac
    fstab_spec_for_value=${1#*=}
    while read -r fstab_spec_for_n fstab_spec_for_old fstab_spec_for_new fstab_spec_for_label fstab_spec_for_uuid; do
        [ -n "$fstab_spec_for_n" ] || continue
        case $1 in
            LABEL=*) [ "$fstab_spec_for_value" = "$fstab_spec_for_label" ] || continue ;;
            UUID=*) [ "$fstab_spec_for_value" = "$fstab_spec_for_uuid" ] || continue ;;
            PARTUUID=*) [ "$fstab_spec_for_value" = "$fstab_spec_for_old" ] || [ "$fstab_spec_for_value" = "$fstab_spec_for_new" ] || continue ;;
            *) continue ;;
        esac
        [ "$fstab_spec_for_value" != - ] || continue
        echo "PARTUUID=$fstab_spec_for_new"
        return 0
    done <<EOF
$disk_ids
EOF
    echo "$1"
}

# Functions the init stub gets as the same text, so the boot script and the stub judge a volume
# alike. resolve_in ROOT PATH: PATH with every symlink in it resolved inside ROOT (an absolute
# link names ROOT's own file, never the running system's), ROOT prefixed; false after 20 links.
# has_init ROOT: ROOT/sbin/init, so resolved, is an executable file.
shared_functions='resolve_in() {
    resolve_in_done=""
    resolve_in_rest=${2#/}
    resolve_in_hops=0
    while [ -n "$resolve_in_rest" ]; do
        resolve_in_part=${resolve_in_rest%%/*}
        case $resolve_in_rest in
            */*) resolve_in_rest=${resolve_in_rest#*/} ;;
            *) resolve_in_rest="" ;;
        esac
        case $resolve_in_part in
            "" | .) continue ;;
            ..) resolve_in_done=${resolve_in_done%/*}; continue ;;
        esac
        if [ -L "$1$resolve_in_done/$resolve_in_part" ]; then
            resolve_in_hops=$((resolve_in_hops + 1))
            [ "$resolve_in_hops" -le 20 ] || return 1
            resolve_in_link=$(readlink "$1$resolve_in_done/$resolve_in_part")
            case $resolve_in_link in
                /*) resolve_in_done="" ;;
            esac
            resolve_in_rest="${resolve_in_link#/}${resolve_in_rest:+/$resolve_in_rest}"
        else
            resolve_in_done="$resolve_in_done/$resolve_in_part"
        fi
    done
    printf "%s\\n" "$1$resolve_in_done"
}

has_init() {
    has_init_path=$(resolve_in "$1" /sbin/init)
    [ -f "$has_init_path" ] && [ -x "$has_init_path" ]
}'
eval "$shared_functions"

# check_ext4 [-f]: e2fsck's preen of the volume's ext4; -f checks it whole even when it is
# marked clean. Exit 1 means it fixed something.
check_ext4() {
    say "checking $fs_device (e2fsck -p${1:+ $1})"
    e2fsck -p "$@" "$fs_device" >&2 || [ $? -le 1 ] || die "e2fsck found errors on $fs_device it cannot fix"
}

# Checks that the filesystem holds a system, prepares the directories the stub needs and the
# marker of a volume ec2spotter prepared (/.ec2spotter-volume, holding the volume id), and
# chooses the UUID while the volume is mounted on $mnt.
prepare_filesystem() {
    case $fstype in
        ext4) need_cmds "$tools_ext4" ;;
        xfs) need_cmds "$tools_xfs" ;;
    esac
    fs_uuid=$(fs_value "$fs_device" UUID)
    [ -n "$fs_uuid" ] || die "blkid finds no UUID on $fs_device"
    # Looked for before the mount: a mounted image file is a loop device with the same UUID.
    prepare_filesystem_twin=$(uuid_twin)
    mnt="$sysroot/permaroot"
    mkdir -p "$mnt" || die "cannot create $mnt"
    # nouuid: an XFS clone of the pre-boot disk has its UUID, and the kernel refuses duplicates.
    if [ "$fstype" = xfs ]; then
        mount -t xfs -o nouuid "$fs_device" "$mnt" || die "cannot mount $fs_device on $mnt"
    else
        check_ext4
        mount -t ext4 "$fs_device" "$mnt" || die "cannot mount $fs_device on $mnt"
    fi
    mounted=$mnt
    has_init "$mnt" || die "$fs_device has no executable /sbin/init: it does not hold an installed system"
    mkdir -p "$mnt/old-root" "$mnt/dev" "$mnt/proc" "$mnt/sys" "$mnt/run" ||
        die "cannot create the mount points on $fs_device"
    modules_mount_point
    cloud_init_dropin
    choose_uuid "$prepare_filesystem_twin"
    fix_fstab
    # A moved volume (snapshot, new volume) carries its old id.
    if [ "$(cat "$mnt/.ec2spotter-volume" 2>/dev/null)" != "$volume_id" ]; then
        printf '%s\n' "$volume_id" >"$mnt/.ec2spotter-volume" || die "cannot write $mnt/.ec2spotter-volume"
    fi
    install_watcher
    choose_kernel
    install_kernel_entry
    umount "$mnt" || die "cannot unmount $mnt"
    mounted=''
}

# modules_mount_point: where the volume lacks the running kernel's modules (modules.dep) and
# the pre-boot disk has them, the stub shows the pre-boot disk's there; it mounts them on the
# volume's own directory, which it cannot create on the read-only volume, so it is made here,
# marked as ec2spotter's. Symlinks are resolved inside the volume (merged /usr: /lib -> usr/lib).
modules_mount_point() {
    modules_mount_point_kernel=$(uname -r) || die "uname -r failed"
    modules_mount_point_own=$(resolve_in "$sysroot" "/lib/modules/$modules_mount_point_kernel") || return 0
    [ -f "$modules_mount_point_own/modules.dep" ] || return 0
    modules_mount_point_dir=$(resolve_in "$mnt" "/lib/modules/$modules_mount_point_kernel") ||
        die "the volume's /lib/modules/$modules_mount_point_kernel has a symlink loop"
    if [ -f "$modules_mount_point_dir/modules.dep" ] || [ -d "$modules_mount_point_dir" ]; then
        return 0
    fi
    { mkdir -p "$modules_mount_point_dir" && printf '%s\n' \
        "Made by ec2spotter: the init stub shows the pre-boot disk's modules for kernel $modules_mount_point_kernel here." \
        "Delete this directory once the volume has its own modules for this kernel, or boots its own kernel." \
        >"$modules_mount_point_dir/.ec2spotter-mount-point"; } ||
        die "cannot create ${modules_mount_point_dir#"$mnt"} on $fs_device"
    say "the volume has no modules for the running kernel $modules_mount_point_kernel: made ${modules_mount_point_dir#"$mnt"} for the stub to show the pre-boot disk's there"
}

# cloud_init_dropin: the volume's cloud-init takes each new instance for a new machine and runs
# its per-instance modules again. A drop-in, rewritten at every launch, keeps what belongs to
# the volume: its ssh host keys (ssh_deletekeys; ec2spotter_keep_host_keys=no lets them be made
# anew), its apt sources (apt-configure would write its own) and GRUB's install device
# (grub-dpkg would point it at this instance's disks). The network (matched by MAC), the
# default user's keys and the hostname stay cloud-init's to redo. Keys of cloud-init 22.4
# (Debian 12) to today.
cloud_init_dropin() {
    cloud_init_dropin_dir=$(resolve_in "$mnt" /etc/cloud) || return 0
    [ -d "$cloud_init_dropin_dir" ] || return 0
    umask 022
    mkdir -p "$cloud_init_dropin_dir/cloud.cfg.d" || die "cannot create /etc/cloud/cloud.cfg.d on $fs_device"
    volume_file cloud_init_config "${cloud_init_dropin_dir#"$mnt"}/cloud.cfg.d/99-ec2spotter.cfg" 644
    umask 077
    say "wrote /etc/cloud/cloud.cfg.d/99-ec2spotter.cfg on $fs_device ($(if [ "$keep_host_keys" = yes ]; then echo "ssh host keys kept"; else echo "ssh host keys made anew on each instance"; fi), apt sources kept, grub-dpkg off)"
}

cloud_init_config() {
    printf '%s\n' "# Written by the ec2spotter boot script at every launch: this volume moves from instance to" \
        "# instance, and cloud-init takes each for a new machine. Edits here are overwritten." \
        "apt:" "  preserve_sources_list: true" "grub_dpkg:" "  enabled: false"
    if [ "$keep_host_keys" = yes ]; then
        printf '%s\n' "# ec2spotter_keep_host_keys=no in the conf file lets cloud-init make new ssh host keys." \
            "ssh_deletekeys: false"
    fi
}

# uuid_twin: another block device whose filesystem has the UUID $fs_uuid (the pre-boot disk,
# when the volume was cloned from the same image), or nothing.
uuid_twin() {
    uuid_twin_self=$(readlink -f "$fs_device")
    for uuid_twin_device in $(blkid -c /dev/null -o device -t "UUID=$fs_uuid" 2>/dev/null || true); do
        if [ "$(readlink -f "$uuid_twin_device")" != "$uuid_twin_self" ]; then
            echo "$uuid_twin_device"
            return 0
        fi
    done
}

# choose_uuid TWIN: sets fs_uuid to the UUID the stub will look for. A filesystem gets a UUID
# and label of its own once: at the first launch (a volume made from the AMI's snapshot has
# the pre-boot disk's), and again only when another disk (TWIN) has its UUID. So a relaunch
# writes nothing but what the mount writes, and no spot interruption can catch the volume in
# the middle of tune2fs. A new UUID is written by reidentify_filesystem, once unmounted.
choose_uuid() {
    choose_uuid_why=''
    if [ ! -f "$mnt/.ec2spotter-volume" ] || [ "$(fs_value "$fs_device" LABEL)" != "$label" ]; then
        choose_uuid_why="ec2spotter has not prepared it before"
    fi
    if [ -n "$1" ]; then
        choose_uuid_why="${choose_uuid_why:+$choose_uuid_why; }$1 has the same UUID"
    fi
    if [ -z "$choose_uuid_why" ]; then
        say "$fs_device keeps its UUID $fs_uuid: ec2spotter prepared it before and no other disk has that UUID"
    else
        fs_uuid=$(cat /proc/sys/kernel/random/uuid) || die "cannot generate a UUID"
    fi
}

# ext4_uuid_way: sets ext4_uuid_way_chosen to how tune2fs can change this ext4's UUID. "seed":
# enable metadata_csum_seed (the checksums keep their seed apart from the UUID; the running
# kernel must support it: Linux 4.4+), then only the superblock changes. "direct": no checksum
# depends on the UUID but the superblock's and the group descriptors'. "rewrite": tune2fs
# rewrites the checksum of every metadata block, and wants a full e2fsck first; on a volume
# restored from a snapshot each of those blocks is fetched from S3 first.
ext4_uuid_way() {
    ext4_uuid_way_features=$(tune2fs -l "$fs_device" </dev/null 2>/dev/null) ||
        die "tune2fs cannot read the superblock of $fs_device"
    ext4_uuid_way_features=" $(printf '%s\n' "$ext4_uuid_way_features" | sed -n 's/^Filesystem features:[[:space:]]*//p') "
    case $ext4_uuid_way_features in
        *' metadata_csum_seed '*) ext4_uuid_way_chosen=direct ;;
        *' metadata_csum '*)
            if [ -e "$devroot/sys/fs/ext4/features/metadata_csum_seed" ]; then
                ext4_uuid_way_chosen=seed
            else
                ext4_uuid_way_chosen=rewrite
            fi ;;
        *' ea_inode '*) ext4_uuid_way_chosen=rewrite ;;
        *) ext4_uuid_way_chosen=direct ;;
    esac
}

# Gives the unmounted filesystem the UUID choose_uuid chose, and the label, when it chose a new one.
reidentify_filesystem() {
    [ -n "$choose_uuid_why" ] || return 0
    if [ "$fstype" = ext4 ]; then
        ext4_uuid_way
        reidentify_filesystem_how="tune2fs, $ext4_uuid_way_chosen"
        case $ext4_uuid_way_chosen in
            seed) set -- -O metadata_csum_seed ;;
            rewrite)
                check_ext4 -f
                set -- ;;
            *) set -- ;;
        esac
        tune2fs "$@" -U "$fs_uuid" -L "$label" "$fs_device" >&2 </dev/null ||
            die "tune2fs cannot set a new UUID on $fs_device"
    else
        # On a V5 (CRC) XFS, xfs_admin keeps the metadata's UUID apart (meta_uuid, Linux 4.3+):
        # only the superblocks change. It needs a clean log, which the unmount left.
        xfs_admin -U "$fs_uuid" -L "$label" "$fs_device" >&2 ||
            die "xfs_admin cannot set a new UUID on $fs_device"
        reidentify_filesystem_how=xfs_admin
    fi
    say "$fs_device has the new UUID $fs_uuid and label $label ($reidentify_filesystem_how: $choose_uuid_why)"
}

# The interruption watcher and its systemd unit. `ec2spotter launch` puts the text of watcher.sh
# and ec2spotter-watcher.service (next to this file in ec2spotter's source) in place of the
# marker lines below; each heredoc's end line may not occur in them.
watcher_script() {
    cat <<'EC2SPOTTER_END_OF_FILE'
# >>> ec2spotter file watcher.sh
EC2SPOTTER_END_OF_FILE
}

watcher_unit() {
    cat <<'EC2SPOTTER_END_OF_FILE'
# >>> ec2spotter file ec2spotter-watcher.service
EC2SPOTTER_END_OF_FILE
}

# volume_file FUNCTION PATH MODE: the output of FUNCTION as PATH on the volume, in one rename.
volume_file() {
    { "$1" >"$mnt$2.new" && chmod "$3" "$mnt$2.new" && mv -f "$mnt$2.new" "$mnt$2"; } ||
        die "cannot write $2 on $fs_device"
}

# Writes the watcher onto the volume mounted at $mnt, enabled only when its unit is new there:
# a watcher the user disabled stays disabled. interruption_hooks=no leaves the volume untouched.
install_watcher() {
    if [ "$interruption_hooks" != yes ]; then
        say "interruption hooks are off (ec2spotter_interruption_hooks=no): no watcher on the volume"
        return 0
    fi
    install_watcher_unit=/usr/local/lib/systemd/system/ec2spotter-watcher.service
    install_watcher_wants="$mnt/etc/systemd/system/multi-user.target.wants"
    umask 022
    mkdir -p "$mnt/usr/local/sbin" "$mnt${install_watcher_unit%/*}" "$mnt/etc/ec2spotter/interruption.d" \
        "$mnt/etc/ec2spotter/rebalance.d" || die "cannot create the watcher's directories on $fs_device"
    install_watcher_new=''
    [ -e "$mnt$install_watcher_unit" ] || install_watcher_new=yes
    volume_file watcher_script /usr/local/sbin/ec2spotter-watcher 755
    volume_file watcher_unit "$install_watcher_unit" 644
    if [ -n "$install_watcher_new" ]; then
        { mkdir -p "$install_watcher_wants" && ln -sf "$install_watcher_unit" "$install_watcher_wants/"; } || die "cannot enable $install_watcher_unit on $fs_device"
    fi
    umask 077
    say "installed the interruption watcher on $fs_device (ec2spotter-watcher.service${install_watcher_new:+, enabled})"
}

# --- the volume's own kernel (ec2spotter_kernel: auto, volume, ami) ---
# The pre-boot disk's GRUB gets an entry (custom.cfg) that boots the volume's /boot/vmlinuz or
# /vmlinuz and initrd.img, the links to its newest kernel, with root=UUID= of the volume: no
# stub on that path, and the volume's modules match. It is GRUB's next_entry, one boot only;
# ec2spotter-kernel-entry on the volume arms it again after each healthy boot. A kernel that
# does not come up costs one boot: the next is GRUB's default entry, the stub pivoting under the
# AMI's kernel, and the volume records that kernel as failed, which a relaunch reads too.
kernel_entry_script() {
    cat <<'EC2SPOTTER_END_OF_FILE'
# >>> ec2spotter file kernel-entry.sh
EC2SPOTTER_END_OF_FILE
}

kernel_entry_unit() {
    cat <<'EC2SPOTTER_END_OF_FILE'
# >>> ec2spotter file ec2spotter-kernel-entry.service
EC2SPOTTER_END_OF_FILE
}

# kernel_entry FUNCTION ARG...: a function of that script, in a subshell, its root the volume.
kernel_entry() {
    (
        # shellcheck disable=SC1091 # written by choose_kernel
        EC2SPOTTER_LIBRARY=yes . "$work/kernel-entry"
        # shellcheck disable=SC2034 # the script's own
        root=$mnt failed_file="$mnt/var/lib/ec2spotter/failed-kernels"
        "$@"
    )
}

# choose_kernel: with the volume on $mnt, kernel_way=volume when GRUB can boot the volume's
# kernel once at a time, else ami; kernel_why says why. Once at a time needs next_entry in an
# environment block GRUB can write in place (not on btrfs, LVM or RAID): elsewhere a kernel
# that fails would boot again and again.
choose_kernel() {
    kernel_entry_script >"$work/kernel-entry" || die "cannot write $work/kernel-entry"
    for grub_dir in /boot/grub /boot/grub2 ''; do
        [ ! -f "$sysroot$grub_dir/grub.cfg" ] || break
    done
    set -f
    # shellcheck disable=SC2046 # df's fields
    set -- $(df -P "$sysroot$grub_dir/" | sed -n 2p) - - - - - -
    set +f
    grub_fs=$(fs_value "$1" UUID)
    grub_dir_rel=${grub_dir#"${6#"$sysroot"}"}
    grub_dir_rel=/${grub_dir_rel#/}
    set -- "$1" "$(stat -f -c %T "$sysroot$grub_dir/")"
    kernel_version=$(kernel_entry link_version) || kernel_version=''
    kernel_image=${kernel_version%% *}/vmlinuz
    kernel_version=${kernel_version#* }
    kernel_mod=ext2
    [ "$fstype" != xfs ] || kernel_mod=xfs
    kernel_way=ami
    if [ "$kernel" = ami ]; then
        kernel_why="ec2spotter_kernel=ami"
    elif [ "$boot_way" = replace ] || [ -z "$grub_dir" ] || ! grep -q custom.cfg "$sysroot$grub_dir/grub.cfg" ||
        ! grep -q next_entry "$sysroot$grub_dir/grub.cfg"; then
        kernel_why="no grub.cfg here reads custom.cfg and next_entry"
    elif case $2 in ext2/ext3 | msdos | vfat | xfs) false ;; esac || case $1 in /dev/mapper/* | /dev/dm-* | /dev/md*) true ;; *) false ;; esac then
        kernel_why="GRUB cannot write $grub_dir/grubenv ($2 on $1)"
    elif case $grub_fs$grub_dir_rel in '' | *[!0-9A-Za-z/._-]*) true ;; *) false ;; esac then
        kernel_why="no UUID for $grub_dir ($1)"
    elif [ -z "$kernel_version" ]; then
        kernel_why="the volume has no /boot/vmlinuz or /vmlinuz with its initrd.img"
    elif kernel_entry failed_before "$kernel_version"; then
        kernel_why="kernel $kernel_version failed before (/var/lib/ec2spotter/failed-kernels)"
    else
        kernel_way=volume
        kernel_why="GRUB boots the volume's $kernel_image"
    fi
    [ "$kernel_way$kernel" != amivolume ] || kernel_why="WARNING: ec2spotter_kernel=volume, but $kernel_why"
}

kernel_entry_state() {
    printf '%s\n' "mode=$kernel_way" "grub_fs=$grub_fs" "grub_dir=$grub_dir_rel"
}

# install_kernel_entry: on the volume, the unit (enabled only when new: one the user disabled
# stays so) and its state; with the AMI's kernel, a state that keeps an earlier unit idle.
install_kernel_entry() {
    umask 022
    install_kernel_entry_unit=/usr/local/lib/systemd/system/ec2spotter-kernel-entry.service
    if [ "$kernel_way" = volume ]; then
        set -- "$mnt/etc/systemd/system/multi-user.target.wants"
        { [ -e "$mnt$install_kernel_entry_unit" ] || { mkdir -p "$mnt/usr/local/sbin" "$mnt${install_kernel_entry_unit%/*}" \
            "$mnt/var/lib/ec2spotter" "$1" && ln -sf "$install_kernel_entry_unit" "$1/"; }; } ||
            die "cannot install ec2spotter-kernel-entry on $fs_device"
        volume_file kernel_entry_script /usr/local/sbin/ec2spotter-kernel-entry 755
        volume_file kernel_entry_unit "$install_kernel_entry_unit" 644
    fi
    if [ "$kernel_way" = volume ] || [ -f "$mnt/var/lib/ec2spotter/kernel-entry" ]; then
        volume_file kernel_entry_state /var/lib/ec2spotter/kernel-entry 644
    fi
    umask 077
}

# kernel_entry_cfg: the custom.cfg block. This boot's kernel arguments are kept but root, init,
# ro/rw, panic and the image (and one GRUB's script would read otherwise). panic=30 and
# rd.emergency=reboot: a kernel or initramfs that cannot mount the root reboots, to GRUB's
# default entry; fallback: so does an entry GRUB cannot load.
kernel_entry_cfg() {
    set -f
    # shellcheck disable=SC2046 # its words
    set -- $(cat "$devroot/proc/cmdline")
    set +f
    printf '%s\n' "### BEGIN ec2spotter" \
        "if [ \"\$default\" = ec2spotter-volume ]; then set fallback=\"\${saved_entry:-0}\"; fi" \
        "menuentry 'ec2spotter: the volume, its own kernel' --id ec2spotter-volume {" \
        "insmod part_gpt" "insmod part_msdos" "insmod $kernel_mod" "search --no-floppy --fs-uuid --set=root $fs_uuid"
    printf 'linux %s root=UUID=%s ro' "$kernel_image" "$fs_uuid"
    for kernel_entry_cfg_arg; do
        case $kernel_entry_cfg_arg in
            BOOT_IMAGE=* | root=* | init=* | ro | rw | panic=* | rd.emergency=* | ec2spotter.* | initrd=* | *[!A-Za-z0-9._,:=/+@-]*) ;;
            *) printf ' %s' "$kernel_entry_cfg_arg" ;;
        esac
    done
    printf '%s\n' " panic=30 rd.emergency=reboot ec2spotter.entry=volume" "initrd ${kernel_image%vmlinuz}initrd.img" "}" "### END ec2spotter"
}

# arm_kernel_entry: once the stub is in place (the default entry pivots), the entry in custom.cfg
# (other content kept) and GRUB's next boot set to it. A failure leaves the pivot, and says so.
arm_kernel_entry() {
    set -- "$sysroot$grub_dir/custom.cfg"
    if [ "$kernel_way" = volume ] && { { sed '/^### BEGIN ec2spotter$/,/^### END ec2spotter$/d' "$1" 2>/dev/null; kernel_entry_cfg; } >"$1.new" &&
        mv -f "$1.new" "$1" && kernel_entry env_edit "$sysroot$grub_dir/grubenv" next_entry=ec2spotter-volume \
        "ec2spotter_kernel=$kernel_version" initrdfail= prev_entry=; }; then
        say "kernel: the volume's own $kernel_version from the next boot on ($kernel_why, $grub_dir/custom.cfg)"
        return 0
    fi
    [ "$kernel_way" != volume ] || kernel_why="WARNING: cannot write $1 and grubenv"
    say "kernel: the AMI's $(uname -r), the stub pivots ($kernel_why)"
}

# write_stub FILE UUID PATH: the init stub that pivots into the filesystem with that UUID, to be
# installed as PATH on the pre-boot disk.
write_stub() {
    {
        printf '#!/bin/sh\n# ec2spotter init stub for volume %s, installed by the ec2spotter boot script.\n' "$volume_id"
        printf "uuid='%s'\nself='%s'\n" "$2" "$3"
        cat <<'STUB'
# Mounts the persistent filesystem by UUID read-only on /permaroot (the volume's own init checks
# and remounts it, as on any machine), pivots into it and runs its /sbin/init as PID 1. Anything
# that fails before that starts the pre-boot system's init instead: the instance then boots its
# pre-boot system, reachable by ssh. PID 1 must never exit; a failed exec ends a POSIX shell,
# so the EXIT trap takes over then.
new=/permaroot
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH

say() {
    echo "ec2spotter init stub: $*" >>/dev/console 2>/dev/null || echo "ec2spotter init stub: $*" >&2
}

# note: say, and into the kernel log, which the persistent system's journal keeps (nothing
# can be written on its root here: it is mounted read-only).
note() {
    say "$*"
    if [ -c /dev/kmsg ]; then
        echo "<5>ec2spotter init stub: $*" >/dev/kmsg 2>/dev/null
    fi
}

STUB
        printf '%s\n\n' "$shared_functions"
        cat <<'STUB'
# has_tool ROOT NAME: NAME is in one of PATH's directories under ROOT.
has_tool() {
    for tool_dir in /usr/sbin /usr/bin /sbin /bin; do
        tool_path=$(resolve_in "$1" "$tool_dir/$2") && [ -f "$tool_path" ] && [ -x "$tool_path" ] && return 0
    done
    return 1
}

# preboot_init ARG...: the pre-boot system's own init: the original an older ec2spotter kept
# when it replaced /sbin/init, /sbin/init unless that is this stub, systemd, else a shell. One
# exec that fails still reaches the shell, through the EXIT trap.
preboot_init() {
    trap 'say "cannot start the init; starting a shell on the console"; exec /bin/sh </dev/console >/dev/console 2>&1' EXIT
    for init in /sbin/init.ec2spotter-orig /sbin/init /lib/systemd/systemd /usr/lib/systemd/systemd; do
        [ "$init" != "$self" ] || continue
        if [ -f "$init" ] && [ -x "$init" ]; then
            exec "$init" "$@"
        fi
    done
    say "no init to start; starting a shell on the console"
    exec /bin/sh </dev/console >/dev/console 2>&1
}

# fall_back ARG...: says why ($why) and starts the pre-boot system's init.
fall_back() {
    say "$why; starting the pre-boot system's init instead"
    # Where the pre-boot root is still read-only here (dracut mounts it so), only the console
    # and the kernel log get it; the failed redirection itself says nothing.
    { echo "$(date -u '+%Y-%m-%dT%H:%M:%SZ') ec2spotter init stub: $why; started the pre-boot system's init instead" \
        >>/var/log/ec2spotter.log; } 2>/dev/null
    if [ -c /dev/kmsg ]; then
        echo "<4>ec2spotter init stub: $why; started the pre-boot system's init instead" >/dev/kmsg 2>/dev/null
    fi
    preboot_init "$@"
}

# provide_modules: a volume without modules.dep for the running kernel (upgraded since the AMI,
# or a partial directory DKMS or apt left) would boot without the drivers that are modules,
# the NIC's among them. The pre-boot disk's modules for that kernel are shown below the
# volume's own directory, an overlay whose changes stay in memory, so the volume's depmod and
# package scripts still run. The mount point must exist: the volume is read-only here, the
# boot script makes it. Firmware stays the volume's own.
provide_modules() {
    kernel=$(uname -r 2>/dev/null) || return 0
    modules=$(resolve_in "$new" "/lib/modules/$kernel") || return 0
    [ ! -f "$modules/modules.dep" ] || return 0
    own=$(resolve_in "" "/lib/modules/$kernel") || own=''
    if [ -z "$own" ] || [ ! -f "$own/modules.dep" ]; then
        note "the volume has no modules for the running kernel $kernel, and this disk has none to lend"
        return 0
    fi
    if [ ! -d "$modules" ]; then
        note "WARNING: the volume has no modules for the running kernel $kernel, nor the directory to show this disk's in (${modules#"$new"}): drivers that are modules will not load"
        return 0
    fi
    layer=/run/ec2spotter-modules
    if mkdir -p "$layer" && mount -n -t tmpfs -o mode=0755 ec2spotter-modules "$layer" &&
        mkdir "$layer/upper" "$layer/work" &&
        mount -n -t overlay -o "lowerdir=$modules:$own,upperdir=$layer/upper,workdir=$layer/work" ec2spotter-modules "$modules"; then
        note "the volume has no modules for the running kernel $kernel: the pre-boot disk's are shown on ${modules#"$new"} (an overlay; its changes last until shutdown). Drivers built for the volume's own kernel (a GPU driver, DKMS) do not load with this one"
    else
        note "WARNING: the volume has no modules for the running kernel $kernel, and the pre-boot disk's could not be shown there (overlay): drivers that are modules will not load"
    fi
}

pivot() {
    [ -e /proc/mounts ] || mount -n -t proc proc /proc || { why="cannot mount /proc"; return 1; }
    [ -d /sys/block ] || mount -n -t sysfs sysfs /sys || { why="cannot mount /sys"; return 1; }
    [ -e /dev/null ] || mount -n -t devtmpfs devtmpfs /dev || { why="cannot mount /dev"; return 1; }
    # pivot_root(2) fails (EINVAL) where the mounts involved are shared, as systemd makes them.
    mount -n --make-rprivate / || { why="cannot make the mounts private (mount --make-rprivate /)"; return 1; }
    tries=0
    until dev=$(findfs "UUID=$uuid" 2>/dev/null) && [ -n "$dev" ]; do
        tries=$((tries + 1))
        [ "$tries" -le 30 ] || { why="no filesystem has UUID $uuid (is the volume attached?)"; return 1; }
        sleep 1
    done
    [ -d "$new" ] || { why="mount point $new is missing"; return 1; }
    # -n: /etc/mtab may be a file on a read-only root.
    mount -n -o ro "$dev" "$new" || { why="cannot mount $dev read-only on $new"; return 1; }
    if ! has_init "$new"; then
        umount "$new"
        why="$dev has no executable /sbin/init"
        return 1
    fi
    # After pivot_root, commands come from the new root. The boot script made /old-root.
    if [ ! -d "$new/old-root" ] || ! has_tool "$new" mount; then
        umount "$new"
        why="$dev lacks /old-root or mount"
        return 1
    fi
    provide_modules
    cd "$new" || { umount -l "$new"; why="cannot enter $new"; return 1; }
    if ! pivot_root . old-root; then
        cd /
        umount -l "$new"
        why="pivot_root failed"
        return 1
    fi
    cd /
    return 0
}

# unpivot ARG...: the EXIT trap while the volume's init is exec'd: that exec failed, so the
# pre-boot root goes back to / (the volume below /permaroot) and its init starts.
unpivot() {
    for d in run sys proc dev; do
        mount -n --move "/$d" "/old-root/$d"
    done
    if cd /old-root && pivot_root . "${new#/}"; then
        cd /
        umount -l "$new" 2>/dev/null
    fi
    why="the volume's /sbin/init could not be executed"
    fall_back "$@"
}

if [ "$$" != 1 ]; then
    preboot_init "$@"
fi
why=''
if ! pivot; then
    fall_back "$@"
fi
# No 2>/dev/null before /dev is here: the volume's own /dev is an empty directory, read-only.
# -n everywhere: busybox's mount reports a failure when it cannot write a regular /etc/mtab.
for d in dev proc sys run; do
    [ -d "/$d" ] || say "/$d is missing on the volume"
    mount -n --move "/old-root/$d" "/$d" || say "/old-root/$d not moved (the new init mounts it)"
done
# initramfs-tools leaves a mark in /run for each filesystem it checked: those were the pre-boot
# disk's. Left there, the volume's systemd-fsck-root (ConditionPathExists=!/run/initramfs/fsck-root)
# would take it for its own root and never check the volume.
rm -f /run/initramfs/fsck-root /run/initramfs/fsck-usr
note "booting the persistent volume ($uuid), its root read-only until its own init remounts it"
trap 'unpivot "$@"' EXIT
exec /sbin/init "$@"
STUB
    } >"$1"
}

# choose_boot_way: how the stub starts at boot, chosen (and its tools checked) before anything
# changes. Sets boot_way:
#   grub    Debian/Ubuntu GRUB: init= in a drop-in of /etc/default/grub.d, then update-grub
#   grubby  BLS entries (Amazon Linux 2023, Fedora family): grubby, and /etc/default/grub so
#           that regenerated entries keep it
#   replace no boot configuration here (the kernel command line comes from elsewhere): the stub
#           replaces /sbin/init, which only an initramfs that runs /sbin/init starts
# The stub gets a path of its own where init= names it: removing that argument boots the AMI.
choose_boot_way() {
    need_cmds "$tools_stub"
    # util-linux: --make-rprivate; busybox: [r]private (it takes --make-rprivate too).
    mount --help 2>&1 | grep -q -e rprivate -e '\[r\]private' ||
        die "this system's mount cannot make mounts private (--make-rprivate), which the stub needs for pivot_root"
    if [ -d "$sysroot/boot/loader/entries" ] && command -v grubby >/dev/null 2>&1; then
        boot_way=grubby
        [ -f "$sysroot/etc/default/grub" ] ||
            die "grubby manages this system's boot entries, but there is no /etc/default/grub to keep init= in"
        grub_config="$sysroot/etc/default/grub"
        need_cmds stat
        if [ "$(stat -f -c %T "$sysroot/boot/" 2>/dev/null)" = xfs ] && ! command -v xfs_io >/dev/null 2>&1; then
            need_cmds fsfreeze
        fi
    elif [ -f "$sysroot/etc/default/grub" ] && [ -f "$sysroot/boot/grub/grub.cfg" ]; then
        boot_way=grub
        if command -v update-grub >/dev/null 2>&1; then
            grub_update=update-grub
        elif command -v grub-mkconfig >/dev/null 2>&1; then
            grub_update=grub-mkconfig
        else
            die "this system boots by GRUB (/boot/grub/grub.cfg) but has neither update-grub nor grub-mkconfig to add init= to it"
        fi
        grub_config="$sysroot/etc/default/grub.d/99-ec2spotter.cfg"
    else
        for choose_boot_way_dracut in /usr/lib/dracut /etc/dracut.conf /etc/dracut.conf.d; do
            if [ -e "$sysroot$choose_boot_way_dracut" ]; then
                die "the initramfs is dracut's ($choose_boot_way_dracut), whose systemd starts the system's systemd and never /sbin/init, and no GRUB configuration was found (/etc/default/grub with update-grub, or grubby) to name the stub with init=: refusing, the stub would never run"
            fi
        done
        boot_way=replace
    fi
    if [ "$boot_way" = replace ]; then
        stub_path=/sbin/init
        say "no GRUB configuration on this system: the stub will replace /sbin/init (the original kept as /sbin/init.ec2spotter-orig)"
    else
        stub_path=/sbin/ec2spotter-init
        say "the stub will be $stub_path, named by '$boot_args' on the kernel command line ($boot_way)"
    fi
}

# install_stub: writes the stub as $stub_path and checks it; then, the point of no return, makes
# the next boot start it: one rename over /sbin/init (replace), or the boot configuration, as
# the very last step (grub, grubby).
install_stub() {
    install_stub_file="$sysroot$stub_path"
    mkdir -p "$sysroot/permaroot" || die "cannot create $sysroot/permaroot"
    write_stub "$install_stub_file.ec2spotter-new" "$fs_uuid" "$stub_path" || die "cannot write $install_stub_file.ec2spotter-new"
    chmod 755 "$install_stub_file.ec2spotter-new" || die "cannot make $install_stub_file.ec2spotter-new executable"
    { [ -f "$install_stub_file.ec2spotter-new" ] && [ -x "$install_stub_file.ec2spotter-new" ] &&
        [ "$(sed -n 1p "$install_stub_file.ec2spotter-new")" = '#!/bin/sh' ] && sh -n "$install_stub_file.ec2spotter-new"; } ||
        die "the stub written as $install_stub_file.ec2spotter-new is not an executable shell script"
    if [ "$boot_way" = replace ]; then
        install_stub_orig="$sysroot/sbin/init.ec2spotter-orig"
        if [ -e "$install_stub_orig" ] || [ -L "$install_stub_orig" ]; then
            say "$install_stub_orig exists already (an earlier run): keeping it"
        else
            [ -e "$install_stub_file" ] || [ -L "$install_stub_file" ] || die "$install_stub_file does not exist"
            cp -P -p "$install_stub_file" "$install_stub_orig" || die "cannot keep $install_stub_file as $install_stub_orig"
        fi
        mv -f "$install_stub_file.ec2spotter-new" "$install_stub_file" || die "cannot install the stub as $install_stub_file"
        past_no_return=yes
        say "installed the init stub as $install_stub_file (the original init is $install_stub_orig)"
        arm_kernel_entry
        return 0
    fi
    mv -f "$install_stub_file.ec2spotter-new" "$install_stub_file" || die "cannot install the stub as $install_stub_file"
    say "installed the init stub as $install_stub_file; nothing starts it yet"
    "boot_args_$boot_way"
    past_no_return=yes
    flush_boot
    say "the next boot starts $stub_path ('$boot_args' on the kernel command line, $boot_way)"
    arm_kernel_entry
}

# Debian/Ubuntu: the drop-in sorts after the distribution's own (Ubuntu's cloud images set
# GRUB_CMDLINE_LINUX_DEFAULT in 50-cloudimg-settings.cfg), and grub.cfg must hold the argument.
boot_args_grub() {
    mkdir -p "${grub_config%/*}" || die "cannot create ${grub_config%/*}"
    {
        printf '# Written by the ec2spotter boot script: the kernel starts its init stub, which boots the\n'
        printf '# persistent volume. To boot the AMI alone: delete this file, then run update-grub.\n'
        # shellcheck disable=SC2016 # grub-mkconfig expands it
        printf 'GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT %s"\n' "$boot_args"
    } >"$grub_config.new" || die "cannot write $grub_config.new"
    mv -f "$grub_config.new" "$grub_config" || die "cannot write $grub_config"
    if ! grub_regenerate; then
        rm -f "$grub_config"
        grub_regenerate || true
        die "$grub_update failed; $grub_config removed again"
    fi
    if ! grep -q "^[[:space:]]*linux.* init=$stub_path\( .*\)*$" "$sysroot/boot/grub/grub.cfg"; then
        rm -f "$grub_config"
        grub_regenerate || true
        die "$grub_update ran, but /boot/grub/grub.cfg has no init=$stub_path (does /etc/default/grub read /etc/default/grub.d?); $grub_config removed again"
    fi
}

grub_regenerate() {
    if [ "$grub_update" = update-grub ]; then
        update-grub >&2
    else
        grub-mkconfig -o "$sysroot/boot/grub/grub.cfg" >&2
    fi
}

# BLS: grubby alone is lost when the entries are made again from /etc/default/grub
# (grub2-mkconfig, a kernel update), so the arguments go there too, after a copy of the file.
boot_args_grubby() {
    if ! grep -q "init=$stub_path" "$grub_config"; then
        [ -e "$grub_config.ec2spotter-orig" ] || cp -p "$grub_config" "$grub_config.ec2spotter-orig" ||
            die "cannot keep $grub_config as $grub_config.ec2spotter-orig"
        # shellcheck disable=SC2016 # grub2-mkconfig expands it
        printf '# ec2spotter: the init stub boots the persistent volume (delete this line to boot the AMI alone)\nGRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX %s"\n' \
            "$boot_args" >>"$grub_config" || die "cannot add init= to $grub_config"
    fi
    grubby --update-kernel=ALL --args="$boot_args" >&2 || die "grubby cannot add '$boot_args' to the boot entries"
    boot_args_grubby_entries=$(grubby --info=ALL 2>/dev/null | grep '^args=') ||
        die "grubby --info=ALL shows no boot entry"
    if printf '%s\n' "$boot_args_grubby_entries" | grep -v "init=$stub_path" | grep -q .; then
        grubby --update-kernel=ALL --remove-args="$boot_args" >&2 || true
        die "grubby ran, but not every boot entry has init=$stub_path; the arguments were removed again"
    fi
}

# flush_boot: XFS keeps new metadata in its log, which GRUB does not read: freezing the
# filesystem that holds /boot writes it in place before the reboot.
flush_boot() {
    [ "$boot_way" = grubby ] || return 0
    sync
    [ "$(stat -f -c %T "$sysroot/boot/" 2>/dev/null)" = xfs ] || return 0
    if command -v xfs_io >/dev/null 2>&1; then
        xfs_io -x -c freeze -c thaw "$sysroot/boot/" >&2 && return 0
    fi
    { sync && fsfreeze -f "$sysroot/boot/" && fsfreeze -u "$sysroot/boot/"; } >&2 ||
        say "WARNING: cannot freeze and thaw the XFS holding /boot; GRUB may read the boot entries as they were"
}

# Deletes the copies of user-data cloud-init keeps, when they hold embedded keys: on the
# pre-boot disk, and on the volume when its own cloud-init runs the user-data again.
forget_embedded_keys() {
    [ "$keys_embedded" = yes ] || return 0
    for forget_embedded_keys_copy in "$sysroot"/var/lib/cloud/instances/*/user-data.txt* \
        "$sysroot"/var/lib/cloud/instances/*/obj.pkl \
        "$sysroot"/var/lib/cloud/instances/*/scripts/part-*; do
        [ -e "$forget_embedded_keys_copy" ] && rm -f "$forget_embedded_keys_copy"
    done
    # The keys reach grep on stdin, not on its command line.
    printf '%s\n%s\n' "$access_key_id" "$secret_access_key" | grep -rlF -f - "$sysroot/var/lib/cloud" 2>/dev/null |
        while read -r forget_embedded_keys_copy; do
            rm -f "$forget_embedded_keys_copy"
        done
    say "deleted the copies of user-data (with the embedded keys) under $sysroot/var/lib/cloud"
}

cleanup() {
    if [ -n "$mounted" ]; then
        umount "$mounted" 2>/dev/null || true
    fi
    forget_embedded_keys || true
    if [ -n "$work" ]; then
        rm -rf "$work"
    fi
}

main() {
    umask 077
    log_file="$sysroot/var/log/ec2spotter.log"
    mkdir -p "${log_file%/*}" 2>/dev/null || log_file=/dev/null
    if [ -n "$access_key_id" ]; then
        keys_embedded=yes
    fi
    guards
    trap cleanup EXIT
    trap 'die "interrupted"' HUP INT TERM
    need_cmds "$tools_common"
    if [ "$reboot" = yes ]; then
        need_cmds reboot
    fi
    work=$(mktemp -d) || die "cannot create a temporary directory"
    say "boot script started for volume ${volume_id:-named $volume_name}"

    imds_init
    read_identity
    load_credentials
    choose_boot_way

    find_volume
    attach_volume
    optional_steps
    wait_device
    find_filesystem
    reidentify_disk
    prepare_filesystem
    reidentify_filesystem
    install_stub

    # Before the reboot: the shutdown may not leave time for the EXIT trap.
    forget_embedded_keys
    keys_embedded=no
    if [ "$reboot" = yes ]; then
        say "rebooting into the persistent volume"
        sync
        reboot
    else
        say "done; the persistent volume boots at the next reboot"
    fi
}

if [ "${EC2SPOTTER_LIBRARY:-}" != yes ]; then
    main "$@"
fi
