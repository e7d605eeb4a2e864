#!/usr/bin/env python3
"""Independent implementation of SPEC.md, "Report made outside Relais", with PyNaCl.

Written from SPEC.md and the vector file only. Standard library + PyNaCl (nacl.bindings).

    outside_report.py check FILE   check outside-report.json: the pseudonym, the signed record and its
                                   rules, the audit entry's exact bytes, and every refused record

Normal output never shows keys.
"""

import base64
import hashlib
import hmac
import json
import sys
import unicodedata

from nacl import bindings as sodium
from nacl.exceptions import BadSignatureError

CONTEXT = "relais/v1/outside-report"
MEMBERS = ["organisationId", "recordedAt", "recordedBy", "reportId", "reportedAt", "reportedTo", "subjectPseudonym", "version"]
RECIPIENTS = {"crip", "police", "justice", "119"}
DAY = 86400
MAX_AGE = 30 * DAY
SKEW = 120


class Refused(Exception):
    def __init__(self, name, why):
        super().__init__(f"{name}: {why}")
        self.name = name


def unhex(text):
    if len(text) % 2 or set(text) - set("0123456789abcdef"):
        raise ValueError("not lowercase hex")
    return bytes.fromhex(text)


def is_hex(text, digits):
    return isinstance(text, str) and len(text) == digits and not set(text) - set("0123456789abcdef")


def ctx(name, message):
    return name.encode("ascii") + b"\x00" + message


def pseudonym(key, case_id):
    case = unicodedata.normalize("NFC", case_id.strip())
    return hmac.new(key, ctx("relais/v1/subject", case.encode("utf-8")), hashlib.sha256).hexdigest()


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def device_id(public_key):
    return hashlib.sha256(ctx("relais/v1/device-id", public_key)).digest()[:16].hex()


def verify(data, signature, public_key):
    """OutsideReportRecord.verify: signature, canonical form, the record's own rules, its signer."""
    try:
        sodium.crypto_sign_open(signature + ctx(CONTEXT, data), public_key)
    except BadSignatureError:
        raise Refused("badSignature", "the signature does not verify")
    try:
        record = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Refused("invalid", "not JSON")
    if not isinstance(record, dict) or sorted(record) != MEMBERS:
        raise Refused("invalid", "members")
    if canonical(record) != data:
        raise Refused("invalid", "not canonical")
    if record["version"] != 1 or not is_hex(record["reportId"], 32) or not is_hex(record["organisationId"], 32):
        raise Refused("invalid", "version or ids")
    if not is_hex(record["subjectPseudonym"], 64) or record["reportedTo"] not in RECIPIENTS:
        raise Refused("invalid", "pseudonym or recipient")
    reported, recorded = record["reportedAt"], record["recordedAt"]
    if not (isinstance(reported, int) and isinstance(recorded, int) and 0 <= reported <= recorded <= reported + MAX_AGE):
        raise Refused("invalid", "dates")
    if record["recordedBy"] != device_id(public_key):
        raise Refused("invalid", "another device than its signer")
    return record


def check_at(record, now):
    """OutsideReportRecord.check at the relay's time: not recorded in the future, not older than 30 days."""
    if record["recordedAt"] > now + SKEW or now > record["reportedAt"] + MAX_AGE + SKEW:
        raise Refused("check", "dates at the relay's time")


def check(path):
    v = json.load(open(path, encoding="utf-8"))
    passed, failed = 0, 0

    def expect(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print("FAIL", what)

    public_key = unhex(v["signerPublicKey"])
    expect(v["context"] == CONTEXT, "context")
    expect(device_id(public_key) == v["signerDeviceId"], "signer device id")
    expect(pseudonym(unhex(v["organisationKey"]), v["caseId"]) == v["subjectPseudonym"], "pseudonym of the case")
    data, signature = v["record"]["bytes"].encode("utf-8"), unhex(v["record"]["signature"])
    record = verify(data, signature, public_key)
    check_at(record, v["now"])
    expect(record["subjectPseudonym"] == v["subjectPseudonym"], "the record names the case's pseudonym")
    expect(v["caseId"] not in v["record"]["bytes"] and v["caseId"] not in v["auditEntry"], "the case label is in no signed or logged byte")
    expect(record["reportedTo"] == "crip" and record["recordedAt"] == v["now"] and record["reportedAt"] == v["now"] - 2 * DAY,
           "the record's recipient and dates")
    entry = {"actor": record["recordedBy"], "kind": "outsideReportRecorded", "organisation": record["organisationId"],
             "record": base64.b64encode(data).decode("ascii"), "signature": base64.b64encode(signature).decode("ascii"),
             "time": v["now"], "version": 1}
    expect(canonical(entry) == v["auditEntry"].encode("utf-8"), "audit entry bytes")
    for r in v["refused"]:
        try:
            got = verify(r["record"]["bytes"].encode("utf-8"), unhex(r["record"]["signature"]), public_key)
            check_at(got, v["now"])
            name = "accepted"
        except Refused as e:
            name = e.name
        expect(name == r["expect"], f"refused record '{r['label']}': got {name}, want {r['expect']}")
    print(f"{passed} passed, {failed} failed")
    return failed == 0


def main():
    if len(sys.argv) != 3 or sys.argv[1] != "check":
        print(__doc__)
        sys.exit(64)
    sys.exit(0 if check(sys.argv[2]) else 1)


if __name__ == "__main__":
    main()
