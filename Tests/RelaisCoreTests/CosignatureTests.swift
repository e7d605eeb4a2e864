import Foundation
import RelaisCore
import RelaisCrypto
import RelaisVectors
import Testing

/// Witness cosignatures (SPEC.md, "Witnesses"; c2sp.org/tlog-cosignature and tlog-witness):
/// `Protocol/vectors/cosignature.json` read from the committed file, re-signed byte for byte; the
/// C2SP examples; the k-of-n rule; and the witness's decision on add-checkpoint requests.
@Suite("Cosignatures and witnesses")
struct CosignatureTests {
    static func vector() throws -> CosignatureVector {
        try JSONDecoder().decode(CosignatureVector.self, from: Data(contentsOf: protocolVectors.appendingPathComponent("cosignature.json")))
    }

    static func caseName(_ error: AuditLogError) -> String {
        switch error {
        case .badSignature: "badSignature"
        case .malformedNote: "malformedNote"
        case .tooFewCosignatures: "tooFewCosignatures"
        default: "\(error)"
        }
    }

    @Test func theVectorReSignsByteForByteAndVerifies() throws {
        let v = try Self.vector()
        let key = try Ed25519PrivateKey(seed: try #require(Hex.decode(v.witness.seed)))
        let witness = try CosignerKey(parsing: v.witness.verifierKey)
        #expect(witness.name == v.witness.name && Hex.encode(witness.keyID.bigEndianBytes) == v.witness.keyId)
        #expect(witness.publicKey == key.publicKey && Hex.encode(key.publicKey.bytes) == v.witness.publicKey)
        #expect(witness.encoded == v.witness.verifierKey)
        // The key id of type 0x04, computed here by hand from the spec's formula.
        let digest = SHA256.hash(Array(v.witness.name.utf8) + [0x0A, 0x04] + key.publicKey.bytes)
        #expect(Hex.encode(Array(digest.prefix(4))) == v.witness.keyId)
        let log = try CheckpointVerifierKey(parsing: v.logVerifierKey)
        let checkpoint = try Checkpoint.verify(note: v.logNote, verifier: log)
        #expect(Array(v.signedMessage.utf8) == Array("cosignature/v1\ntime \(v.timestamp)\n".utf8) + Array(checkpoint.body.utf8))
        let cosignature = try Cosignature.sign(body: checkpoint.body, name: witness.name, key: key, timestamp: v.timestamp)
        #expect(cosignature.line == v.cosignatureLine, "Ed25519 is deterministic: the line is reproduced byte for byte")
        #expect(v.cosignedNote == v.logNote + v.cosignatureLine)
        // The line decodes to key id ‖ big-endian timestamp ‖ signature over the message.
        let raw = try #require(Base64.decode(String(v.cosignatureLine.dropFirst(2 + witness.name.count + 1).dropLast())))
        #expect(raw.count == 4 + 8 + 64 && Hex.encode(Array(raw.prefix(4))) == v.witness.keyId)
        #expect(raw[4..<12].reduce(UInt64(0)) { $0 << 8 | UInt64($1) } == v.timestamp)
        #expect(key.publicKey.isValidSignature(Array(raw[12...]), for: Array(v.signedMessage.utf8)))
        // The cosigned note still verifies by the log key (the cosignature is a line it ignores), and by the policy.
        #expect(try Checkpoint.verify(note: v.cosignedNote, verifier: log) == checkpoint)
        #expect(try WitnessPolicy(witnesses: [witness], required: 1).verify(note: v.cosignedNote) == [witness])
        // The add-checkpoint request parses back to the proof that links size 4 to size 8.
        let request = try AddCheckpointRequest(parsing: Array(v.addCheckpointRequest.utf8))
        #expect(request.oldSize == 4 && request.note == v.logNote && request.encoded == Array(v.addCheckpointRequest.utf8))
        var tree = MerkleTree()
        for hex in ["", "00", "10", "2021"] { _ = tree.append(entry: try #require(Hex.decode(hex))) }
        try Checkpoint(origin: log.name, size: 4, root: tree.root).verifyExtended(by: checkpoint, proof: request.proof)
    }

    @Test func refusedCosignaturesAreRefusedWithTheirCase() throws {
        let v = try Self.vector()
        let policy = try WitnessPolicy(witnesses: [try CosignerKey(parsing: v.witness.verifierKey)], required: 1)
        let log = try CheckpointVerifierKey(parsing: v.logVerifierKey)
        #expect(v.refused.count == 8)
        for r in v.refused {
            // The log's own signature is intact in every one of them.
            _ = try Checkpoint.verify(note: r.note, verifier: log)
            do {
                try policy.verify(note: r.note)
                Issue.record("\(r.label) was accepted")
            } catch {
                #expect(Self.caseName(error) == r.expect, "\(r.label): \(error)")
            }
        }
        #expect(throws: AuditLogError.self) { _ = try CosignerKey(parsing: v.refusedVerifierKey) }
        // And a witness key is not a log key.
        #expect(throws: AuditLogError.self) { _ = try CheckpointVerifierKey(parsing: v.witness.verifierKey) }
    }

    /// c2sp.org/tlog-cosignature's example: its witness line decodes to a key id, the timestamp of
    /// its example message (1679315147) and a 64-byte signature; its note parses with both lines,
    /// and a policy of another witness finds no cosignature in it. (The spec publishes no witness
    /// public key, so its signature cannot be checked.)
    @Test func theC2SPExampleParses() throws {
        let note = """
            example.com/behind-the-sofa
            20852163
            CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

            — example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=
            — witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==

            """
        let parsed = try CheckpointNote(parsing: note)
        #expect(parsed.signatures.count == 2)
        let cosignature = try Cosignature(parsed.signatures[1])
        #expect(cosignature.name == "witness.example.com/w1" && cosignature.timestamp == 1_679_315_147 && cosignature.signature.count == 64)
        #expect(Array(Cosignature.message(body: parsed.text, timestamp: cosignature.timestamp)) == Array("""
            cosignature/v1
            time 1679315147
            example.com/behind-the-sofa
            20852163
            CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

            """.utf8), "the spec's example message")
        let stranger = try CosignerKey(name: "witness.example.com/w1", publicKey: Ed25519PrivateKey.generate().publicKey)
        #expect(try parsed.cosignatures(by: [stranger]).isEmpty, "another key's id: ignored")
        // tlog-witness's add-checkpoint example body parses: old 20852014, four proof lines, the note.
        let body = """
            old 20852014
            PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=
            jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=
            5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=
            /6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=

            example.com/behind-the-sofa
            20852163
            CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

            — example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=
            — example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=

            """
        let request = try AddCheckpointRequest(parsing: Array(body.utf8))
        #expect(request.oldSize == 20_852_014 && request.proof.count == 4 && request.encoded == Array(body.utf8))
    }

    @Test(arguments: [
        ("old 01\n\nx", "leading zero"), ("old -1\n\nx", "sign"), ("old 4\n", "no blank line"), ("ol 4\n\nx", "no old line"),
        ("old 4\nAAAA\n\nx", "short hash"), ("old 18446744073709551616\n\nx", "beyond 64 bits"),
    ])
    func malformedRequestsAre400(_ body: String, _ label: String) {
        #expect(throws: WitnessRefusal.self, "\(label)") { _ = try AddCheckpointRequest(parsing: Array(body.utf8)) }
        let tooMany = "old 4\n" + String(repeating: Base64.encode([UInt8](repeating: 1, count: 32)) + "\n", count: 64) + "\n"
        #expect(throws: WitnessRefusal.malformed("64 proof lines, at most 63")) { _ = try AddCheckpointRequest(parsing: Array(tooMany.utf8)) }
    }

    @Test func thePolicyCountsDistinctKnownWitnesses() throws {
        let v = try Self.vector()
        let log = try CheckpointVerifierKey(parsing: v.logVerifierKey)
        let body = try Checkpoint.verify(note: v.logNote, verifier: log).body
        let keys = (0..<3).map { _ in Ed25519PrivateKey.generate() }
        let witnesses = try keys.enumerated().map { try CosignerKey(name: "w\($0.offset).example", publicKey: $0.element.publicKey) }
        let lines = try keys.enumerated().map { try Cosignature.sign(body: body, name: "w\($0.offset).example", key: $0.element, timestamp: 1_800_000_000).line }
        let twoOfThree = try WitnessPolicy(witnesses: witnesses, required: 2)
        #expect(try twoOfThree.verify(note: v.logNote + lines[0] + lines[2]) == [witnesses[0], witnesses[2]])
        #expect(throws: AuditLogError.tooFewCosignatures(required: 2, got: 1, witnesses: 3)) { try twoOfThree.verify(note: v.logNote + lines[1]) }
        // An unknown witness's valid cosignature counts for nothing.
        let stranger = Ed25519PrivateKey.generate()
        let strangerLine = try Cosignature.sign(body: body, name: "w9.example", key: stranger, timestamp: 1).line
        #expect(throws: AuditLogError.tooFewCosignatures(required: 2, got: 1, witnesses: 3)) { try twoOfThree.verify(note: v.logNote + lines[1] + strangerLine) }
        #expect(throws: AuditLogError.self) { _ = try WitnessPolicy(witnesses: witnesses, required: 4) }
        #expect(throws: AuditLogError.self) { _ = try WitnessPolicy(witnesses: witnesses, required: 0) }
        #expect(throws: AuditLogError.self) { _ = try WitnessPolicy(witnesses: [witnesses[0], witnesses[0]], required: 1) }
        #expect(throws: AuditLogError.self) { _ = try Cosignature.sign(body: body, name: "w", key: stranger, timestamp: 0) }
    }

    // MARK: the witness's decision

    struct Log {
        var key = Ed25519PrivateKey.generate()
        var tree = MerkleTree()
        var verifier: CheckpointVerifierKey { try! CheckpointVerifierKey(name: "relais.log/test", publicKey: key.publicKey) }
        mutating func grow(_ n: Int) { for _ in 0..<n { _ = tree.append(entry: Array(UUID().uuidString.utf8)) } }
        func note(_ size: UInt64? = nil) throws -> String {
            try Checkpoint(origin: verifier.name, size: size ?? tree.size, root: tree.root(size: size ?? tree.size)).signedNote(name: verifier.name, key: key)
        }
    }

    @Test func theWitnessCosignsOnlyConsistentExtensions() throws {
        var log = Log()
        var latest: Checkpoint?
        func decide(_ old: UInt64, _ proof: [[UInt8]], _ note: String, logs: [CheckpointVerifierKey]? = nil) -> WitnessDecision {
            let d = WitnessDecision.decide(AddCheckpointRequest(oldSize: old, proof: proof, note: note), logs: logs ?? [log.verifier]) { _ in latest }
            if d.refusal == nil { latest = d.checkpoint }
            return d
        }
        log.grow(5)
        #expect(decide(0, [], try log.note()).refusal == nil)
        log.grow(3)
        #expect(decide(0, [], try log.note()).refusal == .conflict(latestSize: 5), "409 with the size it has")
        let good = decide(5, try log.tree.consistencyProof(from: 5, to: 8), try log.note())
        #expect(good.refusal == nil && latest?.size == 8)
        #expect(decide(8, [], try log.note()).refusal == nil, "the same checkpoint again is cosigned again")
        // A fork: same size, another root, correctly signed.
        var fork = Log(key: log.key, tree: MerkleTree())
        fork.grow(8)
        let sameSize = decide(8, [], try fork.note())
        #expect(sameSize.refusal?.status == 422 && sameSize.isEvidence)
        fork.grow(2)
        let larger = decide(8, try fork.tree.consistencyProof(from: 8, to: 10), try fork.note())
        #expect(larger.refusal?.status == 422 && larger.isEvidence)
        // A rollback: an older genuine checkpoint.
        let back = decide(8, [], try log.note(5))
        #expect(back.refusal == .oldSizeBeyondCheckpoint(oldSize: 8, size: 5) && back.isEvidence)
        #expect(decide(5, [], try log.note(5)).isEvidence, "409, and evidence all the same")
        // Not signed by the log, or an unknown log.
        let stranger = Log()
        #expect(decide(8, [], try stranger.note()).refusal?.status == 403)
        #expect(decide(8, [], try log.note(), logs: []).refusal == .unknownLog(origin: "relais.log/test"))
        #expect(decide(9, [], try log.note()).refusal?.status == 400)
        #expect(latest?.size == 8 && latest?.root == log.tree.root, "nothing refused changed the state")
    }

    @Test func anEmptyTreeMustHaveTheEmptyRoot() throws {
        let log = Log()
        let bad = try Checkpoint(origin: log.verifier.name, size: 0, root: [UInt8](repeating: 7, count: 32)).signedNote(name: log.verifier.name, key: log.key)
        let d = WitnessDecision.decide(AddCheckpointRequest(oldSize: 0, proof: [], note: bad), logs: [log.verifier]) { _ in nil }
        #expect(d.refusal?.status == 422)
        let good = WitnessDecision.decide(AddCheckpointRequest(oldSize: 0, proof: [], note: try log.note()), logs: [log.verifier]) { _ in nil }
        #expect(good.refusal == nil)
        let proofFromZero = WitnessDecision.decide(AddCheckpointRequest(oldSize: 0, proof: [MerkleHashing.emptyRoot], note: try log.note()),
                                                   logs: [log.verifier]) { _ in nil }
        #expect(proofFromZero.refusal?.status == 422)
    }
}
