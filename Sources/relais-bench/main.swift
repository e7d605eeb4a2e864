// relais-bench: throughput of Envelope.seal / Envelope.open for a 4 KiB referral, measured in the
// same process as the raw libsodium primitives they are built from, so that the ratio between the
// two does not depend on the machine (issue 2). Build and run with scripts/bench-envelope.sh.
//
// Nothing secret is printed: no keys, no referral, no envelope bytes. Only timings and sizes.
import CSodium
import Foundation
import RelaisCore
import RelaisCrypto

// MARK: - Arguments

let usage = """
    usage: relais-bench [--seconds N] [--rounds R] [--breakdown]
      --seconds N  time budget per measurement, in seconds (default 1.0)
      --rounds R   the budget is split into R interleaved rounds; the fastest round is reported (default 5)
      --breakdown  also time the RelaisCrypto/RelaisCore steps seal is made of, to see where its time goes
    """

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("relais-bench: \(message)\n\(usage)\n".utf8))
    exit(2)
}

var budgetSeconds = 1.0
var rounds = 5
var breakdown = false
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--seconds":
        guard let v = arguments.popFirst().flatMap(Double.init), v > 0, v.isFinite else { fail("--seconds needs a positive number") }
        budgetSeconds = v
    case "--rounds":
        guard let v = arguments.popFirst().flatMap(Int.init), v >= 1 else { fail("--rounds needs a positive integer") }
        rounds = v
    case "--breakdown":
        breakdown = true
    case "-h", "--help":
        print(usage)
        exit(0)
    default:
        fail("unknown argument \(argument)")
    }
}

guard sodium_init() >= 0 else { fail("sodium_init failed") }

// MARK: - Timing

/// Keeps a result alive so the optimiser cannot drop the work that produced it.
@inline(never) @_optimize(none)
func blackHole<T>(_ value: T) { _ = value }

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

struct Measurement {
    let name: String
    let body: () -> Void
    /// Seconds per operation of each round.
    var perOp: [Double] = []
}

/// Runs `body` until `budget` has elapsed (at least once) and returns seconds per operation.
/// Reading the clock costs tens of nanoseconds, negligible beside operations of microseconds.
func timeRound(_ body: () -> Void, budget: Duration) -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    let deadline = start + budget
    var n = 0
    var now = start
    repeat {
        body()
        n += 1
        now = clock.now
    } while now < deadline
    return (now - start).seconds / Double(n)
}

// MARK: - Raw libsodium fixtures
// Plain C buffers, so that the raw figures carry no Swift array or wrapper overhead.

func randomBuffer(_ count: Int) -> UnsafeMutablePointer<UInt8> {
    let p = UnsafeMutablePointer<UInt8>.allocate(capacity: count)
    randombytes_buf(p, count)
    return p
}

let boxPK = randomBuffer(Int(crypto_box_publickeybytes()))
let boxSK = randomBuffer(Int(crypto_box_secretkeybytes()))
precondition(crypto_box_keypair(boxPK, boxSK) == 0)
let key32 = randomBuffer(32)                         // what seal wraps: a 32-byte content key
let boxed80 = randomBuffer(32 + Int(crypto_box_sealbytes()))
let unboxed32 = randomBuffer(32)
precondition(crypto_box_seal(boxed80, key32, 32, boxPK) == 0)

let signPK = randomBuffer(Int(crypto_sign_publickeybytes()))
let signSK = randomBuffer(Int(crypto_sign_secretkeybytes()))
precondition(crypto_sign_keypair(signPK, signSK) == 0)
let message4K = randomBuffer(4096)
let signature = randomBuffer(Int(crypto_sign_bytes()))
precondition(crypto_sign_detached(signature, nil, message4K, 4096, signSK) == 0)

let aeadKey = randomBuffer(Int(crypto_aead_xchacha20poly1305_ietf_keybytes()))
let aeadNonce = randomBuffer(Int(crypto_aead_xchacha20poly1305_ietf_npubbytes()))
let plain8K = randomBuffer(8192)
let cipher8K = randomBuffer(8192 + Int(crypto_aead_xchacha20poly1305_ietf_abytes()))
let decrypted8K = randomBuffer(8192)
var cipherLength: UInt64 = 0
var plainLength: UInt64 = 0
let tag = UInt64(crypto_aead_xchacha20poly1305_ietf_abytes())
// Separate 4 KiB ciphertext so that the decrypt row authenticates what it decrypts.
let cipher4K = randomBuffer(4096 + Int(crypto_aead_xchacha20poly1305_ietf_abytes()))
precondition(crypto_aead_xchacha20poly1305_ietf_encrypt(cipher4K, &cipherLength, plain8K, 4096, nil, 0, nil, aeadNonce, aeadKey) == 0)

