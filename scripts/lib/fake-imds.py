#!/usr/bin/env python3
"""A small stand-in for the EC2 instance metadata service (IMDS), for tests only.

Usage: fake-imds.py --port PORT --state FILE [--bind ADDR]

Binds ADDR (default 127.0.0.1). With --port 0 the kernel picks a free port; the port is
always printed as the first stdout line, "PORT=<n>", so a caller can read it.

FILE is JSON, re-read on every request so a test can change it between boots:
  {"instance_id": "i-...", "availability_zone": "us-east-1d", "region": "us-east-1",
   "role": "ec2spotter-role",
   "credentials": {"AccessKeyId": "...", "SecretAccessKey": "...", "Token": "..."},
   "user_data_file": "/path" or null, "require_token": true,
   "domain": "amazonaws.com", "credentials_after": <epoch seconds> or null,
   "mac": "02:e2:..." (optional: then meta-data/mac and network/interfaces/macs/MAC/... too),
   "instance_action": {"action": "terminate", "time": "2024-05-01T10:02:00Z"} or null,
   "rebalance": {"noticeTime": "2024-05-01T10:00:00Z"} or null,
   "revoke_tokens_before": <unix time> or null, "unreachable": false,
   "image_id": "ami-...", "instance_type": "t3.small"}

Any dated API version (/2021-03-23/...) is served as /latest/. Besides the paths below it
serves what cloud-init's EC2 datasource crawls: the meta-data/ listings, ami-id,
instance-type, local-hostname, local-ipv4, and dynamic/instance-identity/document.

"domain" (default amazonaws.com) is meta-data/services/domain. Before "credentials_after" the
role and its credentials answer 404, as IMDS does until an instance profile is associated.

IMDSv2 is enforced as on EC2 (unless "require_token" is false): PUT /latest/api/token with
X-aws-ec2-metadata-token-ttl-seconds (1..21600) returns a token; a GET without a valid,
unexpired X-aws-ec2-metadata-token answers 401. A request carrying X-Forwarded-For is refused
(403), as the real service does.

Each request appends one line to FILE.log: "METHOD PATH STATUS token=T", where T is
"valid", "missing", "invalid" or "-" (for the token PUT itself), so tests can assert the
token flow.

The spot notices: "instance_action" is served as JSON at meta-data/spot/instance-action and
"rebalance" at meta-data/events/recommendations/rebalance; without them both answer 404, as on
an instance that has none. "revoke_tokens_before" makes every token issued before that time
answer 401, as if the service had forgotten them. "unreachable": true makes the service accept
connections and never answer (each is closed once the client gives up, or after 30 s), as when
IMDS is down or the hop limit drops its packets.
"""

import argparse
import http.server
import json
import secrets
import select
import signal
import sys
import threading
import time

MAX_TTL = 21600


class Tokens:
    """Issued session tokens and when they expire."""

    def __init__(self):
        self._lock = threading.Lock()
        self._tokens = {}

    def issue(self, ttl):
        token = secrets.token_urlsafe(40)
        with self._lock:
            self._tokens[token] = (time.time(), time.monotonic() + ttl)
        return token

    def check(self, token, revoked_before=None):
        if token is None:
            return "missing"
        with self._lock:
            issued, expiry = self._tokens.get(token, (None, None))
        if issued is None or expiry <= time.monotonic():
            return "invalid"
        return "invalid" if revoked_before is not None and issued < revoked_before else "valid"


