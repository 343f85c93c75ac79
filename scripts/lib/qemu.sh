# shellcheck shell=bash
# Sourced by scripts/e2e-boot and scripts/e2e-distro: the QEMU they boot their disks with.
# QEMU 7.2's NVMe model (Debian 12's own) can lose I/O under TCG; QEMU 10 (bookworm-backports)
# does not. With CI=true as root, qemu_recent installs it from bookworm-backports (adding that
# suite to apt's sources when it is missing); elsewhere it says how, and goes on with what is there.

# qemu_major: the major version of qemu-system-x86_64, 0 when it cannot tell.
qemu_major() {
    qemu-system-x86_64 --version 2>/dev/null | sed -n '1s/^QEMU emulator version \([0-9]*\).*/\1/p' | grep . || echo 0
}

qemu_recent() {
    local sources=/etc/apt/sources.list.d/ec2spotter-backports.sources
    [ "$(qemu_major)" -lt 10 ] || return 0
    if [ "${CI:-}" != true ] || [ "$(id -u)" != 0 ]; then
        echo "note: QEMU $(qemu_major) here; its NVMe model can lose I/O under TCG. QEMU 10 is in bookworm-backports:" \
            "sudo apt-get install -t bookworm-backports qemu-system-x86" >&2
        return 0
    fi
    if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
        printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' >"$sources"
    fi
    echo "installing QEMU from bookworm-backports (QEMU $(qemu_major) is here)" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -t bookworm-backports qemu-system-x86 >/dev/null
    [ "$(qemu_major)" -ge 10 ] || { echo "QEMU from bookworm-backports did not install" >&2; return 1; }
}
