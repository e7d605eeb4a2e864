#!/usr/bin/env python3
"""Validates every referral of the protocol vectors against Protocol/referral.schema.json with a
real JSON Schema 2020-12 validator (the `jsonschema` package), as a third party would.

    validate_referrals.py [VECTORS_DIR [SCHEMA]]

Also checks that the validator refuses what the schema forbids (a mutated copy of each referral
with an unknown member, a need outside the enum, a consent kind outside the enum), so that a
schema that accepted everything would fail here. Prints one line per referral and a summary;
exits 1 on any failure.
"""
import copy
import glob
import json
import os
import sys

from jsonschema import Draft202012Validator

HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv):
    vectors = argv[1] if len(argv) > 1 else os.path.join(HERE, "..", "vectors")
    schema_path = argv[2] if len(argv) > 2 else os.path.join(HERE, "..", "referral.schema.json")
    schema = json.load(open(schema_path, encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    passed = failed = 0
    kinds = set()
    for path in sorted(glob.glob(os.path.join(vectors, "envelope", "*.json"))):
        v = json.load(open(path, encoding="utf-8"))
        if v.get("referral") is None:
            continue
        referral = json.loads(v["referral"])
        problems = ["%s: %s" % ("/".join(map(str, e.absolute_path)) or "(root)", e.message)
                    for e in validator.iter_errors(referral)]
        for what, mutate in (("unknown member", lambda r: r.__setitem__("unexpected", True)),
                             ("need outside the enum", lambda r: r["needs"].append("teleportation")),
                             ("consent kind outside the enum", lambda r: r["consent"].__setitem__("kind", "implied"))):
            bad = copy.deepcopy(referral)
            mutate(bad)
            if validator.is_valid(bad):
                problems.append("the schema accepts a referral with an " + what)
        kinds.add((referral.get("kind"), referral.get("consent", {}).get("kind")))
        if problems:
            failed += 1
            print("FAIL %s: %s" % (v["name"], "; ".join(problems)))
        else:
            passed += 1
            print("ok %s (%s, %s)" % (v["name"], referral.get("kind"), referral.get("consent", {}).get("kind")))
    print("kinds: " + ", ".join("%s/%s" % k for k in sorted(kinds)))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
