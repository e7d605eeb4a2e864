#!/usr/bin/env python3
"""Independent implementation of Relais protocol v1 (Protocol/SPEC.md) with PyNaCl.

Written from SPEC.md and the vector files only. Standard library + PyNaCl (nacl.bindings).

    relais_pynacl.py check-vectors DIR   check DIR/identity.json, DIR/request.json and DIR/envelope/*.json
    relais_pynacl.py seal --out FILE     seal a fresh envelope, write it in envelope-vector shape
    relais_pynacl.py open FILE           open one envelope-vector-shaped file, print expected vs got

Normal output never shows secret keys or referral contents.
"""

import argparse
import base64
import glob
import hashlib
import hmac
import json
import os
import re
import struct
import sys
import time
import unicodedata

from nacl import bindings as sodium
from nacl.exceptions import CryptoError

# Strict hex, domain separation (ctx_input), HKDF, Ed25519, the device id and the refusal of repeated
# JSON members are the same as in the other interop scripts: one copy, in relais_common.py.
from relais_common import ctx as ctx_input, device_id, ed25519_sign, ed25519_verify, hkdf_sha256, unhex
from relais_common import no_duplicate_keys as _no_duplicate_keys

# --------------------------------------------------------------------------- conventions


def tohex(raw):
    return raw.hex()  # always lowercase


def u32(n):
    return struct.pack(">I", n)


def u64(n):
    return struct.pack(">Q", n)


def sha256(data):
    return hashlib.sha256(data).digest()


def H(ctx, message):
    return sha256(ctx_input(ctx, message))


# --------------------------------------------------------------------------- identity

def prekey_id(x25519_public):
    return H("relais/v1/prekey-id", x25519_public)[:8]


def fingerprint(ed25519_public):
    h = H("relais/v1/fingerprint", ed25519_public)
    for _ in range(5199):  # 5200 hashes in all
        h = sha256(h + ed25519_public)
    groups = []
    for g in range(6):
        n = int.from_bytes(h[5 * g:5 * g + 5], "big")  # u40 big-endian
        groups.append("%05d" % (n % 100000))
    return "".join(groups)


def safety_number(fp_a, fp_b):
    return min(fp_a, fp_b) + max(fp_a, fp_b)


SIGNED_PREKEY_LEN = 137
PREKEY_BODY_LEN = 73


def prekey_body(dev_id, x25519_public, created_at, not_after):
    return b"\x01" + dev_id + prekey_id(x25519_public) + x25519_public + u64(created_at) + u64(not_after)


def sign_prekey(seed, x25519_public, created_at, not_after):
    pk, _sk = sodium.crypto_sign_seed_keypair(seed)
    body = prekey_body(device_id(pk), x25519_public, created_at, not_after)
    return body + ed25519_sign(seed, "relais/v1/signed-prekey", body)


# The X25519 points of small order (libsodium's has_small_order list), compared with bit 255 cleared.
LOW_ORDER_POINTS = [bytes.fromhex(h) for h in (
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0100000000000000000000000000000000000000000000000000000000000000",
    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
    "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
)]


def has_low_order(x25519_public):
    return x25519_public[:31] + bytes([x25519_public[31] & 0x7F]) in LOW_ORDER_POINTS


def verify_signed_prekey(record, identity_public):
    """Checks in SPEC order; returns dict or raises ValueError naming the failed check."""
    if len(record) != SIGNED_PREKEY_LEN:
        raise ValueError("length")
    body, signature = record[:PREKEY_BODY_LEN], record[PREKEY_BODY_LEN:]
    if not ed25519_verify(identity_public, "relais/v1/signed-prekey", body, signature):
        raise ValueError("signature")
    if body[0] != 1:
        raise ValueError("version")
    if body[1:17] != device_id(identity_public):
        raise ValueError("device_id")
    pid, xpub = body[17:25], body[25:57]
    if pid != prekey_id(xpub):
        raise ValueError("prekey_id")
    if has_low_order(xpub):
        raise ValueError("lowOrderKey")
    created_at, not_after = struct.unpack(">QQ", body[57:73])
    if not created_at < not_after:
        raise ValueError("times")
    return {"deviceId": body[1:17], "prekeyId": pid, "x25519Public": xpub,
            "createdAt": created_at, "notAfter": not_after}


# --------------------------------------------------------------------------- envelope

MAGIC = b"RLSE"
CONSENT_KINDS = {1: "consent", 2: "childProtectionDeclaration", 3: "exitProgrammeConsent"}
STANZA_LEN = 16 + 8 + 80
MAX_SIZE_CLASS = 12


class OpenError(Exception):
    """An opening failure; .name is the error class used by the vectors."""

    def __init__(self, name, detail=""):
        super().__init__(name + (": " + detail if detail else ""))
        self.name = name
        self.detail = detail


class Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, n):
        if self.pos + n > len(self.data):
            raise ValueError("truncated")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def u8(self):
        return self.take(1)[0]

    def u32(self):
        return struct.unpack(">I", self.take(4))[0]

    def u64(self):
        return struct.unpack(">Q", self.take(8))[0]


