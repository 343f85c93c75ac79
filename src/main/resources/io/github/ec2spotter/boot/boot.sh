#!/bin/sh
# ec2spotter boot script. `ec2spotter launch` sends it as user-data; cloud-init runs it as root
# once per instance on the pre-boot system. It attaches the persistent EBS volume, gives its
# root filesystem a fresh UUID and label, and installs over /sbin/init a stub that, at every
# boot, mounts that filesystem and pivots into it (or boots the pre-boot system if it cannot).
#
# When it acts: only when run by cloud-init, recognised by $0 lying under
# <sysroot>/var/lib/cloud/ (cloud-init runs user-data as .../scripts/part-NNN there).
# Piped into sh or run from anywhere else it changes nothing and exits 2.
# It does nothing (exit 0) on the persistent system itself: when /.ec2spotter-volume or
# /old-root exists, cloud-init there is re-running user-data after a relaunch.
# Exit 1: a failure before the point of no return; /sbin/init is untouched, the instance
# keeps its pre-boot system; the reason is in /var/log/ec2spotter.log.
#
# Tools (nothing is installed at boot): the ones in tools_* below; tools_common is checked
# before anything, the others before the step that needs them.
# Tests: sourcing it with EC2SPOTTER_LIBRARY=yes defines the functions and runs nothing.
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
reboot='yes'
interruption_hooks='yes'
# <<< ec2spotter parameters

tools_common='curl openssl od sed tr date sleep mktemp cat cp mv rm mkdir chmod ln grep readlink sync blkid mount umount'
tools_ext4='e2fsck tune2fs'
tools_xfs='xfs_admin'
# What the init stub runs at boot, before any init: they must be on the pre-boot system.
tools_stub='sh mount umount findfs pivot_root chroot readlink sleep mkdir date'

label='ec2spotter'
form_type='application/x-www-form-urlencoded; charset=utf-8'
poll_seconds=3
log_file=/dev/null
work=''
mounted=''
past_no_return=''

say() {
    say_line="$(date -u '+%Y-%m-%dT%H:%M:%SZ') ec2spotter: $*"
    printf '%s\n' "$say_line" >&2
    printf '%s\n' "$say_line" >>"$log_file" 2>/dev/null || true
}

die() {
    say "ERROR: $*"
    if [ -z "$past_no_return" ]; then
        say "/sbin/init is untouched: the instance keeps booting its pre-boot system"
    fi
    exit 1
}

# need_cmds "WORD...": fails naming the first command that is not installed.
need_cmds() {
    for need_cmd in $1; do
        command -v "$need_cmd" >/dev/null 2>&1 || die "command $need_cmd not found (needed by the boot script)"
    done
}

# --- Signature Version 4 (the EC2 Query API over HTTPS) ---

sha256_hex() {
    openssl dgst -sha256 | sed 's/^.* //'
}

# HMAC-SHA256 of stdin with the key given in hex.
hmac_hex() {
    openssl dgst -sha256 -mac HMAC -macopt "hexkey:$1" | sed 's/^.* //'
}

# RFC 3986 percent-encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~
uri_encode() {
    printf '%s' "$1" | od -An -v -tx1 | tr ' ' '\n' | while read -r uri_byte; do
        case $uri_byte in
            '') ;;
            2[de] | 3[0-9] | 4[1-9a-f] | 5[0-9a] | 5f | 6[1-9a-f] | 7[0-9a] | 7e)
                printf '%b' "\\0$(printf '%o' "0x$uri_byte")" ;;
            *) printf '%%%02X' "0x$uri_byte" ;;
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

# sigv4_signature SERVICE AMZ_DATE CANONICAL_REQUEST, with $region and $secret_access_key
sigv4_signature() {
    sig_day=${2%%T*}
    sig_key=$(printf '%s' "AWS4$secret_access_key" | od -An -v -tx1 | tr -d ' \n')
    for sig_part in "$sig_day" "$region" "$1" aws4_request; do
        sig_key=$(printf '%s' "$sig_part" | hmac_hex "$sig_key")
    done
    printf 'AWS4-HMAC-SHA256\n%s\n%s\n%s' "$2" "$sig_day/$region/$1/aws4_request" \
        "$(printf '%s' "$3" | sha256_hex)" | hmac_hex "$sig_key"
}

