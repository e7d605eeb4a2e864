#!/usr/bin/env python3
"""Independent implementation of SPEC.md, "Consent records" (the exit-programme consent, version 2,
and version 1 still verifying), with PyNaCl.

Written from SPEC.md and the vector files only. Standard library + PyNaCl (nacl.bindings).

    exit_programme_consent.py check FILE   check exit-programme-consent.json: every signature (under
                                           relais/v1/consent-record or relais/v1/consent-public), the
                                           canonical bytes, the version rules, the period, the public
                                           part made from its record byte for byte, and that every
                                           refused[] object is refused and the good ones accepted

The signer is the device of identity.json (beside FILE) whose id is the file's signerDeviceId.
Normal output never shows keys: counts, and a label for each failed check.
"""

import calendar
import datetime
import json
import os

from relais_common import Refused, Tally, canonical, case_id_bytes, check_main, device_id, ed25519_sign, is_hex, is_int, pseudonym, read_signed, unhex

RECORD = "relais/v1/consent-record"
PUBLIC = "relais/v1/consent-public"
CONTEXTS = {"record": RECORD, "publicPart": PUBLIC}
VERSION_2 = {"departement", "adult"}
RECORD_MEMBERS = {"version", "consentId", "subjectPseudonym", "recordedBy", "organisationId", "method", "language",
                  "interpreter", "purposes", "recipientOrganisations", "recipientCategories", "dataCategories",
                  "legalBasis", "grantedAt", "validUntil"}
PUBLIC_MEMBERS = {"version", "consentId", "organisationId", "recordedBy", "recipientOrganisations", "recipientCategories",
                  "exitProgramme", "legalBasis", "grantedAt", "validUntil"}
METHODS = {"oral", "written", "electronic"}
DATA_CATEGORIES = {"identity", "contact", "situation", "health", "legal", "administrative", "safety"}
LEGAL_BASES = {"consent", "healthTeam"}
MAX_MONTHS = 24
# The vector's description: pseudonym key 0x42 × 32, case id CASE-2027-0044.
PSEUDONYM_KEY, CASE_ID = b"\x42" * 32, "CASE-2027-0044"


def is_departement(code):
    """01 to 95 except 20, 2A, 2B, 971 to 976: exactly these characters (ASCII digits)."""
    if code in ("2A", "2B"):
        return True
    if not isinstance(code, str) or not code or set(code) - set("0123456789"):
        return False
    if len(code) == 2:
        return 1 <= int(code) <= 95 and code != "20"
    return len(code) == 3 and 971 <= int(code) <= 976


def add_months(t, months):
    """t plus calendar months, Gregorian, UTC; a day the last month lacks becomes its last day."""
    start = datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
    years, month0 = divmod(start.month - 1 + months, 12)
    year, month = start.year + years, month0 + 1
    end = start.replace(year=year, month=month, day=min(start.day, calendar.monthrange(year, month)[1]))
    return int(end.timestamp())


def valid_period(granted, until):
    """grantedAt < validUntil ≤ grantedAt + 24 calendar months."""
    return is_int(granted) and is_int(until) and 0 <= granted < until <= add_months(granted, MAX_MONTHS)


def is_list_of(value, ok):
    return isinstance(value, list) and all(ok(item) for item in value)


def version_rules(c, exit_programme):
    """Version 2 is an exit-programme consent with a valid département and adult true; version 1
    has neither member."""
    if c["version"] == 1:
        if VERSION_2 & set(c):
            raise Refused("invalid", "a version 1 consent names no département and attests nothing about age")
    elif c["version"] == 2:
        if not exit_programme:
            raise Refused("invalid", "a version 2 consent is an exit-programme consent")
        if not is_departement(c.get("departement")):
            raise Refused("invalid", "département")
        if c.get("adult") is not True:
            raise Refused("invalid", "adult is not true")
    else:
        raise Refused("invalid", "version")


