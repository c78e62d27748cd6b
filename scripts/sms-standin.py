#!/usr/bin/env python3
"""A local stand-in for a Twilio-compatible SMS provider, for development and tests.

Speaks the part of the Twilio Messages API that ekyc uses:

    POST /2010-04-01/Accounts/{AccountSid}/Messages.json   (form-encoded, HTTP basic auth)
    GET  /2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json

and records every request in memory and in a JSONL file, so tests can assert on what the
application sent. Test control API (no auth, loopback only):

    GET    /_health                 200 {"status": "ok"}
    GET    /_messages[?to=+1555…]   accepted messages, oldest first
    GET    /_requests               every request to the provider API, including refused,
                                    failed and injected-failure ones
    DELETE /_messages               clear messages, requests, idempotency refs and queued failures
    POST   /_fail                   {"responses": [{"status": 500}, {"status": 429, "retry_after": 2}]}
                                    queue responses for the next authenticated Messages.json POSTs
    GET    /_fail                   the queued failures
    DELETE /_fail                   drop the queued failures

Idempotency: a request carrying `I-Twilio-Idempotency-Token` or `X-Ekyc-Message-Ref` whose
ref was already accepted gets the first response again (with `X-Sms-Standin-Replayed: true`)
and is not recorded a second time as accepted. A replay does not consume a queued failure.

Python 3.11 standard library only. Configuration: --host/--port/--data-dir or the environment
variables SMS_HOST (127.0.0.1), SMS_PORT (1090), SMS_ACCOUNT_SID (ACdev), SMS_AUTH_TOKEN
(dev-token), SMS_DATA_DIR (.local/sms under the repository).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import collections
import hmac
import json
import os
import re
import secrets
import sys
import threading
from datetime import datetime, timezone
from email.utils import format_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

API_VERSION = "2010-04-01"
MESSAGES_RE = re.compile(r"^/2010-04-01/Accounts/([^/]+)/Messages\.json$")
MESSAGE_RE = re.compile(r"^/2010-04-01/Accounts/([^/]+)/Messages/(SM[0-9a-f]{32})\.json$")
E164_RE = re.compile(r"^\+[1-9][0-9]{1,14}$")
IDEMPOTENCY_HEADERS = ("I-Twilio-Idempotency-Token", "X-Ekyc-Message-Ref")
MAX_BODY = 1 << 20
# Twilio error codes used for the default body of injected failures.
DEFAULT_ERROR_CODES = {400: 21000, 401: 20003, 403: 20403, 404: 20404, 429: 20429, 500: 20500, 503: 20503}


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def status_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def phone_key(number: str) -> str:
    """Compare numbers loosely: `?to=+1555…` unencoded arrives as ` 1555…`."""
    return number.strip().lstrip("+")


def twilio_error(status: int, code: int, message: str) -> dict:
    return {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


class State:
    """Everything the stand-in remembers; one lock guards it all."""

    def __init__(self, account_sid: str, auth_token: str, journal: Path) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.journal = journal
        self.lock = threading.Lock()
        self.messages: list[dict] = []
        self.requests: list[dict] = []
        self.failures: collections.deque[dict] = collections.deque()
        self.by_ref: dict[str, tuple[int, dict]] = {}
        self.by_sid: dict[str, dict] = {}
        self.seq = 0

    def record(self, entry: dict) -> dict:
        """Append a request record (caller holds the lock) to memory and the journal."""
        self.seq += 1
        entry = {"seq": self.seq, **entry}
        self.requests.append(entry)
        try:
            with self.journal.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        except OSError as err:  # the journal is a convenience; never fail a request for it
            print(f"sms-standin: cannot write {self.journal}: {err}", file=sys.stderr)
        return entry

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()
            self.requests.clear()
            self.failures.clear()
            self.by_ref.clear()
            self.by_sid.clear()


class Handler(BaseHTTPRequestHandler):
    server_version = "ekyc-sms-standin/1"
    protocol_version = "HTTP/1.1"
    state: State  # set on the subclass built in main()

    # ---- plumbing -------------------------------------------------------------------------

    def log_message(self, fmt: str, *args) -> None:  # noqa: D401 - stdlib signature
        # The request line only: never headers (they carry the basic-auth token).
        if self.path.startswith("/_health"):
            return
        sys.stderr.write(f"{self.log_date_time_string()} {self.address_string()} {fmt % args}\n")

    def send_json(self, status: int, payload, headers: dict[str, str] | None = None) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def read_body(self) -> bytes | None:
        length = self.headers.get("Content-Length")
        if length is None:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                return self.read_chunked()
            return b""
        try:
            n = int(length)
        except ValueError:
            return None
        if n < 0 or n > MAX_BODY:
            return None
        return self.rfile.read(n)

    def read_chunked(self) -> bytes | None:
        data = bytearray()
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";")[0].strip(), 16)
            except ValueError:
                return None
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass
                return bytes(data)
            if len(data) + size > MAX_BODY:
                return None
            data += self.rfile.read(size)
            self.rfile.readline(1024)

    def basic_auth(self) -> tuple[str | None, bool]:
        """Return (username, credentials valid)."""
        header = self.headers.get("Authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "basic" or not value:
            return None, False
        try:
            user, sep, password = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None, False
        if not sep:
            return user, False
        ok_user = hmac.compare_digest(user.encode(), self.state.account_sid.encode())
        ok_pass = hmac.compare_digest(password.encode(), self.state.auth_token.encode())
        return user, ok_user and ok_pass

    # ---- routing --------------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        if url.path == "/_health":
            self.send_json(200, {"status": "ok"})
        elif url.path == "/_messages":
            to = query.get("to", [None])[0]
            with self.state.lock:
                items = [m for m in self.state.messages if to is None or phone_key(m["to"]) == phone_key(to)]
            self.send_json(200, items)
        elif url.path == "/_requests":
            with self.state.lock:
                items = list(self.state.requests)
            self.send_json(200, items)
        elif url.path == "/_fail":
            with self.state.lock:
                items = list(self.state.failures)
            self.send_json(200, {"responses": items})
        elif m := MESSAGE_RE.match(url.path):
            self.fetch_message(m.group(1), m.group(2))
        else:
            self.send_json(404, twilio_error(404, 20404, f"The requested resource {url.path} was not found"))

    do_HEAD = do_GET

    def do_DELETE(self) -> None:  # noqa: N802
        path = urlsplit(self.path).path
        if path in ("/_messages", "/_requests"):
            self.state.clear()
            self.send_json(200, {"cleared": True})
        elif path == "/_fail":
            with self.state.lock:
                self.state.failures.clear()
            self.send_json(200, {"cleared": True})
        else:
            self.send_json(404, twilio_error(404, 20404, f"The requested resource {path} was not found"))

    def do_POST(self) -> None:  # noqa: N802
        path = urlsplit(self.path).path
        raw = self.read_body()
        if raw is None:
            self.send_json(413, twilio_error(413, 21000, "Request body missing, malformed or too large"))
            self.close_connection = True
            return
        if path == "/_fail":
            self.queue_failures(raw)
        elif m := MESSAGES_RE.match(path):
            self.create_message(m.group(1), raw)
        else:
            self.send_json(404, twilio_error(404, 20404, f"The requested resource {path} was not found"))

    # ---- control API ----------------------------------------------------------------------

    def queue_failures(self, raw: bytes) -> None:
        try:
            doc = json.loads(raw or b"{}")
            responses = doc["responses"]
            if not isinstance(responses, list):
                raise TypeError("responses must be a list")
            parsed = []
            for item in responses:
                status = int(item["status"])
                if not 400 <= status <= 599:
                    raise ValueError("status must be 400..599")
                entry = {"status": status}
                if item.get("retry_after") is not None:
                    entry["retry_after"] = int(item["retry_after"])
                if item.get("code") is not None:
                    entry["code"] = int(item["code"])
                if item.get("message") is not None:
                    entry["message"] = str(item["message"])
                parsed.append(entry)
        except (ValueError, TypeError, KeyError) as err:
            self.send_json(400, {"error": f"expected {{\"responses\": [{{\"status\": 500}}, ...]}}: {err}"})
            return
        with self.state.lock:
            self.state.failures.extend(parsed)
            queued = len(self.state.failures)
        self.send_json(200, {"queued": queued})

    # ---- provider API ---------------------------------------------------------------------

    def fetch_message(self, account_sid: str, sid: str) -> None:
        _, ok = self.basic_auth()
        if not ok or account_sid != self.state.account_sid:
            self.send_json(401, twilio_error(401, 20003, "Authenticate"), {"WWW-Authenticate": 'Basic realm="Twilio API"'})
            return
        with self.state.lock:
            msg = self.state.by_sid.get(sid)
        if msg is None:
            self.send_json(404, twilio_error(404, 20404, f"The requested resource {self.path} was not found"))
        else:
            self.send_json(200, msg)

    def create_message(self, account_sid: str, raw: bytes) -> None:
        try:
            form = parse_qs(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        except UnicodeDecodeError:
            form = {}
        params = {k: v[0] if len(v) == 1 else v for k, v in form.items()}
        ref = next((self.headers[h] for h in IDEMPOTENCY_HEADERS if self.headers.get(h)), None)
        user, ok = self.basic_auth()
        entry = {
            "received_at": now_iso(),
            "method": "POST",
            "path": urlsplit(self.path).path,
            "account_sid": account_sid,
            "auth_user": user,
            "idempotency_ref": ref,
            "content_type": self.headers.get("Content-Type"),
            "user_agent": self.headers.get("User-Agent"),
            "params": params,
        }
        state = self.state

        if not ok or account_sid != state.account_sid:
            with state.lock:
                state.record({**entry, "status": 401, "outcome": "unauthorized"})
            self.send_json(401, twilio_error(401, 20003, "Authenticate"), {"WWW-Authenticate": 'Basic realm="Twilio API"'})
            return

        with state.lock:
            if ref is not None and ref in state.by_ref:
                status, payload = state.by_ref[ref]
                state.record({**entry, "status": status, "outcome": "replayed", "sid": payload.get("sid")})
                replay = (status, payload)
            else:
                replay = None
            injected = state.failures.popleft() if replay is None and state.failures else None
            if injected is not None:
                state.record({**entry, "status": injected["status"], "outcome": "injected_failure"})
        if replay is not None:
            self.send_json(replay[0], replay[1], {"X-Sms-Standin-Replayed": "true"})
            return
        if injected is not None:
            status = injected["status"]
            code = injected.get("code", DEFAULT_ERROR_CODES.get(status, 20500 if status >= 500 else 21000))
            message = injected.get("message") or status_phrase(status)
            headers = {"Retry-After": str(injected["retry_after"])} if "retry_after" in injected else {}
            self.send_json(status, twilio_error(status, code, message), headers)
            return

        error = self.validate(params)
        if error is not None:
            with state.lock:
                state.record({**entry, "status": 400, "outcome": "invalid", "error_code": error["code"]})
            self.send_json(400, error)
            return

        sid = "SM" + secrets.token_hex(16)
        stamp = format_datetime(datetime.now(timezone.utc), usegmt=True)
        body = params.get("Body", "")
        uri = f"/{API_VERSION}/Accounts/{account_sid}/Messages/{sid}.json"
        response = {
            "account_sid": account_sid,
            "api_version": API_VERSION,
            "body": body,
            "date_created": stamp,
            "date_sent": None,
            "date_updated": stamp,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": params.get("From"),
            "messaging_service_sid": params.get("MessagingServiceSid"),
            "num_media": "0",
            "num_segments": str(1 if len(body) <= 160 else -(-len(body) // 153)),
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": "queued",
            "subresource_uris": {"media": uri.replace(".json", "/Media.json")},
            "to": params.get("To"),
            "uri": uri,
        }
        with state.lock:
            if ref is not None and ref in state.by_ref:  # a concurrent twin won the race
                status, payload = state.by_ref[ref]
                state.record({**entry, "status": status, "outcome": "replayed", "sid": payload.get("sid")})
                replay = (status, payload)
            else:
                state.record({**entry, "status": 201, "outcome": "accepted", "sid": sid})
                state.messages.append(
                    {
                        "sid": sid,
                        "to": response["to"],
                        "from": response["from"],
                        "body": body,
                        "status": "queued",
                        "account_sid": account_sid,
                        "idempotency_ref": ref,
                        "received_at": entry["received_at"],
                        "params": params,
                    }
                )
                state.by_sid[sid] = response
                if ref is not None:
                    state.by_ref[ref] = (201, response)
        if replay is not None:
            self.send_json(replay[0], replay[1], {"X-Sms-Standin-Replayed": "true"})
        else:
            self.send_json(201, response)

    @staticmethod
    def validate(params: dict) -> dict | None:
        to = params.get("To")
        if not to:
            return twilio_error(400, 21604, "A 'To' phone number is required.")
        if not isinstance(to, str) or not E164_RE.match(to):
            return twilio_error(400, 21211, f"The 'To' number {to} is not a valid phone number.")
        if not params.get("From") and not params.get("MessagingServiceSid"):
            return twilio_error(400, 21603, "A 'From' phone number is required.")
        if not params.get("Body") and not params.get("MediaUrl") and not params.get("ContentSid"):
            return twilio_error(400, 21602, "Message body is required.")
        body = params.get("Body", "")
        if isinstance(body, list) or len(body) > 1600:
            return twilio_error(400, 21617, "The concatenated message body exceeds the 1600 character limit.")
        return None


def main() -> int:
    repo = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description="Twilio-compatible SMS stand-in for local runs and tests")
    parser.add_argument("--host", default=os.environ.get("SMS_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("SMS_PORT", "1090")))
    parser.add_argument("--data-dir", default=os.environ.get("SMS_DATA_DIR", str(repo / ".local" / "sms")))
    args = parser.parse_args()

    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    state = State(
        account_sid=os.environ.get("SMS_ACCOUNT_SID", "ACdev"),
        auth_token=os.environ.get("SMS_AUTH_TOKEN", "dev-token"),
        journal=data_dir / "requests.jsonl",
    )
    handler = type("BoundHandler", (Handler,), {"state": state})
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer.allow_reuse_address = True
    server = ThreadingHTTPServer((args.host, args.port), handler)
    print(
        f"sms-standin listening on http://{args.host}:{args.port} "
        f"(account {state.account_sid}, journal {state.journal})",
        file=sys.stderr,
        flush=True,
    )
    try:
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
