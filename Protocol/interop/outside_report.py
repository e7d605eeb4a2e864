#!/usr/bin/env python3
"""Independent implementation of SPEC.md, "Report made outside Relais", with PyNaCl.

Written from SPEC.md and the vector file only. Standard library + PyNaCl (nacl.bindings).

    outside_report.py check FILE   check outside-report.json: the pseudonym, the signed record and its
                                   rules, the audit entry's exact bytes, and every refused record

Normal output never shows keys.
"""

import base64
import json

from relais_common import Refused, Tally, canonical, case_id_bytes, check_main, device_id, is_hex, is_int, pseudonym, read_signed, unhex

CONTEXT = "relais/v1/outside-report"
MEMBERS = ["organisationId", "recordedAt", "recordedBy", "reportId", "reportedAt", "reportedTo", "subjectPseudonym", "version"]
RECIPIENTS = {"crip", "police", "justice", "119"}
DAY = 86400
MAX_AGE = 30 * DAY
SKEW = 120


def verify(data, signature, public_key):
    """OutsideReportRecord.verify: signature, canonical form, the record's own rules, its signer."""
    record = read_signed(data, signature, public_key, CONTEXT)
    if sorted(record) != MEMBERS:
        raise Refused("invalid", "members")
    if not is_int(record["version"]) or record["version"] != 1 or not is_hex(record["reportId"], 32) or not is_hex(record["organisationId"], 32):
        raise Refused("invalid", "version or ids")
    if not is_hex(record["subjectPseudonym"], 64) or record["reportedTo"] not in RECIPIENTS:
        raise Refused("invalid", "pseudonym or recipient")
    reported, recorded = record["reportedAt"], record["recordedAt"]
    if not (is_int(reported) and is_int(recorded) and 0 <= reported <= recorded <= reported + MAX_AGE):
        raise Refused("invalid", "dates")
    if record["recordedBy"] != device_id(public_key).hex():
        raise Refused("invalid", "another device than its signer")
    return record


def check_at(record, now):
    """OutsideReportRecord.check at the relay's time: not recorded in the future, not older than 30 days."""
    if record["recordedAt"] > now + SKEW or now > record["reportedAt"] + MAX_AGE + SKEW:
        raise Refused("check", "dates at the relay's time")


def check(path):
    v = json.load(open(path, encoding="utf-8"))
    t = Tally()
    expect = t.expect
    public_key = unhex(v["signerPublicKey"])
    expect(v["context"] == CONTEXT, "context")
    expect(device_id(public_key).hex() == v["signerDeviceId"], "signer device id")
    expect(pseudonym(unhex(v["organisationKey"]), case_id_bytes(v["caseId"])) == v["subjectPseudonym"], "pseudonym of the case")
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
    return t.finish()


if __name__ == "__main__":
    check_main(__doc__, check)