def make_handler(state_path, tokens):
    log_path = state_path + ".log"
    log_lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "fake-imds"
        sys_version = ""

        def log_message(self, fmt, *args):  # silence the default stderr access log
            pass

        def _record(self, status, token_state):
            with log_lock, open(log_path, "a", encoding="utf-8") as log:
                log.write(f"{self.command} {self.path} {status} token={token_state}\n")

        def _send(self, status, body=b"", content_type="text/plain", token_state="-", headers=None):
            if isinstance(body, str):
                body = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            self._record(status, token_state)

        def _drain_body(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)

        def _state(self):
            with open(state_path, encoding="utf-8") as f:
                return json.load(f)

        def handle_one_request(self):
            held_until = time.monotonic() + 30
            while self._state().get("unreachable") and time.monotonic() < held_until:
                # What the client sends is read and dropped; EOF means it gave up.
                readable, _, _ = select.select([self.connection], [], [], 0.2)
                if readable and not self.connection.recv(65536):
                    break
            if self._state().get("unreachable"):
                self.close_connection = True
                return
            super().handle_one_request()

        def do_PUT(self):
            self._drain_body()
            if self.headers.get("X-Forwarded-For") is not None:
                self._send(403, "Forbidden")
                return
            if self.path != "/latest/api/token":
                self._send(404, "Not Found")
                return
            ttl_header = self.headers.get("X-aws-ec2-metadata-token-ttl-seconds")
            try:
                ttl = int(ttl_header)
            except (TypeError, ValueError):
                ttl = 0
            if not 1 <= ttl <= MAX_TTL:
                self._send(400, "Bad Request: X-aws-ec2-metadata-token-ttl-seconds must be 1..21600")
                return
            token = tokens.issue(ttl)
            self._send(200, token, headers={"X-aws-ec2-metadata-token-ttl-seconds": str(ttl)})

        def do_GET(self):
            if self.headers.get("X-Forwarded-For") is not None:
                self._send(403, "Forbidden")
                return
            state = self._state()
            token_state = tokens.check(self.headers.get("X-aws-ec2-metadata-token"), state.get("revoke_tokens_before"))
            if state.get("require_token", True) and token_state != "valid":
                self._send(401, "Unauthorized", token_state=token_state)
                return
            status, body, content_type = self._answer(state)
            self._send(status, body, content_type, token_state)

        def _answer(self, state):
            path = self.path.split("?", 1)[0]
            # A dated API version (cloud-init asks for 2021-03-23 and others) is served as latest.
            parts = path.split("/", 2)
            if len(parts) == 3 and len(parts[1]) == 10 and parts[1][4] == "-" and parts[1][7] == "-":
                path = "/latest/" + parts[2]
            role = state.get("role")
            metadata = self._metadata(state)
            if path in metadata and metadata[path] is not None:
                return 200, metadata[path], "text/plain"
            if path.endswith("/") and path.startswith("/latest/meta-data/"):
                listing = self._listing(metadata, path)
                if listing and path != "/latest/meta-data/iam/security-credentials/":
                    return 200, listing, "text/plain"
            if path in ("/latest/dynamic/instance-identity/", "/latest/dynamic/instance-identity"):
                return 200, "document", "text/plain"
            if path == "/latest/dynamic/instance-identity/document" and state.get("instance_id"):
                return 200, json.dumps(self._identity(state), indent=2), "text/plain"
            if time.time() < (state.get("credentials_after") or 0):
                role = None
            if path == "/latest/meta-data/iam/security-credentials/" and role:
                return 200, role, "text/plain"
            if role and path == "/latest/meta-data/iam/security-credentials/" + role:
                return 200, json.dumps(self._credentials(state), indent=2), "text/plain"
            notices = {
                "/latest/meta-data/spot/instance-action": state.get("instance_action"),
                "/latest/meta-data/events/recommendations/rebalance": state.get("rebalance"),
            }
            if notices.get(path) is not None:
                return 200, json.dumps(notices[path]), "text/plain"
            if path == "/latest/user-data":
                user_data_file = state.get("user_data_file")
                if user_data_file:
                    with open(user_data_file, "rb") as f:
                        return 200, f.read(), "application/octet-stream"
            return 404, "Not Found", "text/plain"

        @staticmethod
        def _metadata(state):
            """The leaves of meta-data/, by path. cloud-init's EC2 datasource crawls them from
            the listings; the boot script reads a few directly."""
            instance_id = state.get("instance_id")
            metadata = {
                "/latest/meta-data/instance-id": instance_id,
                "/latest/meta-data/placement/availability-zone": state.get("availability_zone"),
                "/latest/meta-data/placement/region": state.get("region"),
                "/latest/meta-data/services/domain": state.get("domain", "amazonaws.com"),
            }
            if instance_id:
                metadata.update({
                    "/latest/meta-data/ami-id": state.get("image_id", "ami-e2e0000000000000"),
                    "/latest/meta-data/ami-launch-index": "0",
                    "/latest/meta-data/instance-type": state.get("instance_type", "t3.small"),
                    "/latest/meta-data/local-hostname": "ip-169-254-169-15.ec2.internal",
                    "/latest/meta-data/hostname": "ip-169-254-169-15.ec2.internal",
                    "/latest/meta-data/local-ipv4": "169.254.169.15",
                })
                mac = state.get("mac")
                if mac:
                    # The NIC as EC2 describes it: cloud-init's datasource writes a network
                    # configuration matched by this MAC (DHCP on the primary NIC).
                    nic = "/latest/meta-data/network/interfaces/macs/" + mac + "/"
                    metadata.update({
                        "/latest/meta-data/mac": mac,
                        nic + "device-number": "0",
                        nic + "interface-id": "eni-0e2e" + instance_id[-8:],
                        nic + "local-ipv4s": "169.254.169.15",
                        nic + "mac": mac,
                        nic + "subnet-ipv4-cidr-block": "169.254.169.0/24",
                    })
            return metadata

        @staticmethod
        def _listing(metadata, directory):
            """What IMDS lists for DIRECTORY (ending in /): its leaves, and its directories with a /."""
            names = []
            for path, value in metadata.items():
                if value is None or not path.startswith(directory):
                    continue
                rest = path[len(directory):]
                name = rest.split("/", 1)[0] + ("/" if "/" in rest else "")
                if name not in names:
                    names.append(name)
            return "\n".join(sorted(names))

        @staticmethod
        def _identity(state):
            return {
                "instanceId": state.get("instance_id"),
                "imageId": state.get("image_id", "ami-e2e0000000000000"),
                "instanceType": state.get("instance_type", "t3.small"),
                "availabilityZone": state.get("availability_zone"),
                "region": state.get("region"),
                "privateIp": "169.254.169.15",
                "accountId": "123456789012",
                "architecture": "x86_64",
            }

        @staticmethod
        def _credentials(state):
            given = state.get("credentials") or {}
            now = time.time()
            return {
                "Code": "Success",
                "LastUpdated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)),
                "Type": "AWS-HMAC",
                "AccessKeyId": given.get("AccessKeyId", ""),
                "SecretAccessKey": given.get("SecretAccessKey", ""),
                "Token": given.get("Token", ""),
                "Expiration": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now + 6 * 3600)),
            }

    return Handler


def main():
    parser = argparse.ArgumentParser(description="Fake EC2 instance metadata service (IMDSv2) for tests")
    parser.add_argument("--port", type=int, required=True, help="TCP port; 0 picks a free one")
    parser.add_argument("--state", required=True, help="JSON state file, re-read on every request")
    parser.add_argument("--bind", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    args = parser.parse_args()

    server = http.server.ThreadingHTTPServer((args.bind, args.port), make_handler(args.state, Tokens()))
    server.daemon_threads = True
    print(f"PORT={server.server_address[1]}", flush=True)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
