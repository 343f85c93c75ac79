#!/usr/bin/env python3
"""Sends one command to a running QEMU over its QMP socket and prints the answer.

The e2e suite uses it to hot-plug the persistent volume (device_add) once the boot script
has attached it in the EC2 emulator, as EC2 makes an attached EBS volume appear on a
running instance. Usage: qmp.py SOCKET COMMAND [JSON_ARGUMENTS]
Exits 1 when QEMU answers with an error.
"""
import json
import socket
import sys


def main() -> int:
    path, command = sys.argv[1], sys.argv[2]
    arguments = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(30)
        sock.connect(path)
        replies = sock.makefile("r")

        def call(name, args):
            sock.sendall(json.dumps({"execute": name, "arguments": args}).encode() + b"\n")
            for line in replies:
                message = json.loads(line)
                if "return" in message or "error" in message:
                    return message  # anything else is an asynchronous event
            raise RuntimeError("QMP connection closed")

        json.loads(replies.readline())  # the greeting
        call("qmp_capabilities", {})
        answer = call(command, arguments)
    print(json.dumps(answer))
    return 1 if "error" in answer else 0


if __name__ == "__main__":
    sys.exit(main())