def strictly_increasing(items):
    return all(a < b for a, b in zip(items, items[1:]))


def parse_header(envelope):
    """Returns (header dict, header length). Raises ValueError on any rule of SPEC 'Header'."""
    r = Reader(envelope)
    if r.take(4) != MAGIC:
        raise ValueError("magic")
    if r.u8() != 1:
        raise ValueError("version")
    h = {"envelopeId": r.take(16), "expiresAt": r.u64()}
    h["consentKind"] = r.u8()
    if h["consentKind"] not in CONSENT_KINDS:
        raise ValueError("consent_kind")
    h["consentId"] = r.take(16)
    h["sizeClass"] = r.u8()
    if h["sizeClass"] > MAX_SIZE_CLASS:
        raise ValueError("size_class")
    org_count = r.u8()
    if org_count == 0:
        raise ValueError("org_count 0")
    h["orgIds"] = [r.take(16) for _ in range(org_count)]
    if not strictly_increasing(h["orgIds"]):
        raise ValueError("org ids not strictly increasing")
    stanza_count = r.u8()
    if stanza_count == 0:
        raise ValueError("stanza_count 0")
    h["stanzas"] = []
    for _ in range(stanza_count):
        h["stanzas"].append({"deviceId": r.take(16), "prekeyId": r.take(8), "wrappedKey": r.take(80)})
    if not strictly_increasing([s["deviceId"] for s in h["stanzas"]]):
        raise ValueError("stanzas not strictly increasing")
    return h, r.pos


def build_header(envelope_id, expires_at, consent_kind, consent_id, size_class, org_ids, stanzas):
    out = MAGIC + b"\x01" + envelope_id + u64(expires_at) + bytes([consent_kind]) + consent_id
    out += bytes([size_class, len(org_ids)]) + b"".join(org_ids) + bytes([len(stanzas)])
    for s in stanzas:
        out += s["deviceId"] + s["prekeyId"] + s["wrappedKey"]
    return out


def body_key(k, envelope_id):
    return hkdf_sha256(k, envelope_id, b"relais/v1/body-key", 32)


def parse_signed(signed):
    """Strict parse of `signed` (SPEC 'Signed referral'). Raises ValueError."""
    r = Reader(signed)
    if r.u8() != 1:
        raise ValueError("version")
    s = {"envelopeId": r.take(16), "headerHash": r.take(32), "senderDeviceId": r.take(16)}
    count = r.u8()
    if count == 0:
        raise ValueError("recipient_count 0")
    s["recipients"] = [r.take(16) for _ in range(count)]
    if not strictly_increasing(s["recipients"]):
        raise ValueError("recipients not strictly increasing")
    s["referral"] = r.take(r.u32())
    if r.pos != len(signed):
        raise ValueError("trailing bytes")
    return s


def open_envelope(envelope, my_device_id, my_prekeys, known_senders, now):
    """SPEC 'Opening', checks 1..8 then the referral. Returns a result dict or raises OpenError.

    my_prekeys: {prekey_id bytes: x25519 secret bytes}
    known_senders: {device_id bytes: ed25519 public bytes} (verified through the directory)
    """
    # 1. header parses
    try:
        header, header_len = parse_header(envelope)
    except ValueError as e:
        raise OpenError("malformedHeader", str(e))
    header_bytes, body = envelope[:header_len], envelope[header_len:]

    # 2. a stanza names this device
    stanza = next((s for s in header["stanzas"] if s["deviceId"] == my_device_id), None)
    if stanza is None:
        raise OpenError("noStanzaForDevice")

    # 3. prekey held, unwrap gives exactly 32 bytes
    secret = my_prekeys.get(stanza["prekeyId"])
    if secret is None:
        raise OpenError("prekeyUnavailable")
    public = sodium.crypto_scalarmult_base(secret)
    try:
        k = sodium.crypto_box_seal_open(stanza["wrappedKey"], public, secret)
    except CryptoError:
        raise OpenError("unwrapFailed")
    if len(k) != 32:
        raise OpenError("unwrapFailed", "K is %d bytes" % len(k))

    # 4. body length and AEAD
    p = 1024 << header["sizeClass"]
    if len(body) != p + 16:
        raise OpenError("bodyDecryptionFailed", "body is %d bytes, expected %d" % (len(body), p + 16))
    try:
        padded = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
            body, header_bytes, bytes(24), body_key(k, header["envelopeId"]))
    except CryptoError:
        raise OpenError("bodyDecryptionFailed")

    # 5. u32 n ‖ signed[n] ‖ signature[64] ‖ zero padding
    n = struct.unpack(">I", padded[:4])[0]
    if 4 + n + 64 > len(padded):
        raise OpenError("malformedPayload", "length prefix too large")
    signed, signature, padding = padded[4:4 + n], padded[4 + n:4 + n + 64], padded[4 + n + 64:]
    if padding.count(0) != len(padding):
        raise OpenError("malformedPayload", "non-zero padding")

    # 6. sender known, signature, strict parse, header binding
    if len(signed) < 65:  # sender_device_id is signed[49..<65]
        raise OpenError("malformedPayload", "signed too short to name a sender")
    sender_id = signed[49:65]
    sender_public = known_senders.get(sender_id)
    if sender_public is None:
        raise OpenError("unknownSender")
    if not ed25519_verify(sender_public, "relais/v1/signed-referral", signed, signature):
        raise OpenError("badSignature")
    try:
        parsed = parse_signed(signed)
    except ValueError as e:
        raise OpenError("malformedPayload", str(e))
    if parsed["envelopeId"] != header["envelopeId"]:
        raise OpenError("headerMismatch", "envelope id")
    if parsed["headerHash"] != H("relais/v1/envelope-header", header_bytes):
        raise OpenError("headerMismatch", "header hash")

    # 7. this device was signed for
    if my_device_id not in parsed["recipients"]:
        raise OpenError("notASignedRecipient")

    # 8. not expired
    if not now < header["expiresAt"]:
        raise OpenError("expired")

    # after the checks: the referral
    notes = validate_referral(parsed["referral"], header)
    return {"header": header, "senderDeviceId": sender_id, "signedRecipients": parsed["recipients"],
            "referral": parsed["referral"], "notes": notes}


