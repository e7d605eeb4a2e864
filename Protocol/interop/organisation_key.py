#!/usr/bin/env python3
"""Independent implementation of SPEC.md, "Organisation key", with PyNaCl.

Written from SPEC.md and the vector file only. Standard library + PyNaCl (nacl.bindings).

    organisation_key.py check FILE        check organisation-key.json: every value, the package, every refusal
    organisation_key.py seal FILE --out O  seal the file's key from its giver to its target with a fresh
                                           ephemeral key; write {"package": hex} to O (the Swift tests open it)

Normal output never shows keys.
"""

import argparse
import hashlib
import json
import os
import struct
import sys

from nacl import bindings as sodium
from nacl.exceptions import CryptoError

from relais_common import Refused, Tally, case_id_bytes, ctx, device_id, ed25519_sign, ed25519_verify, hkdf_sha256, unhex
from relais_common import pseudonym as keyed_pseudonym

BODY = 153
TOTAL = 217
HEADER = 105


def key_id(organisation_id, key):
    return hashlib.sha256(ctx("relais/v1/organisation-key-id", organisation_id + key)).digest()[:16]


def normalised(case_id):
    try:
        return case_id_bytes(case_id)
    except ValueError:
        raise Refused("emptyCaseId")


def pseudonym(key, case_id):
    return keyed_pseudonym(key, normalised(case_id))


def identity(seed):
    """(ed25519 public, ed25519 secret (64), x25519 public, x25519 secret, device id)"""
    pk, sk = sodium.crypto_sign_seed_keypair(seed)
    device = device_id(pk)
    return pk, sk, sodium.crypto_sign_ed25519_pk_to_curve25519(pk), sodium.crypto_sign_ed25519_sk_to_curve25519(sk), device


def wrap_key(shared, ephemeral_public, target_x):
    return hkdf_sha256(shared, b"", ctx("relais/v1/organisation-key-wrap", ephemeral_public + target_x), 32)


def seal(key, organisation_id, giver_seed, target_public, created_at, ephemeral_secret=None):
    giver_id = identity(giver_seed)[4]
    target_x = sodium.crypto_sign_ed25519_pk_to_curve25519(target_public)
    target_id = device_id(target_public)
    e = ephemeral_secret or os.urandom(32)
    epk = sodium.crypto_scalarmult_base(e)
    header = b"\x01" + organisation_id + giver_id + target_id + key_id(organisation_id, key) + struct.pack(">Q", created_at) + epk
    wk = wrap_key(sodium.crypto_scalarmult(e, target_x), epk, target_x)
    body = header + sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(key, header, b"\x00" * 24, wk)
    signature = ed25519_sign(giver_seed, "relais/v1/organisation-key-package", body)
    return body + signature


def open_package(package, giver_public, opener_seed):
    """The checks of SPEC.md in their order; returns (organisation_id, key) or raises Refused(class)."""
    if len(package) != TOTAL:
        raise Refused("malformed")
    body, signature = package[:BODY], package[BODY:]
    if not ed25519_verify(giver_public, "relais/v1/organisation-key-package", body, signature):
        raise Refused("badSignature")
    if body[0] != 1:
        raise Refused("malformed")
    organisation_id, giver_id, target_id, kid = body[1:17], body[17:33], body[33:49], body[49:65]
    if giver_id != device_id(giver_public):
        raise Refused("malformed")
    _, _, opener_x, opener_x_secret, opener_id = identity(opener_seed)
    if target_id != opener_id:
        raise Refused("wrongTarget")
    epk = body[73:105]
    try:
        shared = sodium.crypto_scalarmult(opener_x_secret, epk)
        if shared == b"\x00" * 32:
            raise Refused("unwrapFailed")
        key = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(body[HEADER:], body[:HEADER], b"\x00" * 24,
                                                                 wrap_key(shared, epk, opener_x))
    except (CryptoError, ValueError):
        raise Refused("unwrapFailed")
    if key_id(organisation_id, key) != kid:
        raise Refused("keyIdMismatch")
    return organisation_id, key


def check(path):
    v = json.load(open(path, encoding="utf-8"))
    t = Tally()
    expect = t.expect
    devices = {}
    for name in ("giver", "target"):
        d = v[name]
        pk, _, xpk, xsk, device = identity(unhex(d["ed25519Seed"]))
        expect(pk.hex() == d["ed25519Public"] and device.hex() == d["deviceId"], name + " identity")
        expect(xpk.hex() == d["x25519Public"] and xsk.hex() == d["x25519Secret"], name + " X25519 form")
        devices[name] = unhex(d["ed25519Seed"])
    organisation_id, key = unhex(v["organisationId"]), unhex(v["key"])
    expect(key_id(organisation_id, key).hex() == v["keyId"], "key id")
    for p in v["pseudonyms"]:
        expect(normalised(p["caseId"]).hex() == p["normalised"], "normalised %r" % p["caseId"])
        expect(pseudonym(key, p["caseId"]) == p["pseudonym"], "pseudonym %r" % p["caseId"])
    e = unhex(v["ephemeralSecret"])
    target_x = unhex(v["target"]["x25519Public"])
    expect(sodium.crypto_scalarmult_base(e).hex() == v["ephemeralPublic"], "ephemeral public key")
    shared = sodium.crypto_scalarmult(e, target_x)
    expect(shared.hex() == v["sharedSecret"], "shared secret")
    expect(wrap_key(shared, sodium.crypto_scalarmult_base(e), target_x).hex() == v["wrapKey"], "wrap key")
    giver_public = unhex(v["giver"]["ed25519Public"])
    target_public = unhex(v["target"]["ed25519Public"])
    rebuilt = seal(key, organisation_id, devices["giver"], target_public, v["createdAt"], ephemeral_secret=e)
    expect(rebuilt.hex() == v["package"], "package rebuilt byte for byte")
    try:
        expect(open_package(unhex(v["package"]), giver_public, devices["target"]) == (organisation_id, key), "package opens")
    except Refused as r:
        expect(False, "package refused: " + r.name)
    for r in v["refused"]:
        try:
            open_package(unhex(r["package"]), giver_public, devices[r["opener"]])
            got = "success"
        except Refused as refusal:
            got = refusal.name
        expect(got == r["expect"], "%s: expected %s, got %s" % (r["label"], r["expect"], got))
    return t.finish()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check")
    c.add_argument("file")
    s = sub.add_parser("seal")
    s.add_argument("file")
    s.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    if args.command == "check":
        return 0 if check(args.file) else 1
    v = json.load(open(args.file, encoding="utf-8"))
    package = seal(unhex(v["key"]), unhex(v["organisationId"]), unhex(v["giver"]["ed25519Seed"]),
                   unhex(v["target"]["ed25519Public"]), v["createdAt"] + 60)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump({"package": package.hex()}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
