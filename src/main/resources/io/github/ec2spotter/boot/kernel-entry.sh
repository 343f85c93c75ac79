#!/bin/sh
# ec2spotter kernel entry, put on the volume by the boot script (README: "The volume's own kernel").
# The pre-boot disk's GRUB boots the volume's
# kernel only once per arming (a one-shot next_entry in its environment block, which GRUB
# clears as it boots it): this script arms it again after every healthy boot, so a kernel that
# panics or hangs costs one boot, after which GRUB's default entry pivots under the AMI's kernel.
#   boot      after multi-user.target: a boot through the entry is healthy; a boot without it
#             while the entry was armed means the armed kernel did not come up: it is recorded
#             in /var/lib/ec2spotter/failed-kernels and not tried again. Then arms the entry.
#   shutdown  arms it for the kernel the volume's links name now (an upgrade since boot).
# Where it finds GRUB: /var/lib/ec2spotter/kernel-entry, rewritten by the boot script at every
# launch (a new instance has a new pre-boot disk). Exit 1: GRUB's environment could not be
# written (the next boot then pivots under the AMI's kernel). EC2SPOTTER_LIBRARY=yes: define
# the functions only.

set -u

# >>> ec2spotter parameters
root=''
# <<< ec2spotter parameters

state_file="$root/var/lib/ec2spotter/kernel-entry"
failed_file="$root/var/lib/ec2spotter/failed-kernels"
log_file="$root/var/log/ec2spotter.log"
entry_id=ec2spotter-volume
env_size=1024
preboot_dir=''
preboot_undo=''

# say: to the journal (stderr), the log file and the kernel log, which the console shows.
say() {
    printf 'ec2spotter-kernel-entry: %s\n' "$*" >&2
    printf '%s ec2spotter-kernel-entry: %s\n' "$(date -u '+%Y-%m-%dT%H:%M:%SZ')" "$*" >>"$log_file" 2>/dev/null || true
    if [ -w /dev/kmsg ]; then
        printf '<5>ec2spotter-kernel-entry: %s\n' "$*" >/dev/kmsg 2>/dev/null || true
    fi
}

# state KEY: a value of the boot script's state file.
state() {
    sed -n "s/^$1=//p" "$state_file" | sed -n 1p
}

# env_get FILE NAME: a variable of a GRUB environment block.
env_get() {
    sed -n "s/^$2=//p" "$1" | sed -n 1p
}

# env_edit FILE NAME=VALUE...: sets (an empty VALUE: removes) variables of a GRUB environment
# block (made when FILE is missing or empty), written in place: GRUB reads the file's blocks
# without the filesystem's journal, so they must not move. The block is the header line,
# NAME=VALUE lines and # up to 1024 bytes.
env_edit() {
    env_edit_file=$1
    shift
    [ -s "$env_edit_file" ] || printf '# GRUB Environment Block\n' >"$env_edit_file" || return 1
    [ "$(wc -c <"$env_edit_file")" -le "$env_size" ] || return 1
    [ "$(sed -n 1p "$env_edit_file")" = '# GRUB Environment Block' ] || return 1
    env_edit_body=$(sed -n '2,$p' "$env_edit_file" | grep -v '^#' || true)
    for env_edit_pair in "$@"; do
        env_edit_name=${env_edit_pair%%=*}
        env_edit_body=$(printf '%s\n' "$env_edit_body" | grep -v "^$env_edit_name=" || true)
        if [ -n "${env_edit_pair#*=}" ]; then
            env_edit_body="${env_edit_body:+$env_edit_body
}$env_edit_pair"
        fi
    done
    env_edit_text="# GRUB Environment Block
${env_edit_body:+$env_edit_body
}"
    env_edit_pad=$((env_size - $(printf '%s' "$env_edit_text" | wc -c)))
    [ "$env_edit_pad" -ge 0 ] || return 1
    {
        printf '%s' "$env_edit_text"
        dd if=/dev/zero bs="$env_edit_pad" count=1 2>/dev/null | tr '\0' '#'
    } | dd of="$env_edit_file" conv=notrunc 2>/dev/null || return 1
    [ "$(wc -c <"$env_edit_file")" -eq "$env_size" ] && sync
}

