"""Schemathesis hooks for the relay (loaded with SCHEMATHESIS_HOOKS=relais_hooks, see scripts/fuzz-api.sh).

Environment:
    RELAIS_FUZZ_KEYS      the key file written by `relais_fuzz.py setup` (0600; never printed)
    RELAIS_FUZZ_IDENTITY  anon (no signature) or a name in the key file: operator, admin, auditor, ...
    RELAIS_FUZZ_AUTH      signature (default): Ed25519 request signatures; session: open a request
                          session with a signed request first, then a session MAC on every request
    RELAIS_FUZZ_URL       the relay, for opening the session
    RELAIS_FUZZ_LOG       JSON lines, one per response: identity, operation, status, error code
    RELAIS_FUZZ_FAILURES  JSON lines, one per failed check: operation, check, status, request shape

Signing happens in a `requests` auth callable, i.e. on the PreparedRequest after schemathesis has
serialised the case: the method, the target and the body bytes signed are the ones sent.
"""

import hashlib
import json
import os

import requests
import schemathesis
from urllib3.util.url import _encode_target

import relais_fuzz

IDENTITY = os.environ.get("RELAIS_FUZZ_IDENTITY", "anon")
_KEYS = relais_fuzz.load_keys(os.environ["RELAIS_FUZZ_KEYS"]) if os.environ.get("RELAIS_FUZZ_KEYS") else None
_LOG = os.environ.get("RELAIS_FUZZ_LOG")
_FAILURES = os.environ.get("RELAIS_FUZZ_FAILURES")
_SIGNER = None if IDENTITY == "anon" else _KEYS["identities"][IDENTITY]
if _SIGNER is not None and os.environ.get("RELAIS_FUZZ_AUTH") == "session":
    _SIGNER = relais_fuzz.Session(os.environ["RELAIS_FUZZ_URL"], _SIGNER)
    IDENTITY += "+session"


class RelaisSignature(requests.auth.AuthBase):
    """Adds the Relais-* headers (signature or session MAC) over the exact request as sent."""

    def __init__(self, signer):
        self.signer = signer

    def __call__(self, r):
        body = r.body
        if body is None:
            body = b""
        elif isinstance(body, str):
            body = body.encode("utf-8")
        elif not isinstance(body, (bytes, bytearray)):
            body = b"".join(part if isinstance(part, bytes) else part.encode("utf-8") for part in body)
        body = bytes(body)
        if r.body is not None:
            r.body = body  # bytes from here on: no re-encoding, no chunking between signing and sending
            r.prepare_content_length(body)
        # urllib3 percent-encodes the request target once more before sending (idempotent on a
        # target already encoded): sign that form, and send it as is.
        target = _encode_target(r.path_url)
        for name in list(r.headers):
            if name.lower().startswith("relais-"):
                del r.headers[name]
        if isinstance(self.signer, relais_fuzz.Session):
            r.headers.update(self.signer.headers(r.method, target, body))
        else:
            r.headers.update(relais_fuzz.request_headers(self.signer, r.method, target, body))
        return r


@schemathesis.hook
def before_call(context, case, kwargs):
    if _SIGNER is not None:
        kwargs["auth"] = RelaisSignature(_SIGNER)


@schemathesis.hook
def map_path_parameters(context, path_parameters):
    """Half of the string values become ids of objects that exist, so that 200s are checked too.
    Only strings are replaced: with `type: string` parameters those are never negative cases."""
    if not _KEYS or not path_parameters:
        return path_parameters
    out = dict(path_parameters)
    ack = context.operation is not None and context.operation.path.endswith("/ack")
    for name, value in path_parameters.items():
        known = _KEYS["known"].get(name + "@ack" if ack else name, _KEYS["known"].get(name))
        if known and isinstance(value, str):
            h = hashlib.sha256(value.encode("utf-8", "surrogatepass")).digest()
            if h[0] & 1:
                out[name] = known[h[1] % len(known)]
    return out


@schemathesis.hook
def after_call(context, case, response):
    if not _LOG:
        return
    code = _error_code(response)
    sent = (response.request.method or "").upper()
    label = case.operation.label if sent == case.operation.method.upper() else "%s (undeclared method)" % sent
    record = {"identity": IDENTITY, "operation": label, "status": response.status_code, "code": code}
    with open(_LOG, "a", encoding="utf-8") as f:
        f.write(json.dumps(record) + "\n")


def _error_code(response):
    try:
        if (response.headers.get("content-type") or [""])[0].startswith("application/json"):
            return json.loads(response.content).get("error")
    except Exception:
        pass
    return None


def _shape(body, limit=160):
    """A short, single-line view of a request body (bodies here are fuzzer data, never keys)."""
    if body is None:
        return ""
    if isinstance(body, str):
        body = body.encode("utf-8", "replace")
    text = bytes(body[:limit]).decode("utf-8", "backslashreplace").replace("\n", "\\n")
    return text + ("... (%d bytes)" % len(body) if len(body) > limit else "")


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """Keeps every failure; records it with the request that caused it (for the summary)."""
    if _FAILURES:
        request = response.request
        record = {
            "identity": IDENTITY,
            "operation": case.operation.label,
            "code": failure.code,
            "title": failure.title,
            "message": (failure.message or "").strip().splitlines()[0][:200] if failure.message else "",
            "status": response.status_code,
            "error": _error_code(response),
            "method": request.method,
            "target": request.path_url,
            "body": _shape(request.body),
        }
        with open(_FAILURES, "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
    return True