def size_class_for(length):
    for c in range(MAX_SIZE_CLASS + 1):
        if length <= 1024 << c:
            return c
    raise ValueError("too large for the largest size class")


def seal_envelope(sender_seed, recipients, referral, consent_kind, consent_id, expires_at, now):
    """SPEC 'Sealing'. recipients: list of dicts deviceId, orgId, identityPublic, signedPrekey."""
    # 1. refusals (a prekey is verified against the identity key from the directory first)
    if not recipients:
        raise ValueError("no recipient")
    ids = [r["deviceId"] for r in recipients]
    if len(set(ids)) != len(ids):
        raise ValueError("a device appears twice")
    if expires_at <= now:
        raise ValueError("expires_at <= now")
    prekeys = {}
    for r in recipients:
        pk = verify_signed_prekey(r["signedPrekey"], r["identityPublic"])
        if pk["deviceId"] != r["deviceId"]:
            raise ValueError("prekey of another device")
        if not pk["createdAt"] <= now < pk["notAfter"]:
            raise ValueError("prekey not usable now")
        prekeys[r["deviceId"]] = pk
    # 2. randomness
    envelope_id, k = os.urandom(16), bytearray(os.urandom(32))
    # 3. stanzas in increasing device-id order
    stanzas = []
    for r in sorted(recipients, key=lambda r: r["deviceId"]):
        pk = prekeys[r["deviceId"]]
        stanzas.append({"deviceId": r["deviceId"], "prekeyId": pk["prekeyId"],
                        "wrappedKey": sodium.crypto_box_seal(bytes(k), pk["x25519Public"])})
    # 4/5. header, signed, signature, padding, body
    sender_public, _ = sodium.crypto_sign_seed_keypair(sender_seed)
    signed_len = 1 + 16 + 32 + 16 + 1 + 16 * len(stanzas) + 4 + len(referral)
    size_class = size_class_for(4 + signed_len + 64)
    org_ids = sorted(set(r["orgId"] for r in recipients))
    header = build_header(envelope_id, expires_at, consent_kind, consent_id, size_class, org_ids, stanzas)
    signed = (b"\x01" + envelope_id + H("relais/v1/envelope-header", header) + device_id(sender_public)
              + bytes([len(stanzas)]) + b"".join(s["deviceId"] for s in stanzas)
              + u32(len(referral)) + referral)
    assert len(signed) == signed_len
    signature = ed25519_sign(sender_seed, "relais/v1/signed-referral", signed)
    padded = u32(len(signed)) + signed + signature
    padded += bytes((1024 << size_class) - len(padded))
    body = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
        padded, header, bytes(24), body_key(bytes(k), envelope_id))
    # 6. wipe K (best effort in Python)
    for i in range(len(k)):
        k[i] = 0
    return header + body


# --------------------------------------------------------------------------- referral

def _refuse_constant(name):
    raise ValueError("non-JSON constant %s" % name)


V1_NEEDS = {"emergencyShelter", "housing", "distantShelter", "health", "sexualHealth", "mentalHealth", "legalHelp",
            "residenceRights", "complaintSupport", "exitProgramme", "employmentTraining", "frenchLessons", "income",
            "childProtection"}
MINOR_BANDS = {"under15", "from15to17"}
ADULT_BANDS = {"from18to24", "from25to34", "from35to49", "from50"}
DEPARTEMENT = re.compile(r"^[0-9AB]{2,3}$")
SUBJECT = re.compile(r"^[0-9a-f]{64}$")
V2_FIELDS = ("situation", "leadProfessional", "minor", "exitProgramme", "outcome", "consentRecord")