// MARK: - Relais fixtures

let clock = SystemClock()
let rng = SystemRandom()
let now = clock.now()
let sender = DeviceIdentity.generate(using: rng)
let organisation = OrganisationID.random(using: rng)
let consent = ConsentReference(kind: .consent, id: ConsentID.random(using: rng))

struct Recipient {
    let device: RecipientDevice
    let prekey: X25519PrivateKey
}

/// 16 recipient devices, each with a prekey valid from a minute ago for a week.
let recipients: [Recipient] = (0..<16).map { _ in
    let identity = DeviceIdentity.generate(using: rng)
    let prekey = X25519PrivateKey.generate(using: rng)
    let signed = SignedPrekey.sign(publicKey: prekey.publicKey, identity: identity,
                                   createdAt: now - 60, notAfter: now + 7 * 86_400)
    return Recipient(device: RecipientDevice(organisationID: organisation, prekey: signed), prekey: prekey)
}

/// 4096 bytes of JSON-shaped ASCII. Seal treats the referral as opaque bytes: only its length matters.
let referral: [UInt8] = {
    let head = Array(#"{"schema":1,"kind":"benchmark","note":""#.utf8)
    let tail = Array(#""}"#.utf8)
    return head + [UInt8](repeating: UInt8(ascii: "x"), count: 4096 - head.count - tail.count) + tail
}()
precondition(referral.count == 4096)

func sealEnvelope(for count: Int) -> SealedEnvelope {
    do {
        return try Envelope.seal(referral: referral, from: sender, to: recipients.prefix(count).map(\.device),
                                 consent: consent, expiresAt: clock.now() + 86_400, clock: clock, rng: rng)
    } catch {
        fatalError("seal failed: \(error)")
    }
}

/// Opens as the first recipient (open scans the stanzas; which one does not change the cost measurably).
func openEnvelope(_ envelope: SealedEnvelope) -> OpenedEnvelope {
    let me = recipients[0]
    do {
        return try Envelope.open(envelope.bytes, as: me.device.deviceID,
                                 prekeys: { $0 == me.device.prekey.prekeyID ? me.prekey : nil },
                                 senders: { $0 == sender.deviceID ? sender.publicIdentity : nil },
                                 clock: clock)
    } catch {
        fatalError("open failed: \(error)")
    }
}

let recipientCounts = [1, 4, 16]
let sealedSamples = Dictionary(uniqueKeysWithValues: recipientCounts.map { ($0, sealEnvelope(for: $0)) })
for n in recipientCounts {   // a broken round trip must not produce figures
    precondition(openEnvelope(sealedSamples[n]!).referralBytes == referral, "round trip failed for \(n) recipients")
}

// MARK: - Measurements

var measurements: [Measurement] = [
    Measurement(name: "libsodium crypto_box_seal 32 B") {
        precondition(crypto_box_seal(boxed80, key32, 32, boxPK) == 0)
    },
    Measurement(name: "libsodium crypto_box_seal_open 80 B") {
        precondition(crypto_box_seal_open(unboxed32, boxed80, 80, boxPK, boxSK) == 0)
    },
    Measurement(name: "libsodium crypto_sign_detached 4 KiB") {
        precondition(crypto_sign_detached(signature, nil, message4K, 4096, signSK) == 0)
    },
    Measurement(name: "libsodium crypto_sign_verify_detached 4 KiB") {
        precondition(crypto_sign_verify_detached(signature, message4K, 4096, signPK) == 0)
    },
    Measurement(name: "libsodium xchacha20poly1305 encrypt 4 KiB") {
        precondition(crypto_aead_xchacha20poly1305_ietf_encrypt(cipher8K, &cipherLength, plain8K, 4096, nil, 0, nil, aeadNonce, aeadKey) == 0)
    },
    Measurement(name: "libsodium xchacha20poly1305 decrypt 4 KiB") {
        precondition(crypto_aead_xchacha20poly1305_ietf_decrypt(decrypted8K, &plainLength, nil, cipher4K, 4096 + tag, nil, 0, aeadNonce, aeadKey) == 0)
    },
    // A 4 KiB referral plus its framing and signature is padded to the next size class, 8 KiB:
    // this is the AEAD seal and open really run.
    Measurement(name: "libsodium xchacha20poly1305 encrypt 8 KiB") {
        precondition(crypto_aead_xchacha20poly1305_ietf_encrypt(cipher8K, &cipherLength, plain8K, 8192, nil, 0, nil, aeadNonce, aeadKey) == 0)
    },
]
for n in recipientCounts {
    measurements.append(Measurement(name: "Envelope.seal 4 KiB, \(n) recipient\(n == 1 ? "" : "s")") { blackHole(sealEnvelope(for: n)) })
}
for n in recipientCounts {
    let envelope = sealedSamples[n]!
    measurements.append(Measurement(name: "Envelope.open 4 KiB, \(n) recipient\(n == 1 ? "" : "s")") { blackHole(openEnvelope(envelope)) })
}

// The steps of Envelope.seal for one recipient, through the same public API seal calls, to show
// what it costs beyond crypto_box_seal + crypto_sign_detached.
var breakdownNames: [String] = []
if breakdown {
    let recipient = recipients[0].device
    let contentKey = SecretBytes(rng.bytes(32))
    let envelopeID = EnvelopeID.random(using: rng)
    let stanza = EnvelopeHeader.Stanza(deviceID: recipient.deviceID, prekeyID: recipient.prekey.prekeyID,
                                       wrappedKey: try! SealedBox.seal(contentKey.bytes, to: recipient.prekey.publicKey, using: rng))
    func header() -> EnvelopeHeader {
        try! EnvelopeHeader(envelopeID: envelopeID, expiresAt: now + 86_400, consent: consent, sizeClass: sealedSamples[1]!.header.sizeClass,
                            recipientOrganisations: [organisation], stanzas: [stanza])
    }
    let fixedHeader = header()
    let signed = SignedReferral(envelopeID: envelopeID, headerHash: fixedHeader.hash, senderDeviceID: sender.deviceID,
                                recipients: [recipient.deviceID], referral: referral).signedBytes
    let referralSignature = sender.sign(.signedReferral, signed)
    let plaintext = SignedReferral.plaintext(signed: signed, signature: referralSignature, paddedLength: fixedHeader.paddedLength)
    precondition(plaintext.count == fixedHeader.paddedLength)
    let bodyKey = Envelope.bodyKey(contentKey: contentKey, envelopeID: envelopeID)
    let steps: [Measurement] = [
        Measurement(name: "step: SystemRandom.bytes(32)") { blackHole(rng.bytes(32)) },
        Measurement(name: "step: SecretBytes(32 B) create+free") { blackHole(SecretBytes(count: 32) { _ in }) },
        Measurement(name: "step: SealedBox.seal 32 B") {
            blackHole(try! contentKey.withUnsafeBytes { try SealedBox.seal(Array($0), to: recipient.prekey.publicKey, using: rng) })
        },
        Measurement(name: "step: EnvelopeHeader init + hash") { blackHole(header().hash) },
        Measurement(name: "step: SignedReferral.signedBytes") {
            blackHole(SignedReferral(envelopeID: envelopeID, headerHash: fixedHeader.hash, senderDeviceID: sender.deviceID,
                                     recipients: [recipient.deviceID], referral: referral).signedBytes)
        },
        Measurement(name: "step: DeviceIdentity.sign (\(signed.count + 25) B)") { blackHole(sender.sign(.signedReferral, signed)) },
        Measurement(name: "step: SignedReferral.plaintext (pad \(fixedHeader.paddedLength / 1024) KiB)") {
            blackHole(SignedReferral.plaintext(signed: signed, signature: referralSignature, paddedLength: fixedHeader.paddedLength))
        },
        // HKDF's arithmetic alone (extract + one expand block), without its SecretBytes.
        Measurement(name: "step: 2 × HMACSHA256 (HKDF compute only)") {
            let prk = HMACSHA256.authenticate(referral.prefix(32).map { $0 }, key: envelopeID.bytes)
            blackHole(HMACSHA256.authenticate(Array("relais/v1/body-key".utf8) + [1], key: prk))
        },
        Measurement(name: "step: Envelope.bodyKey (HKDF)") { blackHole(Envelope.bodyKey(contentKey: contentKey, envelopeID: envelopeID)) },
        Measurement(name: "step: XChaCha20Poly1305.seal \(plaintext.count / 1024) KiB") {
            blackHole(try! XChaCha20Poly1305.seal(plaintext, key: bodyKey, nonce: Envelope.bodyNonce, associatedData: fixedHeader.encoded))
        },
        Measurement(name: "step: Envelope.assemble (HKDF+AEAD+concat)") {
            blackHole(Envelope.assemble(header: fixedHeader, contentKey: contentKey, plaintext: plaintext))
        },
    ]
    breakdownNames = steps.map(\.name)
    measurements += steps
}

// Interleaved rounds: every operation gets a slice of each round, so a burst of load from other
// processes slows all of them alike instead of one row; the fastest round is the least disturbed.
let roundBudget = Duration.seconds(budgetSeconds / Double(rounds))
for m in measurements { _ = timeRound(m.body, budget: .seconds(min(0.2, budgetSeconds / 5))) }  // warm-up
for _ in 0..<rounds {
    for i in measurements.indices {
        measurements[i].perOp.append(timeRound(measurements[i].body, budget: roundBudget))
    }
}

// MARK: - Report

func cpuModel() -> String {
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
          let value = line.split(separator: ":", maxSplits: 1).last else { return "unknown" }
    return value.trimmingCharacters(in: .whitespaces)
}

#if arch(x86_64)
let architecture = "x86_64"
#elseif arch(arm64)
let architecture = "arm64"
#else
let architecture = "other"
#endif

func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - s.count))
    return right ? fill + s : s + fill
}

