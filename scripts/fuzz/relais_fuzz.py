#!/usr/bin/env python3
"""Helpers for fuzzing the relay API with schemathesis (scripts/fuzz-api.sh).

    relais_fuzz.py setup URL DATA_DIR KEYFILE   enrol the fuzzing identities on a fresh relay and
                                                seed it with a few objects; write KEYFILE (0600)
    relais_fuzz.py report OUTDIR                summary of a run from the hooks' logs in OUTDIR

Request signing (SPEC.md, "Request authentication") and the protocol primitives come from the
independent PyNaCl implementation in Protocol/interop/relais_pynacl.py. Nothing here prints a key.
"""

import base64
import collections
import hashlib
import hmac
import json
import os
import sys
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "Protocol", "interop"))

import relais_pynacl as rp  # noqa: E402
from nacl import bindings as sodium  # noqa: E402


def b64(raw):
    return base64.b64encode(raw).decode("ascii")


def canonical_json(obj):
    """Relais's canonical JSON: sorted keys, no insignificant whitespace, no escaped slashes."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def signed_object(seed, ctx, obj):
    raw = canonical_json(obj)
    return {"bytes": b64(raw), "signature": b64(rp.ed25519_sign(seed, ctx, raw))}


class Identity:
    def __init__(self, seed):
        self.seed = seed
        self.public, _ = sodium.crypto_sign_seed_keypair(seed)
        self.device_id = rp.device_id(self.public).hex()

    @classmethod
    def fresh(cls):
        return cls(os.urandom(32))


def _canonical(device_id_hex, method, target, body):
    timestamp = str(int(time.time()))
    nonce = os.urandom(16).hex()
    canonical = "\n".join([method.upper(), target, timestamp, nonce, device_id_hex,
                           hashlib.sha256(body).hexdigest()]).encode("utf-8")
    return timestamp, nonce, canonical


def request_headers(identity, method, target, body):
    """The four Relais-* headers of a signed request: `target` and `body` exactly as sent."""
    timestamp, nonce, canonical = _canonical(identity.device_id, method, target, body)
    return {
        "Relais-Device": identity.device_id,
        "Relais-Timestamp": timestamp,
        "Relais-Nonce": nonce,
        "Relais-Signature": b64(rp.ed25519_sign(identity.seed, "relais/v1/request", canonical)),
    }


class Session:
    """A request session (SPEC.md, "Request sessions"), opened by a signed POST /v1/sessions."""

    def __init__(self, url, identity):
        e_secret = os.urandom(32)
        e_public = sodium.crypto_scalarmult_base(e_secret)
        answer = Relay(url).call("POST", "/v1/sessions", {"ephemeralPublicKey": e_public.hex()}, identity)
        session_id = bytes.fromhex(answer["sessionId"])
        relay_public = bytes.fromhex(answer["relayEphemeralPublicKey"])
        shared = sodium.crypto_scalarmult(e_secret, relay_public)
        info = b"relais/v1/session-key\x00" + bytes.fromhex(identity.device_id) + e_public + relay_public
        self.key = rp.hkdf_sha256(shared, session_id, info, 32)
        self.session_id = session_id.hex()
        self.device_id = identity.device_id

    def headers(self, method, target, body):
        timestamp, nonce, canonical = _canonical(self.device_id, method, target, body)
        mac = hmac.new(self.key, b"relais/v1/request-mac\x00" + canonical, hashlib.sha256).digest()
        return {"Relais-Session": self.session_id, "Relais-Timestamp": timestamp, "Relais-Nonce": nonce, "Relais-MAC": b64(mac)}


# --------------------------------------------------------------------------- setup over plain HTTP

class Relay:
    def __init__(self, url):
        self.url = url.rstrip("/")

    def call(self, method, target, body=None, identity=None, content_type="application/json", expect=(200, 201, 204)):
        raw = b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode("utf-8"))
        headers = {}
        if body is not None:
            headers["Content-Type"] = content_type
        if identity is not None:
            headers.update(request_headers(identity, method, target, raw))
        req = urllib.request.Request(self.url + target, data=raw if body is not None else None, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                status, data = resp.status, resp.read()
        except urllib.error.HTTPError as e:
            status, data = e.code, e.read()
        if status not in expect:
            raise SystemExit("setup: %s %s answered %d: %s" % (method, target, status, data[:300].decode("utf-8", "replace")))
        return json.loads(data) if data and data[:1] in (b"{", b"[") else data


def redeem(relay, invite, identity, record=None):
    invite_id = bytes.fromhex(invite.split("_")[1])
    body = {"invite": invite, "publicKey": identity.public.hex(),
            "proof": b64(rp.ed25519_sign(identity.seed, "relais/v1/enrolment", invite_id + identity.public))}
    if record is not None:
        body["record"] = record
    return relay.call("POST", "/v1/enrolments", body)


def invite_and_approve(relay, enroller, role, organisation=None, approve=True):
    """The enroller invites, a new device redeems, the enroller signs its record (unless approve=False)."""
    body = {"role": role}
    if organisation:
        body["organisationId"] = organisation
    invite = relay.call("POST", "/v1/invites", body, enroller)
    device = Identity.fresh()
    redeem(relay, invite["invite"], device)
    if approve:
        record = {"version": 1, "deviceId": device.device_id, "publicKey": device.public.hex(), "role": role,
                  "enrolledBy": enroller.device_id, "inviteId": invite["inviteId"], "issuedAt": int(time.time())}
        if organisation:
            record["organisationId"] = organisation
        relay.call("POST", "/v1/devices/%s/record" % device.device_id,
                   signed_object(enroller.seed, "relais/v1/device-record", record), enroller)
    return device


def publish_prekey(relay, identity, now):
    x_secret = os.urandom(32)
    x_public = sodium.crypto_scalarmult_base(x_secret)
    signed = rp.sign_prekey(identity.seed, x_public, now - 60, now + 7 * 86400)
    relay.call("PUT", "/v1/prekeys", {"signedPrekey": b64(signed)}, identity)
    return signed


def cmd_setup(url, data_dir, keyfile):
    relay = Relay(url)
    now = int(time.time())
    with open(os.path.join(data_dir, "operator-invite"), encoding="ascii") as f:
        operator_invite = f.read().strip()

    # Operator: redeems the relay's operator invite with its self-signed record; active at once.
    operator = Identity.fresh()
    invite_id = operator_invite.split("_")[1]
    record = {"version": 1, "deviceId": operator.device_id, "publicKey": operator.public.hex(), "role": "operator",
              "enrolledBy": operator.device_id, "inviteId": invite_id, "issuedAt": now}
    redeem(relay, operator_invite, operator, signed_object(operator.seed, "relais/v1/device-record", record))

    # The relay checks what is signed: a signature over another body must be refused.
    probe = request_headers(operator, "POST", "/v1/invites", b'{"role":"auditor"}')
    req = urllib.request.Request(relay.url + "/v1/invites", data=b'{"role":"member"}', method="POST",
                                 headers=dict(probe, **{"Content-Type": "application/json"}))
    try:
        urllib.request.urlopen(req, timeout=30)
        raise SystemExit("setup: the relay accepted a request whose body was not the one signed")
    except urllib.error.HTTPError as e:
        if e.code != 401 or json.loads(e.read()).get("error") != "bad_signature":
            raise SystemExit("setup: a request with a signature over another body got %d, not 401 bad_signature" % e.code)

    # One organisation, signed by the operator.
    org = os.urandom(16).hex()
    org_record = {"version": 1, "id": org, "name": "Fuzz organisation", "category": "socialServices",
                  "departements": ["75", "93"], "sequence": 1, "issuedAt": now}
    relay.call("POST", "/v1/organisations", signed_object(operator.seed, "relais/v1/organisation-record", org_record), operator)

    # Its admin (active, with a prekey), an active member, a pending member, and an auditor.
    admin = invite_and_approve(relay, operator, "admin", org)
    member = invite_and_approve(relay, admin, "member", org)
    pending = invite_and_approve(relay, admin, "member", org, approve=False)
    auditor = invite_and_approve(relay, operator, "auditor")
    admin_prekey = publish_prekey(relay, admin, now)
    publish_prekey(relay, member, now)

    # A consent of the organisation covering itself, and envelopes from the member to the admin,
    # so that the admin's inbox, fetch and ack have real objects behind them.
    consent = os.urandom(16).hex()
    consent_public = {"version": 1, "consentId": consent, "organisationId": org, "recordedBy": member.device_id,
                      "recipientOrganisations": [org], "recipientCategories": [], "exitProgramme": False,
                      "legalBasis": "consent", "grantedAt": now - 60, "validUntil": now + 180 * 86400}
    relay.call("POST", "/v1/consents", signed_object(member.seed, "relais/v1/consent-public", consent_public), member)
    envelopes = []
    for _ in range(4):
        recipients = [{"deviceId": bytes.fromhex(admin.device_id), "orgId": bytes.fromhex(org),
                       "identityPublic": admin.public, "signedPrekey": admin_prekey}]
        envelope = rp.seal_envelope(member.seed, recipients, rp.example_referral(bytes.fromhex(consent), now),
                                    1, bytes.fromhex(consent), now + 7 * 86400, now)
        answer = relay.call("POST", "/v1/envelopes", envelope, member, content_type="application/octet-stream")
        envelopes.append(answer["envelopeId"])

    keys = {
        "identities": {name: ident.seed.hex() for name, ident in
                       [("operator", operator), ("admin", admin), ("member", member), ("pending", pending), ("auditor", auditor)]},
        "known": {
            "organisationId": [org],
            "deviceId": [operator.device_id, admin.device_id, member.device_id, pending.device_id, auditor.device_id],
            "envelopeId": envelopes[:-1],
            "envelopeId@ack": envelopes[-1:],  # acknowledging deletes: keep the others for fetchEnvelope
            "consentId": [consent],
        },
    }
    fd = os.open(keyfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(keys, f)
    print("setup: operator, organisation, admin (+prekey), member (+prekey), pending member, auditor; "
          "1 consent, %d envelopes to the admin" % len(envelopes))


def load_keys(keyfile):
    with open(keyfile, encoding="ascii") as f:
        data = json.load(f)
    data["identities"] = {k: Identity(bytes.fromhex(v)) for k, v in data["identities"].items()}
    return data


def _jsonl(path):
    try:
        with open(path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        return []


def cmd_report(outdir):
    """Summary of a fuzz run: coverage per identity, 5xx responses, distinct failed checks.
    Writes the per-operation status table to OUTDIR/coverage.txt. Exit status 1 if anything failed."""
    calls = _jsonl(os.path.join(outdir, "calls.jsonl"))
    failures = _jsonl(os.path.join(outdir, "failures.jsonl"))
    table = collections.defaultdict(collections.Counter)
    for c in calls:
        table[(c["identity"], c["operation"])][c["status"]] += 1
    identities = list(dict.fromkeys(c["identity"] for c in calls))
    declared = sorted({op for (_, op) in table if "undeclared" not in op})

    with open(os.path.join(outdir, "coverage.txt"), "w", encoding="utf-8") as f:
        for ident in identities:
            f.write("[%s]\n" % ident)
            for op in sorted(op for (i, op) in table if i == ident):
                f.write("    %-48s %s\n" % (op, " ".join("%d:%d" % kv for kv in sorted(table[(ident, op)].items()))))

    print("== Requests per identity (operations answered past authentication, i.e. not 401)")
    for ident in identities:
        ops = [op for op in declared if (ident, op) in table]
        n = sum(sum(v.values()) for (i, _op), v in table.items() if i == ident)
        past = [op for op in ops if any(st != 401 for st in table[(ident, op)])]
        handled = [op for op in ops if any(st not in (401, 403) for st in table[(ident, op)])]
        ok = [op for op in ops if any(200 <= st < 300 for st in table[(ident, op)])]
        bad_sig = sum(1 for c in calls if c["identity"] == ident and c["status"] == 401
                      and c.get("code") in ("bad_signature", "bad_mac", "stale", "replayed", "unsigned"))
        print("  %-14s %5d requests; %2d/%d operations past 401, %2d past 401/403, %2d with a 2xx%s"
              % (ident, n, len(past), len(ops), len(handled), len(ok),
                 "; %d signed requests refused by the signature check (harness bug?)" % bad_sig if ident != "anon" and bad_sig else ""))

    server_errors = [c for c in calls if c["status"] >= 500]
    print("== 5xx responses: %d" % len(server_errors))
    for (ident, op, st), n in sorted(collections.Counter((c["identity"], c["operation"], c["status"]) for c in server_errors).items()):
        print("  %s %d x%d as %s" % (op, st, n, ident))

    groups = collections.OrderedDict()
    for r in failures:
        key = (r["code"], r["title"], r["status"], r.get("error"))
        g = groups.setdefault(key, {"n": 0, "identities": [], "operations": [], "example": r})
        g["n"] += 1
        for field, value in (("identities", r["identity"]), ("operations", r["operation"])):
            if value not in g[field]:
                g[field].append(value)
    print("== Failed checks: %d failures, %d distinct (check, status, error code)" % (len(failures), len(groups)))
    for (code, title, st, err), g in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][2], str(kv[0][3]))):
        ex, ops = g["example"], sorted(g["operations"])
        where = ", ".join(ops) if len(ops) <= 3 else "%d operations: %s, ..." % (len(ops), ", ".join(ops[:3]))
        print("  %s %s -> %d%s: x%d as %s; %s" % (code, title, st, " %s" % err if err else "", g["n"], ",".join(g["identities"]), where))
        print("      e.g. %s %s%s" % (ex["method"], ex["target"][:100], (" body=" + ex["body"][:100]) if ex["body"] else ""))
    return 1 if (failures or server_errors) else 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "setup":
        cmd_setup(*sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[1] == "report":
        sys.exit(cmd_report(sys.argv[2]))
    else:
        sys.exit(__doc__)