def validate_referral(referral_bytes, header):
    """The referral rules SPEC states in prose ('Referral schema v2', 'Referral schema v1'); the
    shape, enums and unknown fields are referral.schema.json's (validate_referrals.py).
    Returns a list of reader notes; raises OpenError('malformedReferral')."""
    def bad(why):
        raise OpenError("malformedReferral", why)

    try:
        doc = json.loads(referral_bytes.decode("utf-8"), object_pairs_hook=_no_duplicate_keys,
                         parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError) as e:
        bad("not UTF-8 JSON (%s)" % e)
    if not isinstance(doc, dict):
        bad("not an object")
    version = doc.get("schemaVersion")
    if version not in (1, 2) or isinstance(version, bool):
        bad("schemaVersion is not 1 or 2")
    kind = doc.get("kind")
    if not isinstance(kind, str):
        bad("kind missing")

    consent = doc.get("consent")
    if not isinstance(consent, dict) or set(consent) != {"id", "kind"}:
        bad("consent is not {id, kind}")
    if consent["kind"] != CONSENT_KINDS[header["consentKind"]] or consent["id"] != tohex(header["consentId"]):
        bad("consent differs from the header's consent reference")

    if kind == "reply":
        if "inReplyTo" not in doc:
            bad("reply without inReplyTo")
    elif "inReplyTo" in doc:
        bad("inReplyTo on a %s" % kind)

    person = doc.get("person") if isinstance(doc.get("person"), dict) else {}
    status = person.get("minorStatus")
    if kind == "childProtectionReport":
        if status not in ("minor", "allegedMinor"):
            bad("childProtectionReport without a minor or alleged minor")
        if consent["kind"] != "childProtectionDeclaration":
            bad("childProtectionReport without a childProtectionDeclaration")
    elif kind == "exitProgrammeRequest":
        if consent["kind"] != "exitProgrammeConsent":
            bad("exitProgrammeRequest without an exitProgrammeConsent")
    elif kind != "reply" and consent["kind"] != "consent":
        bad("%s must rest on a consent record" % kind)

    needs = doc.get("needs", [])
    if not isinstance(needs, list) or any(not isinstance(x, str) for x in needs):
        bad("needs is not a list of strings")
    if len(set(needs)) != len(needs):
        bad("duplicate needs")
    if kind == "exitProgrammeRequest" and "exitProgramme" not in needs:
        bad("exitProgrammeRequest without the need exitProgramme")

    if version == 1:
        if "subjectPseudonym" in person or not str(person.get("casePseudonym", "")).strip():
            bad("a v1 person has a non-empty casePseudonym and no subjectPseudonym")
        if any(f in doc for f in V2_FIELDS) or not set(needs) <= V1_NEEDS:
            bad("a v2 field or need in a v1 referral")
    else:
        _validate_v2(doc, kind, person, status, needs, bad)

    notes = []
    safety = doc.get("safety") if isinstance(doc.get("safety"), dict) else {}
    if safety.get("dangerLevel") == 3:
        notes.append("danger level 3: show 'not an emergency channel' (17 / 112%s)"
                     % (", 119" if status in ("minor", "allegedMinor") else ""))
    return notes


def _validate_v2(doc, kind, person, status, needs, bad):
    """SPEC 'Referral schema v2', the rules numbered there."""
    if "casePseudonym" in person or not SUBJECT.match(str(person.get("subjectPseudonym", ""))):
        bad("v2 person.subjectPseudonym must be 64 lowercase hex digits (and no casePseudonym)")
    band = person.get("ageBand")
    if status not in ("adult", "minor", "allegedMinor"):
        bad("v2 person.minorStatus must be adult, minor or allegedMinor")
    if (status == "adult" and band in MINOR_BANDS) or (status == "minor" and band in ADULT_BANDS):
        bad("person.ageBand %s contradicts person.minorStatus %s" % (band, status))
    situation = doc.get("situation") or {}
    for d in [situation.get("currentDepartement")] + list(situation.get("areasToAvoid") or []):
        if d is not None and not DEPARTEMENT.match(str(d)):
            bad("situation: %r is not a departement code" % d)
    minor = doc.get("minor")
    if minor is not None:
        if status not in ("minor", "allegedMinor"):
            bad("minor is only for a minor or an alleged minor")
        if minor.get("aged16OrMoreWithComplaint") and (band == "under15" or situation.get("complaintFiled") is False):
            bad("minor.aged16OrMoreWithComplaint contradicts the age band or situation.complaintFiled")
    programme = doc.get("exitProgramme")
    if kind == "exitProgrammeRequest":
        if not isinstance(programme, dict):
            bad("exitProgrammeRequest without exitProgramme")
        if status != "adult":
            bad("exitProgrammeRequest for a %s" % status)
        used = programme.get("monthsAlreadyUsed")
        request = programme.get("request")
        if not isinstance(used, int) or (request == "first" and used != 0) or \
                (request == "renewal" and not 1 <= used <= 18) or request not in ("first", "renewal"):
            bad("exitProgramme: first with 0 months used, or renewal with 1 to 18")
        if not DEPARTEMENT.match(str(programme.get("departement", ""))):
            bad("exitProgramme.departement is not a departement code")
    elif programme is not None:
        bad("exitProgramme on a %s" % kind)
    if kind == "safeAccommodationRequest":
        if "distantShelter" not in needs:
            bad("safeAccommodationRequest without the need distantShelter")
        if situation.get("inDangerLocally") is False or situation.get("needsToMoveAway") is False:
            bad("safeAccommodationRequest for a person not in danger locally or not needing to move away")
    if "consentRecord" in doc and (kind == "reply" or doc["consent"]["kind"] == "childProtectionDeclaration"):
        bad("consentRecord on a reply or under a child-protection declaration")
    outcome = doc.get("outcome")
    if kind != "reply":
        if outcome is not None:
            bad("outcome on a %s" % kind)
        return
    if not isinstance(outcome, dict):
        bad("reply without outcome")
    required = {"appointmentOffered": "appointmentAt", "refused": "reason", "reoriented": "reorientedTo",
                "commissionOpinion": "opinion", "prefectDecision": "decision"}
    field = required.get(outcome.get("status"))
    if field and outcome.get(field) in (None, ""):
        bad("outcome %s without %s" % (outcome.get("status"), field))
    for field, statuses in (("reorientedTo", ("reoriented",)), ("opinion", ("commissionOpinion",)),
                            ("decision", ("prefectDecision",)), ("appointmentAt", ("appointmentOffered", "placeOffered"))):
        if field in outcome and outcome.get("status") not in statuses:
            bad("outcome.%s on a %s" % (field, outcome.get("status")))