def common_rules(c, members, signer_public):
    """The members and rules that a record and its public part share."""
    if not is_int(c.get("version")) or not members <= set(c) <= members | VERSION_2:
        raise Refused("invalid", "members")
    if not all(is_hex(c[k], 32) for k in ("consentId", "organisationId", "recordedBy")):
        raise Refused("invalid", "ids")
    if not is_list_of(c["recipientOrganisations"], lambda i: is_hex(i, 32)):
        raise Refused("invalid", "recipient organisations")
    if not is_list_of(c["recipientCategories"], lambda i: isinstance(i, str) and i):
        raise Refused("invalid", "recipient categories")
    if not c["recipientOrganisations"] and not c["recipientCategories"]:
        raise Refused("invalid", "no recipient organisation or category")
    if c["legalBasis"] not in LEGAL_BASES:
        raise Refused("invalid", "legal basis")
    if not valid_period(c["grantedAt"], c["validUntil"]):
        raise Refused("invalid", "period")
    if c["recordedBy"] != device_id(signer_public).hex():
        raise Refused("invalid", "another device than its signer")


def read_record(data, signature, signer_public):
    """A consent record: signature (relais/v1/consent-record), canonical bytes, members, rules."""
    c = read_signed(data, signature, signer_public, RECORD)
    common_rules(c, RECORD_MEMBERS, signer_public)
    if not is_hex(c["subjectPseudonym"], 64) or c["method"] not in METHODS:
        raise Refused("invalid", "pseudonym or method")
    if not isinstance(c["language"], str) or not c["language"] or not isinstance(c["interpreter"], bool):
        raise Refused("invalid", "language or interpreter")
    if not is_list_of(c["purposes"], lambda p: isinstance(p, str) and p) or not c["purposes"]:
        raise Refused("invalid", "purposes")
    if not is_list_of(c["dataCategories"], lambda d: d in DATA_CATEGORIES):
        raise Refused("invalid", "data categories")
    version_rules(c, "exitProgramme" in c["purposes"])
    return c


def read_public(data, signature, signer_public):
    """A consent's public part: signature (relais/v1/consent-public), canonical bytes, members, rules."""
    c = read_signed(data, signature, signer_public, PUBLIC)
    common_rules(c, PUBLIC_MEMBERS, signer_public)
    if not isinstance(c["exitProgramme"], bool):
        raise Refused("invalid", "exitProgramme")
    version_rules(c, c["exitProgramme"])
    return c


READERS = {"record": read_record, "publicPart": read_public}


def public_part_of(record):
    """The public part a record's signer sends to the relay: no pseudonym, purposes, data categories
    or language; exitProgramme says whether the purposes include it."""
    part = {k: record[k] for k in PUBLIC_MEMBERS - {"exitProgramme"}}
    part["exitProgramme"] = "exitProgramme" in record["purposes"]
    part.update({k: record[k] for k in VERSION_2 & set(record)})
    return canonical(part)


def outcome(kind, data, signature, signer_public):
    try:
        READERS[kind](data, signature, signer_public)
        return "accepted"
    except Refused as r:
        return r.name


def signed(obj):
    return obj["bytes"].encode("utf-8"), unhex(obj["signature"], 64)


def signer(path, signer_device):
    """The identity.json device whose id is signer_device (the id derived from its key)."""
    identity = json.load(open(os.path.join(os.path.dirname(os.path.abspath(path)), "identity.json"), encoding="utf-8"))
    for index, d in enumerate(identity["devices"]):
        if d["deviceId"] == signer_device and device_id(unhex(d["ed25519Public"], 32)).hex() == signer_device:
            return index, unhex(d["ed25519Public"], 32), unhex(d["ed25519Seed"], 32)
    raise SystemExit("the signer is not a device of identity.json")


