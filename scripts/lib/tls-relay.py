#!/usr/bin/env python3
"""Terminates TLS on 127.0.0.1 and relays each connection to 127.0.0.1:PORT in plain TCP.

scripts/test-release puts it in front of moto_server with an elliptic-curve certificate, so that
a run of the release reaches EC2 over HTTPS as it does against AWS, and fails if its runtime lacks
what TLS needs. Prints the port it listens on, then serves until killed; a connection idle for a
minute is dropped. Usage: tls-relay.py CERT KEY PORT
"""
import select
import socket
import ssl
import sys
import threading


def relay(client: socket.socket, context: ssl.SSLContext, port: int) -> None:
    try:
        with context.wrap_socket(client, server_side=True) as tls, \
                socket.create_connection(("127.0.0.1", port), timeout=30) as upstream:
            peers = {tls: upstream, upstream: tls}
            while True:
                # Bytes TLS already decrypted are pending, not readable by select.
                readable = [tls] if tls.pending() else select.select(list(peers), [], [], 60)[0]
                if not readable:
                    return
                for source in readable:
                    data = source.recv(65536)
                    if not data:
                        return
                    peers[source].sendall(data)
    except (OSError, ssl.SSLError):
        return


def main() -> int:
    cert, key, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = socket.create_server(("127.0.0.1", 0))
    print(server.getsockname()[1], flush=True)
    while True:
        client, _ = server.accept()
        threading.Thread(target=relay, args=(client, context, port), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