# --------------------------------------------------------------------------- the carried consent

HEALTH_NEEDS = {"health", "sexualHealth", "mentalHealth", "addictions", "harmReduction"}
CATEGORY_ORDER = ["identity", "contact", "situation", "health", "legal", "administrative", "safety"]


def data_categories(doc):
    """SPEC 'Data categories': the categories of the fields a referral carries."""
    c = {"situation"}  # age band, minor status, languages: always present
    person, safety = doc.get("person") or {}, doc.get("safety") or {}
    situation = doc.get("situation") or {}
    if person.get("firstName"):
        c.add("identity")
    if person.get("administrativeStatus", "unknown") != "unknown":
        c.add("administrative")
    if any(n in HEALTH_NEEDS for n in doc.get("needs", [])):
        c.add("health")
    if safety.get("dangerLevel", 0) > 0 or safety.get("safeToCall") is False:
        c.add("safety")
    if safety.get("safeContactInstructions") or safety.get("codeWord") or "leadProfessional" in doc:
        c.add("contact")
    if any(situation.get(k) is not None for k in ("inDangerLocally", "needsToMoveAway", "threatsToRelatives")) \
            or situation.get("areasToAvoid"):
        c.add("safety")
    if situation.get("identityDocumentsHeldByOthers") is not None or "exitProgramme" in doc:
        c.add("administrative")
    if situation.get("complaintFiled") is not None:
        c.add("legal")
    if situation.get("pregnancy") is not None:
        c.add("health")
    if "minor" in doc:
        c |= {"administrative", "legal"}
    return c


def consent_flags(referral_bytes, sender_id, sender_public, sender_org):
    """SPEC 'Consent records', what the recipient checks: the codes of the flags, in order. Only
    a record signed by the sender itself is verified here (another device of its organisation
    needs the directory)."""
    doc = json.loads(referral_bytes.decode("utf-8"))
    if doc.get("schemaVersion") != 2 or doc["kind"] == "reply" or doc["consent"]["kind"] == "childProtectionDeclaration":
        return []
    carried = doc.get("consentRecord")
    if carried is None:
        return ["consent_record_missing"]
    raw, signature = base64.b64decode(carried["bytes"], validate=True), base64.b64decode(carried["signature"], validate=True)
    if not ed25519_verify(sender_public, "relais/v1/consent-record", raw, signature):
        return ["consent_record_unverified"]
    record = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicate_keys)
    if record.get("recordedBy") != tohex(sender_id):
        return ["consent_record_unverified"]
    if record.get("consentId") != doc["consent"]["id"] or record.get("organisationId") != sender_org:
        return ["consent_record_other"]
    flags = []
    if data_categories(doc) - set(record.get("dataCategories", [])):
        flags.append("consent_data_categories")
    if set(doc["needs"]) - set(record.get("purposes", [])):
        flags.append("consent_purposes")
    if record.get("subjectPseudonym") != doc["person"].get("subjectPseudonym"):
        flags.append("consent_subject")
    if not record["grantedAt"] <= doc["createdAt"] < record["validUntil"]:
        flags.append("consent_period")
    return flags


# --------------------------------------------------------------------------- attachments