func fixed(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }

#if DEBUG
print("WARNING: debug build, figures are meaningless; build with -c release (scripts/bench-envelope.sh)")
#endif
print("relais-bench: libsodium \(String(cString: sodium_version_string())), \(architecture), "
      + "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(cpuModel())")
print("budget \(fixed(budgetSeconds, 2)) s per operation in \(rounds) interleaved rounds; fastest round shown, "
      + "spread = slowest/fastest - 1")
print("sealed size: " + recipientCounts.map { "\($0) recipient(s) \(sealedSamples[$0]!.bytes.count) B" }.joined(separator: ", "))
print("")

let nameWidth = measurements.map(\.name.count).max()! + 2
print(pad("operation", nameWidth) + pad("ops/s", 12, right: true) + pad("µs/op", 11, right: true) + pad("spread", 9, right: true))
print(String(repeating: "-", count: nameWidth + 32))
var best: [String: Double] = [:]  // µs per op
for m in measurements {
    if m.name == breakdownNames.first {
        print("-- breakdown: steps of seal(1 recipient), same API calls as Envelope.seal")
    }
    let fastest = m.perOp.min()!
    let spread = m.perOp.max()! / fastest - 1
    best[m.name] = fastest * 1e6
    print(pad(m.name, nameWidth) + pad(fixed(1 / fastest, 0), 12, right: true)
          + pad(fixed(fastest * 1e6, 2), 11, right: true) + pad(fixed(spread * 100, 1) + "%", 9, right: true))
}

// Target of issue 2: sealing for one recipient costs at most 1.5 × (one crypto_box_seal of 32 B
// + one Ed25519 signature of 4 KiB), the two primitives it cannot avoid.
let floorMicros = best["libsodium crypto_box_seal 32 B"]! + best["libsodium crypto_sign_detached 4 KiB"]!
let ratio = best["Envelope.seal 4 KiB, 1 recipient"]! / floorMicros
print("")
print("seal(1 recipient) / (box_seal 32 B + sign 4 KiB) = \(fixed(best["Envelope.seal 4 KiB, 1 recipient"]!, 2)) µs / "
      + "\(fixed(floorMicros, 2)) µs = \(fixed(ratio, 3))  (target <= 1.5: \(ratio <= 1.5 ? "target met" : "TARGET MISSED"))")
