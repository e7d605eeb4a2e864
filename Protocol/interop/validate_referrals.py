#!/usr/bin/env python3
"""Validates every referral of the protocol vectors against Protocol/referral.schema.json with a
real JSON Schema 2020-12 validator (the `jsonschema` package), as a third party would.

    validate_referrals.py [VECTORS_DIR [SCHEMA]]

Also checks that the validator refuses what the schema forbids (a mutated copy of each referral
with an unknown member, a need outside the enum, a consent kind outside the enum; for a v1
referral a v2 field or need; for a v2 referral the v1 case pseudonym, the v1-only minor status
`unknown`, a contradicting age band, a reply without its outcome, an outcome without the field
its status requires, an exit-programme request of a minor or past 24 months, a consent record on a reply or under a
declaration, ...: MUTATIONS below), so that a schema that accepted everything would fail here.
Requires at least one v2 referral of each kind the v2 vectors cover, and one carrying its consent
record. Prints one line per referral and a summary; exits 1
on any failure.
"""
import copy
import glob
import json
import os
import sys

from jsonschema import Draft202012Validator

HERE = os.path.dirname(os.path.abspath(__file__))


def _set(path, value):
    """A mutation setting referral[path...] = value (creating objects on the way)."""
    def mutate(r):
        node = r
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
    return mutate


def _delete(*path):
    def mutate(r):
        node = r
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
    return mutate


def _then(*mutations):
    def mutate(r):
        for m in mutations:
            m(r)
    return mutate


# A well-formed carried consent record (its content does not matter to the schema).
CONSENT_RECORD = {"bytes": "e30=", "signature": "A" * 86 + "=="}

# (description, applies to the referral?, mutation): each mutated copy must be invalid.
MUTATIONS = [
    ("an unknown member", lambda r: True, _set(["unexpected"], True)),
    ("a need outside the enum", lambda r: True, lambda r: r["needs"].append("teleportation")),
    ("a consent kind outside the enum", lambda r: True, _set(["consent", "kind"], "implied")),
    ("schemaVersion 3", lambda r: True, _set(["schemaVersion"], 3)),
    # v1 stays v1: no v2 field, need or value.
    ("a v2 situation in a v1 referral", lambda r: r["schemaVersion"] == 1, _set(["situation"], {"debt": True})),
    ("a v2 need in a v1 referral", lambda r: r["schemaVersion"] == 1, lambda r: r["needs"].append("addictions")),
    ("a subjectPseudonym in a v1 referral", lambda r: r["schemaVersion"] == 1, _set(["person", "subjectPseudonym"], "0" * 64)),
    # v2 person.
    ("a v1 casePseudonym in a v2 referral", lambda r: r["schemaVersion"] == 2,
     _then(_delete("person", "subjectPseudonym"), _set(["person", "casePseudonym"], "CASE-1"))),
    ("a subjectPseudonym that is not 64 lowercase hex", lambda r: r["schemaVersion"] == 2,
     _set(["person", "subjectPseudonym"], "CASE-2027-0045")),
    ("minorStatus unknown in v2", lambda r: r["schemaVersion"] == 2, _set(["person", "minorStatus"], "unknown")),
    ("an adult aged 15 to 17", lambda r: r["schemaVersion"] == 2 and r["person"]["minorStatus"] == "adult",
     _set(["person", "ageBand"], "from15to17")),
    ("a minor aged 25 to 34", lambda r: r["schemaVersion"] == 2 and r["kind"] == "childProtectionReport",
     _then(_set(["person", "minorStatus"], "minor"), _set(["person", "ageBand"], "from25to34"))),
    # v2 situation.
    ("an exploitation type outside the enum", lambda r: r["schemaVersion"] == 2,
     _set(["situation", "exploitationTypes"], ["gossip"])),
    ("a département code of one digit", lambda r: r["schemaVersion"] == 2, _set(["situation", "currentDepartement"], "7")),
    ("an interview outside the enum", lambda r: r["schemaVersion"] == 2, _set(["situation", "interview"], "byPhone")),
    ("a minor object for an adult", lambda r: r["schemaVersion"] == 2 and r["person"]["minorStatus"] == "adult",
     _set(["minor"], {"unaccompaniedForeign": False, "aged16OrMoreWithComplaint": False})),
    # v2 kinds.
    ("a reply without its outcome", lambda r: r["schemaVersion"] == 2 and r["kind"] == "reply", _delete("outcome")),
    ("an outcome status outside the enum", lambda r: r["schemaVersion"] == 2 and r["kind"] == "reply",
     _set(["outcome", "status"], "ignored")),
    ("an appointment offered without its time", lambda r: r["schemaVersion"] == 2 and r["kind"] == "reply",
     _then(_set(["outcome", "status"], "appointmentOffered"), lambda r: r["outcome"].pop("appointmentAt", None))),
    ("a refusal without its reason", lambda r: r["schemaVersion"] == 2 and r["kind"] == "reply",
     _then(_set(["outcome", "status"], "refused"), lambda r: r["outcome"].pop("appointmentAt", None),
           lambda r: r["outcome"].pop("reason", None))),
    ("a commission opinion outside its status", lambda r: r["schemaVersion"] == 2 and r["kind"] == "reply",
     _set(["outcome", "opinion"], "favourable")),
    ("an outcome on a non-reply", lambda r: r["schemaVersion"] == 2 and r["kind"] != "reply",
     _set(["outcome"], {"status": "accepted"})),
    ("an exit-programme request without exitProgramme", lambda r: r["schemaVersion"] == 2 and r["kind"] == "exitProgrammeRequest",
     _delete("exitProgramme")),
    ("an exit-programme request for an alleged minor",
     lambda r: r["schemaVersion"] == 2 and r["kind"] == "exitProgrammeRequest",
     _set(["person", "minorStatus"], "allegedMinor")),
    ("an exit-programme renewal past 24 months", lambda r: r["schemaVersion"] == 2 and r["kind"] == "exitProgrammeRequest",
     _set(["exitProgramme", "monthsAlreadyUsed"], 19)),
    ("a first exit-programme request with months used", lambda r: r["schemaVersion"] == 2 and r["kind"] == "exitProgrammeRequest",
     _then(_set(["exitProgramme", "request"], "first"), _set(["exitProgramme", "monthsAlreadyUsed"], 6))),
    ("an exit-programme request kind outside the enum", lambda r: r["schemaVersion"] == 2 and r["kind"] == "exitProgrammeRequest",
     _set(["exitProgramme", "request"], "third")),
    ("exitProgramme on another kind", lambda r: r["schemaVersion"] == 2 and r["kind"] != "exitProgrammeRequest",
     _set(["exitProgramme"], {"request": "first", "monthsAlreadyUsed": 0, "departement": "75"})),
    # The carried consent record (SPEC "Consent records": where the consent travels).
    ("a consent record in a v1 referral", lambda r: r["schemaVersion"] == 1, _set(["consentRecord"], CONSENT_RECORD)),
    ("a consent record on a reply", lambda r: r["schemaVersion"] == 2 and r["kind"] == "reply", _set(["consentRecord"], CONSENT_RECORD)),
    ("a consent record under a child-protection declaration",
     lambda r: r["schemaVersion"] == 2 and r["consent"]["kind"] == "childProtectionDeclaration", _set(["consentRecord"], CONSENT_RECORD)),
    ("a consent record without its signature", lambda r: "consentRecord" in r, _delete("consentRecord", "signature")),
    ("a consent record with a short signature", lambda r: "consentRecord" in r, _set(["consentRecord", "signature"], "AAAA")),
    ("a consent record with an unknown member", lambda r: "consentRecord" in r, _set(["consentRecord", "extra"], 1)),
    ("a consent record whose bytes are not base64", lambda r: "consentRecord" in r, _set(["consentRecord", "bytes"], "{not base64}")),
    ("a safe-accommodation request without distantShelter", lambda r: r["schemaVersion"] == 2 and r["kind"] == "orientation",
     _then(_set(["kind"], "safeAccommodationRequest"), lambda r: r["needs"].remove("distantShelter") if "distantShelter" in r["needs"] else None)),
]