def attachment_type(data):
    """SPEC 'Attachments': the accepted type of these bytes by magic number, text last, or None."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"heim", b"heis"):
        return "image/heic"
    if b"\x00" not in data:
        try:
            data.decode("utf-8")
            return "text/plain"
        except UnicodeDecodeError:
            pass
    return None


NAME_MAX = 120
RESERVED = {"CON", "PRN", "AUX", "NUL"} | {"COM%d" % i for i in range(1, 10)} | {"LPT%d" % i for i in range(1, 10)}


def _split_ext(name):
    dot = name.rfind(".")
    if dot <= 0 or not 2 <= len(name[dot:].encode("utf-8")) <= 17:
        return name, ""
    return name[:dot], name[dot:]


def _cut(text, limit):
    while len(text.encode("utf-8")) > max(0, limit):
        text = text[:-1]
    return text


def _trim(text):
    text = text.lstrip(".- ")
    return text.rstrip(". ")


def sanitise_name(name):
    """SPEC 'Attachments': the name a reader writes an attachment under (before any « (2) »)."""
    out = []
    for ch in unicodedata.normalize("NFC", name):
        refused = ch in "/\\:<>\"|?*" or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn")
        out.append("_" if refused else ch)
    text = "".join(out)
    while ".." in text:
        text = text.replace("..", ".")
    text = _trim(text)
    if text.split(".", 1)[0].upper() in RESERVED:
        text = "_" + text
    base, ext = _split_ext(text)
    text = _trim(_trim(_cut(base, NAME_MAX - len(ext.encode("utf-8")))) + ext)
    return text or "piece-jointe"


def attachment_problems(referral_bytes, expected):
    doc = json.loads(referral_bytes.decode("utf-8"))
    got = []
    for a in doc.get("attachments", []):
        data = base64.b64decode(a["data"], validate=True)
        detected = attachment_type(data)
        mismatch = a["mediaType"] != "application/octet-stream" and detected != a["mediaType"]
        got.append({"size": len(data), "sha256": hashlib.sha256(data).hexdigest(), "detectedType": detected,
                    "typeMismatch": mismatch, "savedAs": sanitise_name(a["filename"])})
    return [] if got == expected else ["attachments %s, expected %s" % (got, expected)]


# --------------------------------------------------------------------------- vector files

def load_vector_inputs(v):
    my_id = unhex(v["opener"]["deviceId"], 16)
    prekeys = {unhex(p["prekeyId"], 8): unhex(p["x25519Secret"], 32) for p in v["opener"]["prekeys"]}
    senders = {}
    for s in v["senders"]:
        public = unhex(s["ed25519Public"], 32)
        if device_id(public) != unhex(s["deviceId"], 16):
            raise ValueError("sender deviceId does not derive from its key")  # vector inconsistency
        senders[unhex(s["deviceId"], 16)] = public
    for pid, secret in prekeys.items():
        if prekey_id(sodium.crypto_scalarmult_base(secret)) != pid:
            raise ValueError("opener prekeyId does not derive from its scalar")  # vector inconsistency
    return my_id, prekeys, senders, unhex(v["envelope"]), v["now"]


def run_vector(v):
    """Returns (got, problems): got is 'success' or an error class; problems lists mismatches."""
    my_id, prekeys, senders, envelope, now = load_vector_inputs(v)
    try:
        res = open_envelope(envelope, my_id, prekeys, senders, now)
    except OpenError as e:
        return e.name, [], e.detail
    problems = []
    if v["expect"] == "success":
        if res["referral"] != v["referral"].encode("utf-8"):
            problems.append("referral bytes differ")
        if [tohex(x) for x in res["signedRecipients"]] != v["signedRecipients"]:
            problems.append("signed recipients differ")
        if tohex(res["senderDeviceId"]) != v["senderDeviceId"]:
            problems.append("sender differs")
        if "consentFlags" in v:
            flags = consent_flags(res["referral"], res["senderDeviceId"], senders[res["senderDeviceId"]], v["senderOrganisationId"])
            if flags != v["consentFlags"]:
                problems.append("consent flags %s, expected %s" % (flags, v["consentFlags"]))
        if "attachments" in v:
            problems += attachment_problems(res["referral"], v["attachments"])
    return "success", problems, "; ".join(res["notes"])


def check_identity(path):
    results = []
    data = json.load(open(path, encoding="utf-8"))
    fps = []
    for i, d in enumerate(data["devices"]):
        name = "identity/device-%d" % i
        problems = []
        seed = unhex(d["ed25519Seed"], 32)
        public, _ = sodium.crypto_sign_seed_keypair(seed)
        if tohex(public) != d["ed25519Public"]:
            problems.append("ed25519Public")
        if tohex(device_id(public)) != d["deviceId"]:
            problems.append("deviceId")
        fp = fingerprint(public)
        fps.append(fp)
        if fp != d["fingerprint"]:
            problems.append("fingerprint")
        xpub = sodium.crypto_scalarmult_base(unhex(d["x25519Secret"], 32))
        if tohex(xpub) != d["x25519Public"]:
            problems.append("x25519Public")
        if tohex(prekey_id(xpub)) != d["prekeyId"]:
            problems.append("prekeyId")
        record = unhex(d["signedPrekey"], SIGNED_PREKEY_LEN)
        try:
            pk = verify_signed_prekey(record, public)
            if (pk["createdAt"], pk["notAfter"]) != (d["prekeyCreatedAt"], d["prekeyNotAfter"]):
                problems.append("prekey times")
            if pk["x25519Public"] != xpub:
                problems.append("prekey public in record")
        except ValueError as e:
            problems.append("signedPrekey does not verify (%s)" % e)
        if sign_prekey(seed, xpub, d["prekeyCreatedAt"], d["prekeyNotAfter"]) != record:
            problems.append("re-signed prekey bytes differ")
        results.append((name, "identity", problems))
    sn_problems = []
    for pair in data["safetyNumbers"]:
        if safety_number(fps[pair["first"]], fps[pair["second"]]) != pair["number"]:
            sn_problems.append("safetyNumber %d,%d" % (pair["first"], pair["second"]))
    if not data["safetyNumbers"]:
        sn_problems.append("no safety numbers")
    results.append(("identity/safety-numbers", "identity", sn_problems))
    if not data["refusedPrekeys"]:
        results.append(("identity/refused-prekeys", "identity", ["no refused prekeys"]))
    for r in data["refusedPrekeys"]:
        signer, _ = sodium.crypto_sign_seed_keypair(unhex(data["devices"][r["signer"]]["ed25519Seed"], 32))
        try:
            verify_signed_prekey(unhex(r["signedPrekey"], SIGNED_PREKEY_LEN), signer)
            outcome = "accepted"
        except ValueError as e:
            outcome = str(e)
        results.append(("identity/" + r["label"], "identity", [] if outcome == r["expect"] else
                        ["expected %s, got %s" % (r["expect"], outcome)]))
    return results


def canonical_request(r, device_hex):
    """SPEC.md, "Request authentication": METHOD \n TARGET \n TIMESTAMP \n NONCE \n DEVICE \n hex(SHA-256(body))."""
    return ("%s\n%s\n%d\n%s\n%s\n%s" % (r["method"].upper(), r["target"], r["timestamp"], r["nonce"], device_hex,
                                        tohex(sha256(unhex(r["body"]))))).encode("ascii")


def check_request(path):
    """request.json: a signed request, then a request session (SPEC.md, "Request sessions")."""
    import base64
    data = json.load(open(path, encoding="utf-8"))
    seed = unhex(data["deviceEd25519Seed"], 32)
    public, _ = sodium.crypto_sign_seed_keypair(seed)
    dev = device_id(public)
    problems = []
    if tohex(dev) != data["deviceId"]:
        problems.append("deviceId")
    signed = data["signed"]
    if tohex(sha256(unhex(signed["request"]["body"]))) != signed["request"]["bodySha256"]:
        problems.append("bodySha256")
    canonical = canonical_request(signed["request"], data["deviceId"])
    if tohex(ctx_input("relais/v1/request", canonical)) != signed["signedMessage"]:
        problems.append("signedMessage")
    signature = base64.b64decode(signed["signature"], validate=True)
    if not ed25519_verify(public, "relais/v1/request", canonical, signature):
        problems.append("signature does not verify")
    if ed25519_sign(seed, "relais/v1/request", canonical) != signature:
        problems.append("re-signed signature differs")
    results = [("request/signed", "signature", problems)]

    s, problems = data["session"], []
    d_secret, r_secret = unhex(s["deviceEphemeralSecret"], 32), unhex(s["relayEphemeralSecret"], 32)
    d_public, r_public = sodium.crypto_scalarmult_base(d_secret), sodium.crypto_scalarmult_base(r_secret)
    if tohex(d_public) != s["deviceEphemeralPublic"] or tohex(r_public) != s["relayEphemeralPublic"]:
        problems.append("ephemeral public keys")
    shared = sodium.crypto_scalarmult(d_secret, r_public)
    if shared != sodium.crypto_scalarmult(r_secret, d_public) or tohex(shared) != s["sharedSecret"]:
        problems.append("shared secret")
    key = hkdf_sha256(shared, unhex(s["sessionId"], 16), ctx_input("relais/v1/session-key", dev + d_public + r_public), 32)
    if tohex(key) != s["sessionKey"]:
        problems.append("sessionKey")
    message = ctx_input("relais/v1/request-mac", canonical_request(s["request"], data["deviceId"]))
    if tohex(message) != s["macMessage"]:
        problems.append("macMessage")
    if base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode("ascii") != s["mac"]:
        problems.append("mac")
    results.append(("request/session", "session", problems))
    return results


def check_two_keys(path):
    """One ciphertext that authenticates under two keys (XChaCha20-Poly1305 is not key-committing)."""
    v = json.load(open(path, encoding="utf-8"))
    problems = []
    for key, plain in (("key1", "plaintext1"), ("key2", "plaintext2")):
        try:
            opened = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
                unhex(v["ciphertext"]), unhex(v["associatedData"]), unhex(v["nonce"]), unhex(v[key]))
        except Exception:
            problems.append("does not open under " + key)
            continue
        if opened != unhex(v[plain]):
            problems.append(plain)
    return [("aead/xchacha20poly1305-two-keys", "opens under both keys", problems)]


def cmd_check_vectors(args):
    passed = failed = 0

    def report(ok, name, expect, extra=""):
        nonlocal passed, failed
        if ok:
            passed += 1
            print("ok %s %s" % (name, expect))
        else:
            failed += 1
            print("FAIL %s %s %s" % (name, expect, extra))

    identity = os.path.join(args.dir, "identity.json")
    for name, expect, problems in check_identity(identity):
        report(not problems, name, expect, ", ".join(problems))
    for name, expect, problems in check_request(os.path.join(args.dir, "request.json")):
        report(not problems, name, expect, ", ".join(problems))

    for name, expect, problems in check_two_keys(os.path.join(args.dir, "aead", "xchacha20poly1305-two-keys.json")):
        report(not problems, name, expect, ", ".join(problems))

    for path in sorted(glob.glob(os.path.join(args.dir, "envelope", "*.json"))):
        v = json.load(open(path, encoding="utf-8"))
        try:
            got, problems, _detail = run_vector(v)
        except ValueError as e:
            report(False, v.get("name", path), v.get("expect"), "bad vector file: %s" % e)
            continue
        ok = got == v["expect"] and not problems
        report(ok, v["name"], v["expect"], "got %s %s" % (got, ", ".join(problems)))

    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def cmd_open(args):
    v = json.load(open(args.file, encoding="utf-8"))
    got, problems, detail = run_vector(v)
    print("expected: %s" % v["expect"])
    print("got:      %s%s" % (got, " (%s)" % detail if detail else ""))
    for p in problems:
        print("mismatch: %s" % p)
    return 0 if got == v["expect"] and not problems else 1


def example_referral(consent_id, now):
    """A synthetic orientation (no real person), sorted keys, no insignificant whitespace."""
    doc = {
        "attachments": [],
        "consent": {"id": tohex(consent_id), "kind": "consent"},
        "createdAt": now,
        "freeText": "Orientation de test (interop PyNaCl) ; aucune donnée réelle.",
        "kind": "orientation",
        "needs": ["emergencyShelter", "legalHelp"],
        "person": {
            "administrativeStatus": "unknown",
            "ageBand": "from18to24",
            "casePseudonym": "CASE-INTEROP-0001",
            "interpreterNeeded": False,
            "languages": ["fr"],
            "minorStatus": "adult",
        },
        "safety": {"dangerLevel": 1, "safeToCall": True},
        "schemaVersion": 1,
        "sender": {"name": "Interop PyNaCl", "role": "test"},
    }
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def cmd_seal(args):
    now = int(time.time())
    sender_seed, recipient_seed = os.urandom(32), os.urandom(32)
    sender_public, _ = sodium.crypto_sign_seed_keypair(sender_seed)
    recipient_public, _ = sodium.crypto_sign_seed_keypair(recipient_seed)
    sender_id, recipient_id = device_id(sender_public), device_id(recipient_public)

    x_secret = os.urandom(32)
    x_public = sodium.crypto_scalarmult_base(x_secret)
    signed_prekey = sign_prekey(recipient_seed, x_public, now - 60, now + 7 * 86400)

    consent_id = os.urandom(16)
    referral = example_referral(consent_id, now)
    recipients = [{"deviceId": recipient_id, "orgId": os.urandom(16),
                   "identityPublic": recipient_public, "signedPrekey": signed_prekey}]
    envelope = seal_envelope(sender_seed, recipients, referral, 1, consent_id, now + 14 * 86400, now)

    # self-check: open as the recipient
    res = open_envelope(envelope, recipient_id, {prekey_id(x_public): x_secret},
                        {sender_id: sender_public}, now)
    assert res["referral"] == referral and res["senderDeviceId"] == sender_id
    assert res["signedRecipients"] == [recipient_id]

    vector = {
        "name": "pynacl-sealed",
        "description": "Sealed by Protocol/interop/relais_pynacl.py with PyNaCl.",
        "expect": "success",
        "now": now,
        "opener": {"deviceId": tohex(recipient_id),
                   "prekeys": [{"prekeyId": tohex(prekey_id(x_public)), "x25519Secret": tohex(x_secret)}]},
        "senders": [{"deviceId": tohex(sender_id), "ed25519Public": tohex(sender_public)}],
        "envelope": tohex(envelope),
        "referral": referral.decode("utf-8"),
        "signedRecipients": [tohex(recipient_id)],
        "senderDeviceId": tohex(sender_id),
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(vector, f, indent=2, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    print("sealed %d bytes (size class %d) for 1 recipient; self-open ok; wrote %s"
          % (len(envelope), res["header"]["sizeClass"], args.out))
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check-vectors", help="check identity.json and envelope/*.json in DIR")
    p.add_argument("dir")
    p.set_defaults(func=cmd_check_vectors)
    p = sub.add_parser("seal", help="seal a fresh envelope into a vector-shaped file")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_seal)
    p = sub.add_parser("open", help="open one vector-shaped file")
    p.add_argument("file")
    p.set_defaults(func=cmd_open)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
