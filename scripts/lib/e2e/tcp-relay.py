#!/usr/bin/env python3
"""Relays one TCP connection between stdin/stdout and 127.0.0.1:PORT.

QEMU's user networking runs this for each connection the guest opens to a `guestfwd`
address (`guestfwd=tcp:ADDR:PORT-cmd:...`), with the connection on stdin and stdout. With
`restrict=on`, these forwards are the only way out of the guest, so the guest can reach
the ports the e2e suite names and nothing else. Usage: tcp-relay.py PORT
"""
import os
import select
import socket
import sys


def main() -> int:
    port = int(sys.argv[1])
    upstream = socket.create_connection(("127.0.0.1", port), timeout=30)
    upstream.settimeout(None)
    guest_in, guest_out = sys.stdin.fileno(), sys.stdout.fileno()
    open_inputs = {guest_in, upstream.fileno()}
    while open_inputs:
        readable, _, _ = select.select(list(open_inputs), [], [], 120)
        if not readable:
            return 1  # neither side said anything for two minutes
        for fd in readable:
            data = os.read(fd, 65536)
            if fd == guest_in:
                if data:
                    upstream.sendall(data)
                else:
                    open_inputs.discard(fd)
                    upstream.shutdown(socket.SHUT_WR)
            elif data:
                while data:
                    data = data[os.write(guest_out, data):]
            else:
                return 0  # the server closed: the guest sees the close when we exit
    return 0


if __name__ == "__main__":
    sys.exit(main())