# link_version: "DIR VERSION": the kernel the volume's links name (DIR/vmlinuz, DIR /boot or
# empty, as the GRUB entry boots them), with its DIR/initrd.img; false when there is none.
link_version() {
    for link_version_dir in /boot ''; do
        link_version_kernel=$(readlink -f "$root$link_version_dir/vmlinuz" 2>/dev/null) || continue
        link_version_initrd=$(readlink -f "$root$link_version_dir/initrd.img" 2>/dev/null) || continue
        if [ ! -f "$link_version_kernel" ] || [ ! -f "$link_version_initrd" ]; then
            continue
        fi
        link_version_kernel=${link_version_kernel##*/vmlinuz-}
        case $link_version_kernel in
            */* | '') continue ;;
        esac
        echo "$link_version_dir $link_version_kernel"
        return 0
    done
    return 1
}

# failed_before VERSION: VERSION is recorded as a kernel that did not come up.
failed_before() {
    [ -f "$failed_file" ] && grep -q "^$1 " "$failed_file"
}

# record_failed VERSION WHY
record_failed() {
    if ! failed_before "$1"; then
        if ! { mkdir -p "${failed_file%/*}" &&
            printf '%s %s %s\n' "$1" "$(date -u '+%Y-%m-%dT%H:%M:%SZ')" "$2" >>"$failed_file"; }; then
            say "WARNING: cannot record kernel $1 in $failed_file"
        fi
    fi
    say "the volume's kernel $1 did not come up on the last boot ($2): recorded in $failed_file, not tried again; delete its line there to try it again"
}

# preboot_open: sets preboot_dir to where the pre-boot disk's GRUB filesystem is mounted
# writable: where it is mounted already (/old-root under the AMI's kernel), else a mount of
# our own; preboot_undo says what preboot_close undoes.
preboot_open() {
    preboot_open_device=$(blkid -U "$grub_fs" 2>/dev/null) || preboot_open_device=''
    [ -n "$preboot_open_device" ] || {
        say "no filesystem has UUID $grub_fs (the pre-boot disk's GRUB, as the boot script recorded it in $state_file)"
        return 1
    }
    preboot_open_real=$(readlink -f "$preboot_open_device")
    preboot_dir=''
    while read -r preboot_open_source preboot_open_target preboot_open_rest; do
        if [ "$(readlink -f "$preboot_open_source" 2>/dev/null)" = "$preboot_open_real" ]; then
            preboot_dir=$preboot_open_target
            case ",${preboot_open_rest#* }" in
                ,ro,* | ,ro\ *) preboot_undo=ro ;;
                *) preboot_undo='' ;;
            esac
            break
        fi
    done </proc/mounts
    if [ -n "$preboot_dir" ]; then
        [ "$preboot_undo" != ro ] || mount -o remount,rw "$preboot_dir" || {
            say "cannot make $preboot_dir (the pre-boot disk) writable"
            return 1
        }
        return 0
    fi
    preboot_dir=/run/ec2spotter/preboot
    if ! { mkdir -p "$preboot_dir" && mount "$preboot_open_device" "$preboot_dir"; }; then
        say "cannot mount $preboot_open_device (the pre-boot disk's GRUB) on $preboot_dir"
        return 1
    fi
    preboot_undo=umount
}

preboot_close() {
    sync
    case $preboot_undo in
        ro) mount -o remount,ro "$preboot_dir" || say "WARNING: cannot make $preboot_dir read-only again" ;;
        umount) umount "$preboot_dir" || say "WARNING: cannot unmount $preboot_dir" ;;
    esac
    preboot_undo=''
}

# arm ENV: GRUB's next boot is the volume's kernel, unless the links name none or one that
# failed before. Ubuntu's GRUB sends a boot whose initramfs failed to prev_entry instead of
# next_entry (initrdfail): both are cleared.
arm() {
    if ! arm_version=$(link_version); then
        env_edit "$1" next_entry= ec2spotter_kernel= || return 1
        say "the volume has no /boot/vmlinuz or /vmlinuz with its initrd.img: the next boot pivots under the AMI's kernel"
    elif arm_version=${arm_version#* } && failed_before "$arm_version"; then
        env_edit "$1" next_entry= ec2spotter_kernel= || return 1
        say "the volume's kernel $arm_version failed before ($failed_file): the next boot pivots under the AMI's kernel"
    else
        env_edit "$1" "next_entry=$entry_id" "ec2spotter_kernel=$arm_version" initrdfail= prev_entry= || return 1
        say "armed: the next boot runs the volume's kernel $arm_version"
    fi
}

main() {
    [ -f "$state_file" ] || exit 0
    [ "$(state mode)" = volume ] || exit 0
    grub_fs=$(state grub_fs)
    grub_env="$(state grub_dir)/grubenv"
    preboot_open || exit 1
    env="$preboot_dir$grub_env"
    if [ ! -f "$env" ]; then
        say "the pre-boot disk has no $grub_env"
        preboot_close
        exit 1
    fi
    if [ "${1:-}" = boot ]; then
        tried=$(env_get "$env" ec2spotter_kernel)
        case " $(cat /proc/cmdline) " in
            *" ec2spotter.entry=volume "*) say "the volume's own kernel $(uname -r) came up" ;;
            *) [ -z "$tried" ] || record_failed "$tried" "this boot came from GRUB's default entry, kernel $(uname -r)" ;;
        esac
    fi
    arm_rc=0
    arm "$env" || arm_rc=1
    [ "$arm_rc" = 0 ] || say "cannot write $grub_env on the pre-boot disk: the next boot pivots under the AMI's kernel"
    preboot_close
    exit "$arm_rc"
}

if [ "${EC2SPOTTER_LIBRARY:-}" != yes ]; then
    main "$@"
fi
