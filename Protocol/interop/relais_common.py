"""What the independent PyNaCl implementations of SPEC.md share (imported by outside_report.py,
organisation_key.py, exit_programme_consent.py and relais_pynacl.py).

Written from SPEC.md only: "Conventions" (strict lowercase hex, HKDF), "Domain separation"
(ctx ‖ 0x00 ‖ m), "Device identity" (the device id), "Directory records" (a signed object is
verified over its exact bytes **before** it is parsed, then parsed strictly, never re-encoded;
Relais writes the bytes with sorted keys and no insignificant whitespace). Standard library +
PyNaCl (nacl.bindings). Nothing here prints a key.
"""

import hashlib
import hmac
import json
import sys
import unicodedata

from nacl import bindings as sodium
from nacl.exceptions import BadSignatureError, CryptoError

HEX_DIGITS = frozenset("0123456789abcdef")


class Refused(Exception):
    """A reader's refusal: `name` is the class a vector expects (badSignature, invalid, malformed…)."""

    def __init__(self, name, why=""):
        super().__init__(f"{name}: {why}" if why else name)
        self.name = name


def unhex(text, length=None):
    """Strict lowercase hex -> bytes (SPEC: parsers MUST refuse upper-case or odd-length hex)."""
    if not isinstance(text, str) or len(text) % 2 or not set(text) <= HEX_DIGITS:
        raise ValueError("not lowercase even-length hex")
    raw = bytes.fromhex(text)
    if length is not None and len(raw) != length:
        raise ValueError("hex of %d bytes, expected %d" % (len(raw), length))
    return raw


def is_hex(text, digits):
    """`text` is exactly `digits` lowercase hex digits (an id is 32, a pseudonym 64)."""
    return isinstance(text, str) and len(text) == digits and set(text) <= HEX_DIGITS


def is_int(value):
    """A JSON integer (not a boolean, which Python counts as one, nor a float)."""
    return type(value) is int


def ctx(name, message):
    """Domain separation: ctx ‖ 0x00 ‖ m."""
    return name.encode("ascii") + b"\x00" + message


def hkdf_sha256(ikm, salt, info, length):
    """RFC 5869 (an empty salt means 32 zero bytes)."""
    prk = hmac.new(salt or bytes(32), ikm, hashlib.sha256).digest()
    okm, block, counter = b"", b"", 1
    while len(okm) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        okm += block
        counter += 1
    return okm[:length]


def device_id(ed25519_public):
    """SHA-256("relais/v1/device-id" ‖ 0x00 ‖ key)[0..16], as 16 bytes."""
    return hashlib.sha256(ctx("relais/v1/device-id", ed25519_public)).digest()[:16]


def case_id_bytes(case_id):
    """The case id as hashed: trimmed, NFC, UTF-8; an empty one is refused (ValueError)."""
    text = unicodedata.normalize("NFC", case_id.strip())
    if not text:
        raise ValueError("empty case id")
    return text.encode("utf-8")


def pseudonym(key, case_bytes):
    """hex(HMAC-SHA-256(organisation key, "relais/v1/subject" ‖ 0x00 ‖ case id bytes))."""
    return hmac.new(key, ctx("relais/v1/subject", case_bytes), hashlib.sha256).hexdigest()


def ed25519_verify(public, context, message, signature):
    """crypto_sign_verify_detached over ctx ‖ 0x00 ‖ message (libsodium refuses non-canonical
    signatures and small-order keys)."""
    if len(signature) != 64 or len(public) != 32:
        return False
    try:
        sodium.crypto_sign_open(signature + ctx(context, message), public)
        return True
    except (BadSignatureError, CryptoError, ValueError):
        return False


def ed25519_sign(seed, context, message):
    """Detached Ed25519 signature over ctx ‖ 0x00 ‖ message (deterministic)."""
    _public, secret = sodium.crypto_sign_seed_keypair(seed)
    return sodium.crypto_sign(ctx(context, message), secret)[:64]


def canonical(value):
    """Relais's form of a signed object: sorted keys, no insignificant whitespace, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def no_duplicate_keys(pairs):
    """json object_pairs_hook: a repeated member name is refused (ValueError)."""
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate JSON member")
    return dict(pairs)


def _no_constant(name):
    raise ValueError("not JSON: " + name)


def parse_strict(data):
    """UTF-8 JSON with no repeated member and no NaN/Infinity; ValueError otherwise."""
    return json.loads(data.decode("utf-8"), object_pairs_hook=no_duplicate_keys, parse_constant=_no_constant)


def read_signed(data, signature, public_key, context):
    """SPEC "Directory records": verify the signature over the exact bytes first, then parse
    strictly and require the canonical form byte for byte. Returns the object (a dict);
    raises Refused("badSignature") or Refused("invalid")."""
    if not ed25519_verify(public_key, context, data, signature):
        raise Refused("badSignature", "the signature does not verify")
    try:
        value = parse_strict(data)
    except (UnicodeDecodeError, ValueError):
        raise Refused("invalid", "not JSON")
    if not isinstance(value, dict):
        raise Refused("invalid", "not an object")
    if canonical(value) != data:
        raise Refused("invalid", "not canonical")
    return value


class Tally:
    """Counts checks; prints one FAIL line per failed check (a label, never a key) and, at the
    end, the line "N passed, M failed" that the Swift tests read."""

    def __init__(self):
        self.passed = self.failed = 0

    def expect(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL", what)

    def finish(self):
        print(f"{self.passed} passed, {self.failed} failed")
        return self.failed == 0


def check_main(usage, check):
    """`SCRIPT check FILE`: exit 0 when check(FILE) passed, 1 when it failed, 64 with the usage."""
    if len(sys.argv) != 3 or sys.argv[1] != "check":
        print(usage)
        sys.exit(64)
    sys.exit(0 if check(sys.argv[2]) else 1)
