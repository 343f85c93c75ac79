#!/bin/sh
# ec2spotter kernel entry, put on the volume by the boot script (README: "The volume's own kernel").
# The pre-boot disk's GRUB boots the volume's kernel once per arming (next_entry in its
# environment block, which GRUB clears as it boots it); this arms it again after each healthy
# boot, so a kernel that panics or hangs costs one boot, after which GRUB's default entry
# pivots under the AMI's kernel.
#   boot      after multi-user.target: a boot through the entry (ec2spotter.entry=volume) is
#             healthy; one without it while a kernel was armed means that kernel did not come
#             up: it goes into /var/lib/ec2spotter/failed-kernels and is not armed again.
#   shutdown  arms the kernel the volume's links name now (an upgrade since the boot).
# Where GRUB is: /var/lib/ec2spotter/kernel-entry, rewritten by the boot script at every launch
# (a new instance has a new pre-boot disk). Exit 1: GRUB's environment could not be written; the
# next boot then pivots under the AMI's kernel. EC2SPOTTER_LIBRARY=yes: functions only.

set -u

# >>> ec2spotter parameters
root=''
# <<< ec2spotter parameters

state_file="$root/var/lib/ec2spotter/kernel-entry"
failed_file="$root/var/lib/ec2spotter/failed-kernels"
log_file="$root/var/log/ec2spotter.log"
preboot_dir=''
preboot_undo=''

# say: to stderr (its unit sends that to the journal and the console) and the log file.
say() {
    printf 'ec2spotter-kernel-entry: %s\n' "$*" >&2
    printf '%s ec2spotter-kernel-entry: %s\n' "$(date -u +%FT%TZ)" "$*" >>"$log_file" 2>/dev/null
    true
}

# value KEY FILE: the first KEY=value of FILE (the state file, a GRUB environment block).
value() {
    sed -n "s/^$1=//p" "$2" | sed -n 1p
}

# env_edit FILE NAME=VALUE...: sets (an empty VALUE: removes) variables of a GRUB environment
# block (made when FILE is missing or empty), written in place: GRUB reads the file's blocks
# without the filesystem's journal, so they must not move. The block: its header line,
# NAME=VALUE lines, # up to 1024 bytes.
env_edit() {
    env_edit_file=$1
    shift
    [ -s "$env_edit_file" ] || printf '# GRUB Environment Block\n' >"$env_edit_file" || return 1
    [ "$(wc -c <"$env_edit_file")" -le 1024 ] && [ "$(sed -n 1p "$env_edit_file")" = '# GRUB Environment Block' ] || return 1
    env_edit_body=$(sed '1d;/^#/d' "$env_edit_file")
    for env_edit_pair in "$@"; do
        env_edit_body=$(printf '%s\n' "$env_edit_body" | grep -v "^${env_edit_pair%%=*}=")
        [ -z "${env_edit_pair#*=}" ] || env_edit_body="$env_edit_body
$env_edit_pair"
    done
    env_edit_body=$(printf '# GRUB Environment Block\n%s\n' "$env_edit_body" | sed '/^$/d')
    env_edit_pad=$((1023 - ${#env_edit_body}))
    [ "$env_edit_pad" -ge 0 ] || return 1
    { printf '%s\n' "$env_edit_body" && dd if=/dev/zero bs="$env_edit_pad" count=1 2>/dev/null | tr '\0' '#'; } |
        dd of="$env_edit_file" conv=notrunc 2>/dev/null && sync
}

# link_version: "DIR VERSION", the kernel the volume's links name: DIR/vmlinuz (DIR /boot, else
# empty) with DIR/initrd.img, as the GRUB entry boots them; false when there is none.
link_version() {
    for link_version_dir in /boot ''; do
        link_version_kernel=$(readlink -f "$root$link_version_dir/vmlinuz") || continue
        [ -f "$link_version_kernel" ] || continue
        [ -f "$root$link_version_dir/initrd.img" ] || continue
        link_version_kernel=${link_version_kernel##*/vmlinuz-}
        case $link_version_kernel in
            */* | '') ;;
            *) echo "$link_version_dir $link_version_kernel" && return 0 ;;
        esac
    done
    return 1
}

# failed_before VERSION: VERSION is recorded as a kernel that did not come up.
failed_before() {
    grep -q "^$1 " "$failed_file" 2>/dev/null
}

# record_failed VERSION WHY
record_failed() {
    failed_before "$1" || echo "$1 $(date -u +%FT%TZ) $2" >>"$failed_file"
    say "the volume's kernel $1 did not come up on the last boot ($2): not tried again (delete its line in $failed_file to try it)"
}

# preboot_open: preboot_dir, where the pre-boot disk's GRUB filesystem is mounted writable: where
# it is already (/old-root under the AMI's kernel, remounted rw), else a mount of its own.
preboot_open() {
    preboot_open_dev=$(readlink -f "$(blkid -U "$grub_fs")") || return 1
    # shellcheck disable=SC2034 # the fields of a line of /proc/mounts
    while read -r preboot_open_src preboot_dir preboot_open_type preboot_open_opts preboot_open_rest; do
        [ "$(readlink -f "$preboot_open_src")" != "$preboot_open_dev" ] || break
        preboot_dir=''
    done </proc/mounts
    if [ -z "$preboot_dir" ]; then
        preboot_dir=/run/ec2spotter/preboot
        preboot_undo=umount
        mkdir -p "$preboot_dir" && mount "$preboot_open_dev" "$preboot_dir"
    else
        case ,$preboot_open_opts, in
            *,ro,*) preboot_undo=ro && mount -o remount,rw "$preboot_dir" ;;
        esac
    fi
}

preboot_close() {
    sync
    case $preboot_undo in
        ro) mount -o remount,ro "$preboot_dir" ;;
        umount) umount "$preboot_dir" ;;
    esac
}

# arm ENV: the next boot is the volume's kernel, unless its links name none or one that failed.
# Ubuntu's GRUB boots prev_entry instead of next_entry after an initramfs failure (initrdfail):
# both are cleared.
arm() {
    if ! arm_version=$(link_version) || failed_before "${arm_version#* }"; then
        env_edit "$1" next_entry= ec2spotter_kernel= && say "the next boot pivots under the AMI's kernel (no /boot/vmlinuz or /vmlinuz with its initrd.img, or one that failed)"
        return
    fi
    arm_version=${arm_version#* }
    env_edit "$1" next_entry=ec2spotter-volume "ec2spotter_kernel=$arm_version" initrdfail= prev_entry= &&
        say "armed: the next boot runs the volume's kernel $arm_version"
}

main() {
    [ "$(value mode "$state_file" 2>/dev/null)" = volume ] || exit 0
    grub_fs=$(value grub_fs "$state_file")
    preboot_open || {
        say "cannot mount the pre-boot disk's GRUB (UUID $grub_fs) writable"
        exit 1
    }
    env="$preboot_dir$(value grub_dir "$state_file")/grubenv"
    if [ "${1:-}" = boot ]; then
        tried=$(value ec2spotter_kernel "$env")
        case " $(cat /proc/cmdline) " in
            *" ec2spotter.entry=volume "*) say "the volume's own kernel $(uname -r) came up" ;;
            *) [ -z "$tried" ] || record_failed "$tried" "this boot came from GRUB's default entry, kernel $(uname -r)" ;;
        esac
    fi
    arm_rc=0
    arm "$env" || { arm_rc=1 && say "cannot write $env: the next boot pivots under the AMI's kernel"; }
    preboot_close
    exit "$arm_rc"
}

if [ "${EC2SPOTTER_LIBRARY:-}" != yes ]; then
    main "$@"
fi