# The kinds of v2 referral the vectors must cover.
V2_KINDS = {"orientation", "exitProgrammeRequest", "reply", "childProtectionReport"}


def main(argv):
    vectors = argv[1] if len(argv) > 1 else os.path.join(HERE, "..", "vectors")
    schema_path = argv[2] if len(argv) > 2 else os.path.join(HERE, "..", "referral.schema.json")
    schema = json.load(open(schema_path, encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    passed = failed = 0
    kinds = set()
    v2_kinds = set()
    refusals = 0
    carrying = 0
    for path in sorted(glob.glob(os.path.join(vectors, "envelope", "*.json"))):
        v = json.load(open(path, encoding="utf-8"))
        if v.get("referral") is None:
            continue
        referral = json.loads(v["referral"])
        problems = ["%s: %s" % ("/".join(map(str, e.absolute_path)) or "(root)", e.message)
                    for e in validator.iter_errors(referral)]
        for what, applies, mutate in MUTATIONS:
            if not applies(referral):
                continue
            bad = copy.deepcopy(referral)
            mutate(bad)
            refusals += 1
            if validator.is_valid(bad):
                problems.append("the schema accepts a copy with " + what)
        kinds.add((referral.get("kind"), referral.get("consent", {}).get("kind")))
        if referral.get("schemaVersion") == 2:
            v2_kinds.add(referral.get("kind"))
        if "consentRecord" in referral:
            carrying += 1
        if problems:
            failed += 1
            print("FAIL %s: %s" % (v["name"], "; ".join(problems)))
        else:
            passed += 1
            print("ok %s (%s, %s)" % (v["name"], referral.get("kind"), referral.get("consent", {}).get("kind")))
    print("kinds: " + ", ".join("%s/%s" % k for k in sorted(kinds)))
    if carrying == 0:
        failed += 1
        print("FAIL no v2 referral carries its consent record")
    if not V2_KINDS <= v2_kinds:
        failed += 1
        print("FAIL no v2 referral of kind %s" % ", ".join(sorted(V2_KINDS - v2_kinds)))
    print("%d mutated copies refused" % refusals)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