def check_own_refusals(t, v, public, seed):
    """What the vector does not hold, made here with the signer's seed (Ed25519 is deterministic):
    each reader refuses a flipped signature, the other context, non-canonical bytes, a repeated
    member and a period past 24 calendar months, and accepts exactly 24 months."""
    data, signature = signed(v["record"])
    flipped = signature[:10] + bytes([signature[10] ^ 1]) + signature[11:]
    t.expect(outcome("record", data, flipped, public) == "badSignature", "a flipped signature byte is refused")
    pdata, psignature = signed(v["publicPart"])
    t.expect(outcome("publicPart", data, signature, public) == "badSignature", "a record is not a public part")
    t.expect(outcome("record", pdata, psignature, public) == "badSignature", "a public part is not a record")
    record = json.loads(data)

    def resigned(kind, raw):
        return outcome(kind, raw, ed25519_sign(seed, CONTEXTS[kind], raw), public)

    t.expect(ed25519_sign(seed, RECORD, data) == signature and ed25519_sign(seed, PUBLIC, pdata) == psignature,
             "the signatures made again here are the vector's")
    spaced = json.dumps(record, sort_keys=True, ensure_ascii=False).encode("utf-8")
    t.expect(resigned("record", spaced) == "invalid", "non-canonical bytes are refused")
    repeated = data[:-1] + b',"version":2}'
    t.expect(resigned("record", repeated) == "invalid", "a repeated member is refused")
    for version in (3, "2", True):
        t.expect(resigned("record", canonical(dict(record, version=version))) == "invalid", f"version {version!r} is refused")
    def utc(*day):
        return int(datetime.datetime(*day, 9, 30, tzinfo=datetime.timezone.utc).timestamp())

    t.expect(add_months(utc(2027, 1, 31), 13) == utc(2028, 2, 29), "31 January 2027 + 13 months is 29 February 2028")
    # Calendar months, not a count of days: 731 days from 31 January 2027, 730 from 29 February 2028
    # (a day the last month lacks becomes its last day: 28 February 2030).
    for granted, end in ((utc(2027, 1, 31), utc(2029, 1, 31)), (utc(2028, 2, 29), utc(2030, 2, 28))):
        for until, want, what in ((end, "accepted", "exactly 24 months"), (end + 1, "invalid", "24 months and a second"),
                                  (granted, "invalid", "an empty period")):
            changed = dict(record, grantedAt=granted, validUntil=until)
            t.expect(resigned("record", canonical(changed)) == want, f"record for {what} from {granted}: {want}")
            t.expect(resigned("publicPart", public_part_of(changed)) == want, f"public part for {what} from {granted}: {want}")
    accepted = ["01", "19", "21", "95", "2A", "2B", "971", "976", "93"]
    refused = ["", "0", "00", "7", "20", "96", "99", "970", "977", "093", "2a", "2C", "1A", " 93", "93 ", "\uff19\uff13", None, 93]
    t.expect(all(is_departement(c) for c in accepted) and not any(is_departement(c) for c in refused), "département codes")


def check(path):
    v = json.load(open(path, encoding="utf-8"))
    t = Tally()
    index, public, seed = signer(path, v["signerDeviceId"])
    t.expect(index == 0, "the signer is device 0 of identity.json")
    good = {}
    for name, kind in (("record", "record"), ("publicPart", "publicPart"), ("recordV1", "record"), ("publicPartV1", "publicPart")):
        data, signature = signed(v[name])
        try:
            good[name] = READERS[kind](data, signature, public)
            t.expect(True, name)
        except Refused as r:
            t.expect(False, f"{name} refused: {r}")
    if len(good) == 4:
        record, part, record1, part1 = good["record"], good["publicPart"], good["recordV1"], good["publicPartV1"]
        t.expect(record["version"] == 2 and record["departement"] == "93" and record["adult"] is True
                 and "exitProgramme" in record["purposes"], "the record is version 2, département 93, adult")
        t.expect(record1["version"] == 1 and not VERSION_2 & set(record1) and "exitProgramme" in record1["purposes"],
                 "recordV1 is a version 1 exit-programme consent")
        t.expect(public_part_of(record) == v["publicPart"]["bytes"].encode("utf-8"), "the public part is its record's, byte for byte")
        t.expect(public_part_of(record1) == v["publicPartV1"]["bytes"].encode("utf-8"), "publicPartV1 is recordV1's, byte for byte")
        t.expect(part["version"] == 2 and part["exitProgramme"] is True and part1["version"] == 1, "the public parts' versions")
        t.expect(all(c["recordedBy"] == v["signerDeviceId"] for c in good.values()), "recordedBy is the signer")
        t.expect(record["subjectPseudonym"] == record1["subjectPseudonym"] == pseudonym(PSEUDONYM_KEY, case_id_bytes(CASE_ID)),
                 "the subject pseudonym of the case")
    t.expect(len(v["refused"]) > 0 and {r["object"] for r in v["refused"]} == {"record", "publicPart"}, "refused objects of both kinds")
    for r in v["refused"]:
        data, signature = signed(r["signed"])
        # Each is signed again after its change: the signature holds, and the rules refuse it.
        got = outcome(r["object"], data, signature, public)
        t.expect(got == "invalid", f"refused {r['object']} '{r['label']}': got {got}, want invalid")
    check_own_refusals(t, v, public, seed)
    return t.finish()


if __name__ == "__main__":
    check_main(__doc__, check)