# ec2_form ACTION [NAME=VALUE]...: the form-encoded body of an EC2 Query API call.
ec2_form() {
    printf 'Action=%s&Version=2016-11-15' "$1"
    shift
    for form_pair in "$@"; do
        printf '&%s=%s' "$(uri_encode "${form_pair%%=*}")" "$(uri_encode "${form_pair#*=}")"
    done
}

# ec2_headers HOST AMZ_DATE PAYLOAD_HASH: the headers an EC2 call signs, as the SDK sends them.
ec2_headers() {
    printf 'content-type:%s\nhost:%s\nx-amz-content-sha256:%s\nx-amz-date:%s' "$form_type" "$1" "$3" "$2"
    if [ -n "$session_token" ]; then
        printf '\nx-amz-security-token:%s' "$session_token"
    fi
}

# ec2_call ACTION [NAME=VALUE]...: one signed EC2 call; prints the XML answer.
ec2_call() {
    ec2_action=$1
    ec2_body=$(ec2_form "$@")
    ec2_hash=$(printf '%s' "$ec2_body" | sha256_hex)
    printf '%s' "$ec2_body" >"$work/ec2.body"
    ec2_try=1
    while :; do
        ec2_date=$(date -u '+%Y%m%dT%H%M%SZ')
        ec2_signed=$(ec2_headers "$ec2_host" "$ec2_date" "$ec2_hash")
        ec2_sig=$(sigv4_signature ec2 "$ec2_date" "$(sigv4_canonical_request POST / '' "$ec2_signed" "$ec2_hash")")
        {
            printf '%s\n' "$ec2_signed"
            printf 'authorization:AWS4-HMAC-SHA256 Credential=%s/%s/%s/ec2/aws4_request, SignedHeaders=%s, Signature=%s\n' \
                "$access_key_id" "${ec2_date%%T*}" "$region" "$(sigv4_signed_headers "$ec2_signed")" "$ec2_sig"
        } >"$work/ec2.headers"
        ec2_code=$(curl -sS -o "$work/ec2.out" -w '%{http_code}' --connect-timeout 10 --max-time 60 \
            -H "@$work/ec2.headers" --data-binary "@$work/ec2.body" "$ec2_endpoint/") || ec2_code=000
        case $ec2_code in
            2??)
                cat "$work/ec2.out"
                return 0 ;;
        esac
        ec2_error=$(xml_lines <"$work/ec2.out" 2>/dev/null | sed -n 's/^Code>//p; s/^Message>//p' | tr '\n' ' ')
        case $ec2_code:$ec2_error in
            000:* | 5??:* | *RequestLimitExceeded* | *Throttling*) ;;
            *)
                say "EC2 $ec2_action failed: HTTP $ec2_code $ec2_error"
                return 1 ;;
        esac
        if [ "$ec2_try" -ge 5 ]; then
            say "EC2 $ec2_action failed $ec2_try times, last: HTTP $ec2_code $ec2_error"
            return 1
        fi
        say "EC2 $ec2_action: HTTP $ec2_code $ec2_error; retrying"
        sleep "$ec2_try"
        ec2_try=$((ec2_try + 1))
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
    imds_token=$(curl -sS -f -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 21600' \
        --connect-timeout 5 --max-time 10 --retry 10 --retry-delay 2 --retry-connrefused \
        "$imds_url/latest/api/token") || die "no IMDSv2 token from $imds_url"
    printf 'X-aws-ec2-metadata-token: %s\n' "$imds_token" >"$work/imds.headers"
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

# --- steps ---

guards() {
    if [ -e "$sysroot/.ec2spotter-volume" ] || [ -e "$sysroot/old-root" ]; then
        say "/ is already the persistent volume (found /.ec2spotter-volume or /old-root): nothing to do"
        exit 0
    fi
    case $0 in
        "$sysroot"/var/lib/cloud/*) ;;
        *)
            say "not run by cloud-init (\$0 is $0, not under $sysroot/var/lib/cloud/): refusing to change anything"
            exit 2 ;;
    esac
}

load_credentials() {
    if [ -n "$access_key_id" ]; then
        say "using the access key embedded in user-data (ec2spotter_embed_credentials=yes)"
        return 0
    fi
    creds_role=$(imds_get meta-data/iam/security-credentials/) || creds_role=''
    creds_role=$(printf '%s\n' "$creds_role" | sed -n 1p)
    [ -n "$creds_role" ] || die "the instance has no instance profile role (set ec2spotter_iam_instance_profile)"
    creds_json=$(imds_get "meta-data/iam/security-credentials/$creds_role") ||
        die "cannot read the credentials of role $creds_role from IMDS"
    [ "$(printf '%s' "$creds_json" | json_string Code)" = Success ] ||
        die "IMDS has no usable credentials for role $creds_role"
    access_key_id=$(printf '%s' "$creds_json" | json_string AccessKeyId)
    secret_access_key=$(printf '%s' "$creds_json" | json_string SecretAccessKey)
    session_token=$(printf '%s' "$creds_json" | json_string Token)
    if [ -z "$access_key_id" ] || [ -z "$secret_access_key" ]; then
        die "the credentials of role $creds_role lack a key"
    fi
    say "using the temporary credentials of instance profile role $creds_role"
}

describe_volume() {
    described=$(ec2_call DescribeVolumes "VolumeId.1=$volume_id") || return 1
    printf '%s\n' "$described" | xml_lines
}

find_volume() {
    if [ -z "$volume_id" ]; then
        found=$(ec2_call DescribeVolumes Filter.1.Name=tag:Name "Filter.1.Value.1=$volume_name") ||
            die "cannot list the volumes named $volume_name"
        found=$(printf '%s\n' "$found" | xml_lines | sed '/^attachmentSet>/,/^\/attachmentSet>/d' |
            sed -n 's/^volumeId>//p')
        case $found in
            '') die "no volume is tagged Name=$volume_name in $region" ;;
            *[!a-z0-9-]*) die "several volumes are tagged Name=$volume_name: $(echo "$found" | tr '\n' ' ')" ;;
        esac
        volume_id=$found
    fi
    case $volume_id in
        vol-*) ;;
        *) die "volume id '$volume_id' is not a volume id" ;;
    esac
    vol_xml=$(describe_volume) || die "cannot describe volume $volume_id"
    vol_name=$(printf '%s\n' "$vol_xml" | volume_field name)
    if [ -n "$volume_name" ] && [ "$vol_name" != "$volume_name" ]; then
        die "volume $volume_id is tagged Name=$vol_name, not $volume_name: refusing to use it"
    fi
    vol_zone=$(printf '%s\n' "$vol_xml" | volume_field zone)
    [ "$vol_zone" = "$zone" ] || die "volume $volume_id is in $vol_zone, the instance in $zone"
    say "volume $volume_id ($volume_name) found in $vol_zone"
}

# Waits until the volume is available, or attached to this instance already (a re-run).
wait_available() {
    wait_start=$(date +%s)
    while :; do
        vol_xml=$(describe_volume) || die "cannot describe volume $volume_id"
        vol_status=$(printf '%s\n' "$vol_xml" | volume_field status)
        vol_owner=$(printf '%s\n' "$vol_xml" | volume_field attached_to)
        vol_attachment=$(printf '%s\n' "$vol_xml" | volume_field attachment)
        case $vol_status in
            available) return 0 ;;
            in-use | creating)
                if [ "$vol_owner" = "$instance_id" ]; then
                    say "volume $volume_id is already attached to this instance"
                    already_attached=yes
                    return 0
                fi ;;
            *) die "volume $volume_id is $vol_status" ;;
        esac
        if [ $(($(date +%s) - wait_start)) -ge "$attach_timeout" ]; then
            die "volume $volume_id is still $vol_status (attached to ${vol_owner:-nothing}, $vol_attachment) after ${attach_timeout}s; the previous instance did not release it"
        fi
        say "volume $volume_id is $vol_status (attached to ${vol_owner:-nothing}, ${vol_attachment:-no attachment}); waiting for it to become available"
        sleep "$poll_seconds"
    done
}

attach_volume() {
    already_attached=''
    wait_available
    if [ -z "$already_attached" ]; then
        ec2_call AttachVolume "VolumeId=$volume_id" "InstanceId=$instance_id" Device=/dev/sdf >/dev/null ||
            die "cannot attach volume $volume_id to $instance_id"
        say "attaching volume $volume_id to $instance_id as /dev/sdf"
    fi
    wait_start=$(date +%s)
    while :; do
        vol_xml=$(describe_volume) || die "cannot describe volume $volume_id"
        if [ "$(printf '%s\n' "$vol_xml" | volume_field attached_to)" = "$instance_id" ] &&
            [ "$(printf '%s\n' "$vol_xml" | volume_field attachment)" = attached ]; then
            say "volume $volume_id is attached"
            return 0
        fi
        [ $(($(date +%s) - wait_start)) -lt "$device_timeout" ] ||
            die "volume $volume_id did not reach state attached within ${device_timeout}s"
        sleep "$poll_seconds"
    done
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

# The block device of the volume. On Nitro it is the NVMe disk whose serial is the volume id
# without its dash (NVMe numbering is not stable and instance-store disks are NVMe too); on Xen
# it is /dev/xvdf or /dev/sdf.
find_device() {
    dev_serial="vol${volume_id#vol-}"
    for dev_serial_file in "$devroot"/sys/block/nvme*/device/serial; do
        [ -r "$dev_serial_file" ] || continue
        if [ "$(tr -d ' \n' <"$dev_serial_file")" = "$dev_serial" ]; then
            dev_name=${dev_serial_file%/device/serial}
            dev_name=${dev_name##*/}
            if [ -e "$devroot/dev/$dev_name" ]; then
                echo "$devroot/dev/$dev_name"
                return 0
            fi
        fi
    done
    for dev_path in "$devroot/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_$dev_serial" \
        "$devroot/dev/xvdf" "$devroot/dev/sdf"; do
        if [ -b "$dev_path" ]; then
            echo "$dev_path"
            return 0
        fi
    done
    return 1
}

wait_device() {
    wait_start=$(date +%s)
    until device=$(find_device); do
        [ $(($(date +%s) - wait_start)) -lt "$device_timeout" ] ||
            die "no block device for volume $volume_id (NVMe serial vol${volume_id#vol-}, /dev/xvdf or /dev/sdf) after ${device_timeout}s"
        sleep 1
    done
    say "volume $volume_id is block device $device"
}

fs_type() {
    blkid "$1" 2>/dev/null | sed -n 's/.* TYPE="\([^"]*\)".*/\1/p'
}

# The root filesystem: partition 1, or the whole disk when it has no partition table.
# Partition nodes appear a moment after the disk, so this waits a little for them.
find_filesystem() {
    case $device in
        */by-id/*) part1="$device-part1" ;;
        *[0-9]) part1="${device}p1" ;;
        *) part1="${device}1" ;;
    esac
    fs_tries=0
    while :; do
        for fs_device in "$part1" "$device"; do
            [ -e "$fs_device" ] || continue
            fstype=$(fs_type "$fs_device")
            case $fstype in
                ext4 | xfs)
                    say "root filesystem: $fstype on $fs_device"
                    return 0 ;;
            esac
        done
        fs_tries=$((fs_tries + 1))
        [ "$fs_tries" -lt 10 ] || die "no ext4 or XFS filesystem on $device or its partition 1"
        sleep 1
    done
}

# has_init ROOT: resolves the symlinks of ROOT/sbin/init inside ROOT; true when it ends at an
# executable. The init stub gets this same text, so both judge a volume alike.
has_init_function='has_init() {
    init_path="$1/sbin/init"
    init_hops=0
    while [ -L "$init_path" ] && [ "$init_hops" -lt 10 ]; do
        init_link=$(readlink "$init_path")
        case $init_link in
            /*) init_path="$1$init_link" ;;
            *) init_path="${init_path%/*}/$init_link" ;;
        esac
        init_hops=$((init_hops + 1))
    done
    [ -f "$init_path" ] && [ -x "$init_path" ]
}'
eval "$has_init_function"

# Checks that the filesystem holds a system, prepares the directories the stub needs and gives
# it a fresh UUID and label, so it cannot be mistaken for the pre-boot disk it was cloned from.
prepare_filesystem() {
    case $fstype in
        ext4) need_cmds "$tools_ext4" ;;
        xfs) need_cmds "$tools_xfs" ;;
    esac
    fs_uuid=$(cat /proc/sys/kernel/random/uuid) || die "cannot generate a UUID"
    mnt="$sysroot/permaroot"
    mkdir -p "$mnt" || die "cannot create $mnt"
    if [ "$fstype" = ext4 ]; then
        say "checking $fs_device (e2fsck -f -p)"
        e2fsck -f -p "$fs_device" >&2 || [ $? -le 1 ] || die "e2fsck found errors on $fs_device it cannot fix"
    fi
    # nouuid: an XFS clone of the pre-boot disk has its UUID, and the kernel refuses duplicates.
    if [ "$fstype" = xfs ]; then
        mount -t xfs -o nouuid "$fs_device" "$mnt" || die "cannot mount $fs_device on $mnt"
    else
        mount -t ext4 "$fs_device" "$mnt" || die "cannot mount $fs_device on $mnt"
    fi
    mounted=$mnt
    has_init "$mnt" || die "$fs_device has no executable /sbin/init: it does not hold an installed system"
    mkdir -p "$mnt/old-root" "$mnt/dev" "$mnt/proc" "$mnt/sys" "$mnt/run" ||
        die "cannot create the mount points on $fs_device"
    printf '%s\n' "$volume_id" >"$mnt/.ec2spotter-volume" || die "cannot write $mnt/.ec2spotter-volume"
    install_watcher
    umount "$mnt" || die "cannot unmount $mnt"
    mounted=''
    if [ "$fstype" = ext4 ]; then
        e2fsck -f -p "$fs_device" >&2 || [ $? -le 1 ] || die "e2fsck found errors on $fs_device it cannot fix"
        tune2fs -U "$fs_uuid" -L "$label" "$fs_device" >&2 </dev/null || die "tune2fs cannot set a new UUID on $fs_device"
    else
        xfs_admin -U "$fs_uuid" -L "$label" "$fs_device" >&2 || die "xfs_admin cannot set a new UUID on $fs_device"
    fi
    say "$fs_device has the new UUID $fs_uuid and label $label"
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
    unit=/usr/local/lib/systemd/system/ec2spotter-watcher.service
    wants="$mnt/etc/systemd/system/multi-user.target.wants"
    umask 022
    mkdir -p "$mnt/usr/local/sbin" "$mnt${unit%/*}" "$mnt/etc/ec2spotter/interruption.d" \
        "$mnt/etc/ec2spotter/rebalance.d" || die "cannot create the watcher's directories on $fs_device"
    new_unit=''
    [ -e "$mnt$unit" ] || new_unit=yes
    volume_file watcher_script /usr/local/sbin/ec2spotter-watcher 755
    volume_file watcher_unit "$unit" 644
    if [ -n "$new_unit" ]; then
        { mkdir -p "$wants" && ln -sf "$unit" "$wants/"; } || die "cannot enable $unit on $fs_device"
    fi
    umask 077
    say "installed the interruption watcher on $fs_device (ec2spotter-watcher.service${new_unit:+, enabled})"
}

# write_stub FILE UUID: the /sbin/init that pivots into the filesystem with that UUID.
write_stub() {
    {
        printf '#!/bin/sh\n# ec2spotter init stub for volume %s, installed by the ec2spotter boot script.\n' "$volume_id"
        printf "uuid='%s'\n" "$2"
        cat <<'STUB'
# Mounts the persistent filesystem by UUID on /permaroot, pivots into it and runs its init.
# Anything that fails before the pivot makes it run the original init instead: the instance
# then boots its pre-boot system, reachable by ssh. PID 1 must never exit.
orig=/sbin/init.ec2spotter-orig
new=/permaroot
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH

say() {
    echo "ec2spotter init stub: $*" >/dev/console 2>/dev/null || echo "ec2spotter init stub: $*" >&2
}

STUB
        printf '%s\n\n' "$has_init_function"
        cat <<'STUB'
# has_tool ROOT NAME: NAME is in one of PATH's directories under ROOT.
has_tool() {
    for tool_dir in usr/sbin usr/bin sbin bin; do
        [ -x "$1/$tool_dir/$2" ] && return 0
    done
    return 1
}

pivot() {
    [ -e /proc/mounts ] || mount -t proc proc /proc || { why="cannot mount /proc"; return 1; }
    [ -d /sys/block ] || mount -t sysfs sysfs /sys || { why="cannot mount /sys"; return 1; }
    [ -e /dev/null ] || mount -t devtmpfs devtmpfs /dev || { why="cannot mount /dev"; return 1; }
    tries=0
    until dev=$(findfs "UUID=$uuid" 2>/dev/null) && [ -n "$dev" ]; do
        tries=$((tries + 1))
        [ "$tries" -le 30 ] || { why="no filesystem has UUID $uuid (is the volume attached?)"; return 1; }
        sleep 1
    done
    [ -d "$new" ] || { why="mount point $new is missing"; return 1; }
    mount "$dev" "$new" || { why="cannot mount $dev on $new"; return 1; }
    if ! has_init "$new"; then
        umount "$new"
        why="$dev has no executable /sbin/init"
        return 1
    fi
    # After pivot_root, commands come from the new root (or the old one, if the kernel kept it).
    if ! { [ -d "$new/old-root" ] || mkdir "$new/old-root"; } || ! has_tool "$new" chroot ||
        ! has_tool "$new" mount || ! has_tool "" chroot; then
        umount "$new"
        why="$dev lacks /old-root, chroot or mount"
        return 1
    fi
    cd "$new" || { umount "$new"; why="cannot enter $new"; return 1; }
    if ! pivot_root . old-root; then
        cd /
        umount "$new"
        why="pivot_root failed"
        return 1
    fi
    return 0
}

if [ "$$" != 1 ]; then
    exec "$orig" "$@"
fi
why=''
if pivot; then
    for d in dev proc sys run; do
        [ -d "$d" ] || mkdir "$d"
        mount --move "old-root/$d" "$d" 2>/dev/null || say "old-root/$d not moved (the new init mounts it)"
    done
    echo "$(date -u '+%Y-%m-%dT%H:%M:%SZ') ec2spotter init stub: booting the persistent volume ($uuid)" \
        >>var/log/ec2spotter.log 2>/dev/null
    say "booting the persistent volume ($uuid)"
    exec chroot . /sbin/init "$@"
fi
say "$why; starting the pre-boot system's init ($orig) instead"
echo "$(date -u '+%Y-%m-%dT%H:%M:%SZ') ec2spotter init stub: $why; started $orig instead" \
    >>/var/log/ec2spotter.log 2>/dev/null
for init in "$orig" /lib/systemd/systemd /usr/lib/systemd/systemd; do
    [ -x "$init" ] && exec "$init" "$@"
done
say "no init to start; starting a shell on the console"
exec /bin/sh
STUB
    } >"$1"
}

# The point of no return: the stub replaces /sbin/init in one rename, the original is kept.
install_stub() {
    init="$sysroot/sbin/init"
    orig="$sysroot/sbin/init.ec2spotter-orig"
    need_cmds "$tools_stub"
    mkdir -p "$sysroot/permaroot" || die "cannot create $sysroot/permaroot"
    write_stub "$init.ec2spotter-new" "$fs_uuid" || die "cannot write $init.ec2spotter-new"
    chmod 755 "$init.ec2spotter-new" || die "cannot make $init.ec2spotter-new executable"
    if [ -e "$orig" ] || [ -L "$orig" ]; then
        say "$orig exists already (an earlier run): keeping it"
    else
        [ -e "$init" ] || [ -L "$init" ] || die "$init does not exist"
        cp -P -p "$init" "$orig" || die "cannot keep $init as $orig"
    fi
    mv -f "$init.ec2spotter-new" "$init" || die "cannot install the stub as $init"
    past_no_return=yes
    say "installed the init stub as $init (the original init is $orig)"
}

# Deletes the copies of user-data cloud-init keeps, when they hold embedded keys.
forget_embedded_keys() {
    [ "$keys_embedded" = yes ] || return 0
    for key_copy in "$sysroot"/var/lib/cloud/instances/*/user-data.txt* \
        "$sysroot"/var/lib/cloud/instances/*/obj.pkl \
        "$sysroot"/var/lib/cloud/instances/*/scripts/part-*; do
        [ -e "$key_copy" ] && rm -f "$key_copy"
    done
    grep -rlF -e "$access_key_id" "$sysroot/var/lib/cloud" 2>/dev/null | while read -r key_copy; do
        rm -f "$key_copy"
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
    guards
    keys_embedded=no
    if [ -n "$access_key_id" ]; then
        keys_embedded=yes
    fi
    trap cleanup EXIT
    trap 'die "interrupted"' HUP INT TERM
    need_cmds "$tools_common"
    if [ "$reboot" = yes ]; then
        need_cmds reboot
    fi
    work=$(mktemp -d) || die "cannot create a temporary directory"
    say "boot script started for volume ${volume_id:-named $volume_name}"

    imds_init
    instance_id=$(imds_get meta-data/instance-id) || die "cannot read the instance id from IMDS"
    zone=$(imds_get meta-data/placement/availability-zone) || die "cannot read the zone from IMDS"
    if [ -z "$region" ]; then
        region=$(imds_get meta-data/placement/region) || die "cannot read the region from IMDS"
    fi
    ec2_endpoint=${ec2_endpoint:-https://ec2.$region.amazonaws.com}
    ec2_host=${ec2_endpoint#*://}
    ec2_host=${ec2_host%%/*}
    ec2_endpoint=${ec2_endpoint%/}
    say "instance $instance_id in $zone; EC2 at $ec2_endpoint"
    load_credentials

    find_volume
    attach_volume
    optional_steps
    wait_device
    find_filesystem
    prepare_filesystem
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
