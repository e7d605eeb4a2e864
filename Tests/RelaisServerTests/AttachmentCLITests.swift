import Foundation
import RelaisClient
import RelaisCore
import RelaisCrypto
import Testing

/// Attachments (issue 16, SPEC.md "Attachments") through the real binary and a live relay: sent
/// inside the seal, saved with sanitised names, never overwriting, mode 0600; oversized files and
/// refused types stop the send before anything leaves.
extension CLITests {
    static let pdfBytes = Data("%PDF-1.7\n% CONTENU-SECRET-PDF\n".utf8) + Data((0..<1_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
    static let pngBytes = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data((0..<600).map { UInt8(truncatingIfNeeded: $0 &* 13) })
    static let elfBytes = Data([0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0]) + Data((0..<64).map { UInt8(truncatingIfNeeded: 0x80 | $0) })

    /// Writes `data` as `name` in a fresh folder of the world; returns its path.
    func file(_ w: World, _ name: String, _ data: Data) throws -> String {
        let folder = w.cli.root + "/fichiers"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/" + name
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Runs in French and requires success.
    func fr(_ w: World, _ profile: String, _ args: [String]) async throws -> CLI.Result {
        let r = try await w.cli.run(profile, args, environment: ["LC_ALL": "fr_FR.UTF-8"])
        try #require(r.status == 0, "relais \(args.joined(separator: " ")) exited \(r.status): \(r.err)")
        return r
    }

    static func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test func aPDFAndAPNGArriveByteForByteAndAreSavedPrivately() async throws {
        try await withWorld { w in
            let pdf = try file(w, "attestation.pdf", Self.pdfBytes), png = try file(w, "plan.png", Self.pngBytes)
            let envelope = try await w.cli.ok("pro", CLI.sendArgs(to: w.association, consent: w.consent) + ["--attach", pdf, "--attach", png])
                .string("envelopeId")
            // Sealed: the relay's bytes do not show the file.
            let assoc = try LocalDevice.open(directory: w.cli.root + "/assoc1", passphrase: SecretBytes(Array(CLI.passphrase.utf8)))
            let sealed = try await assoc.client.fetch(EnvelopeID(hex: envelope)!)
            #expect(Data(sealed).range(of: Data("CONTENU-SECRET".utf8)) == nil && Data(sealed).range(of: Data("%PDF".utf8)) == nil)

            // Without --save: names, types and sizes only, never the content.
            let listed = try await fr(w, "assoc1", ["open", envelope])
            #expect(listed.out.contains("Pièce jointe : attestation.pdf (application/pdf, 1,1 ko)"), "\(listed.out)")
            #expect(listed.out.contains("Pièce jointe : plan.png (image/png, 608 octets)"), "\(listed.out)")
            let json = try await w.cli.ok("assoc1", ["open", envelope, "--json"])
            for output in [listed.out, listed.err, json.out, json.err] {
                #expect(!output.contains("CONTENU-SECRET") && !output.contains(Self.pdfBytes.base64EncodedString().prefix(40)))
            }
            let attachments = try #require(try json.json()["attachments"] as? [[String: Any]])
            #expect(attachments.map { $0["filename"] as? String } == ["attestation.pdf", "plan.png"])
            #expect(attachments.map { $0["size"] as? Int } == [Self.pdfBytes.count, Self.pngBytes.count])
            #expect(attachments.allSatisfy { $0["data"] == nil && $0["typeMismatch"] as? Bool == false })

            // --save into a folder that does not exist yet: created 0700, files 0600, the same bytes.
            let folder = w.cli.root + "/reçu/orientation"
            let saved = try await fr(w, "assoc1", ["open", envelope, "--save", folder])
            #expect(saved.out.contains("enregistrée : \(folder)/attestation.pdf"), "\(saved.out)")
            #expect(try Self.mode(folder) == 0o700)
            for (name, bytes) in [("attestation.pdf", Self.pdfBytes), ("plan.png", Self.pngBytes)] {
                #expect(FileManager.default.contents(atPath: folder + "/" + name) == bytes, "\(name)")
                #expect(try Self.mode(folder + "/" + name) == 0o600)
            }
            // Saved again: nothing is overwritten, the copies get « (2) ».
            try Data("à moi".utf8).write(to: URL(fileURLWithPath: folder + "/plan (2).png"))
            let again = try await w.cli.ok("assoc1", ["open", envelope, "--save", folder, "--json"])
            let second = try #require(try again.json()["attachments"] as? [[String: Any]]).compactMap { $0["savedAs"] as? String }
            #expect(second == [folder + "/attestation (2).pdf", folder + "/plan (3).png"])
            #expect(FileManager.default.contents(atPath: folder + "/plan.png") == Self.pngBytes)
            #expect(FileManager.default.contents(atPath: folder + "/plan (2).png") == Data("à moi".utf8), "an existing file is never overwritten")
            #expect(FileManager.default.contents(atPath: folder + "/plan (3).png") == Self.pngBytes)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).count == 5)

            // The summary before sending names each file, its type and size, never its content.
            let summary = try await w.cli.run("pro", CLI.sendArgs(to: w.association, consent: w.consent).filter { $0 != "--json" }
                                              + ["--attach", pdf], environment: ["LC_ALL": "fr_FR.UTF-8"])
            #expect(summary.status == 0, "\(summary.err)")
            #expect(summary.err.contains("    Pièce jointe : attestation.pdf (application/pdf, 1,1 ko)"), "\(summary.err)")
            #expect(!summary.err.contains("CONTENU-SECRET") && !summary.out.contains("CONTENU-SECRET"))
        }
    }

    @Test func hostileNamesAreSavedUnderPlainNamesInTheFolder() async throws {
        try await withWorld { w in
            // A modified sender, through the library: names a client would never write.
            let device = try proDevice(w)
            let subject = try device.consent(ConsentID(hex: w.consent)!).record.subjectPseudonym
            let names = ["../../etc/passwd", "a/b", "..", ".bashrc", "rapport\u{202E}fdp.exe", "nul\u{0}octet.txt", "deux\nlignes.txt",
                         String(repeating: "n", count: 250) + ".txt", "C:\\x", "a/b"]
            let referral = Referral(
                kind: .orientation, needs: [.emergencyShelter],
                person: .init(subjectPseudonym: subject, ageBand: .unknown, minorStatus: .adult, languages: ["fr"], interpreterNeeded: false,
                              administrativeStatus: .unknown),
                safety: .init(dangerLevel: 0, safeToCall: true),
                attachments: names.enumerated().map { i, n in
                    .init(filename: n, mediaType: i == 3 ? "image/png" : "text/plain", data: Data("pièce \(i)\n".utf8))
                },
                consent: w.consentReference, sender: .init(name: "Test", role: "test"), createdAt: UInt64(Date().timeIntervalSince1970))
            let sealed = try await device.send(try await device.plan(referral: referral, to: [OrganisationID(hex: w.association)!], lifetime: 86_400))
            let envelope = sealed.header.envelopeID.hex

            let box = w.cli.root + "/boite"
            let folder = box + "/recu"
            let r = try await fr(w, "assoc1", ["open", envelope, "--save", folder])
            let expected = ["_._etc_passwd", "a_b", "piece-jointe", "bashrc", "rapport_fdp.exe", "nul_octet.txt", "deux_lignes.txt",
                            String(repeating: "n", count: 116) + ".txt", "C__x", "a_b (2)"]
            #expect(Set(try FileManager.default.contentsOfDirectory(atPath: folder)) == Set(expected))
            #expect(try FileManager.default.contentsOfDirectory(atPath: box) == ["recu"], "nothing written outside the folder")
            #expect(!FileManager.default.fileExists(atPath: w.cli.root + "/etc/passwd"))
            for (i, name) in expected.enumerated() {
                #expect(FileManager.default.contents(atPath: folder + "/" + name) == Data("pièce \(i)\n".utf8), "\(name)")
                #expect(try Self.mode(folder + "/" + name) == 0o600)
            }
            // The terminal sees plain names, and the one attachment whose bytes are not its declared type is flagged.
            #expect(!r.out.unicodeScalars.contains("\u{202E}") && !r.out.unicodeScalars.contains("\u{0}"))
            #expect(r.out.contains("Pièce jointe : _._etc_passwd (text/plain, 9 octets)"), "\(r.out)")
            #expect(r.out.contains("Attention : la pièce jointe « bashrc » est déclarée image/png, mais son contenu est text/plain"), "\(r.out)")
            #expect(r.out.components(separatedBy: "Attention : la pièce jointe").count == 2, "only that one")
        }
    }

    @Test func anOversizedAttachmentIsRefusedNamingTheLimitAndNothingIsSent() async throws {
        try await withWorld { w in
            let big = try file(w, "dossier.pdf", Data("%PDF-1.7\n".utf8) + Data(count: Referral.Attachment.maxTotalBytes))
            let r = try await w.cli.run("pro", CLI.sendArgs(to: w.association, consent: w.consent) + ["--attach", big],
                                        environment: ["LC_ALL": "fr_FR.UTF-8"])
            #expect(r.status == 64, "\(r.err)")
            #expect(r.err.contains("pièces jointes trop volumineuses : 3,1 Mo au moins, la limite est de 3 Mo en tout"), "\(r.err)")
            // Two files under the limit each, above it together; in English too.
            let half = Data("%PDF-1.7\n".utf8) + Data(count: 1_600_000)
            let a = try file(w, "a.pdf", half), b = try file(w, "b.pdf", half)
            let en = try await w.cli.run("pro", CLI.sendArgs(to: w.association, consent: w.consent) + ["--attach", a, "--attach", b],
                                         environment: ["LC_ALL": "C", "LANG": "C"])
            #expect(en.status == 64, "\(en.err)")
            #expect(en.err.contains("attachments too large: at least 3.3 MB, the limit is 3 MB in all"), "\(en.err)")
            #expect(try await w.cli.inbox("assoc1").isEmpty, "nothing was sent")
        }
    }

    @Test func aTypeOutsideTheListNeedsAllowAnyType() async throws {
        try await withWorld { w in
            // An executable named like a PDF: the bytes decide.
            let tool = try file(w, "facture.pdf", Self.elfBytes)
            let refused = try await w.cli.run("pro", CLI.sendArgs(to: w.association, consent: w.consent) + ["--attach", tool],
                                              environment: ["LC_ALL": "fr_FR.UTF-8"])
            #expect(refused.status == 64, "\(refused.err)")
            #expect(refused.err.contains("« \(tool) » n'est ni un PDF, ni une image (PNG, JPEG, WebP, HEIC), ni un texte UTF-8"), "\(refused.err)")
            #expect(try await w.cli.inbox("assoc1").isEmpty, "nothing was sent")
            let alone = try await w.cli.run("pro", CLI.sendArgs(to: w.association, consent: w.consent) + ["--allow-any-type"])
            #expect(alone.status == 64, "--allow-any-type without --attach: \(alone.err)")

            let envelope = try await w.cli.ok("pro", CLI.sendArgs(to: w.association, consent: w.consent) + ["--attach", tool, "--allow-any-type"])
                .string("envelopeId")
            let folder = w.cli.root + "/recu"
            let opened = try await w.cli.ok("assoc1", ["open", envelope, "--save", folder, "--json"])
            let attachment = try #require((try opened.json()["attachments"] as? [[String: Any]])?.first)
            #expect(attachment["mediaType"] as? String == "application/octet-stream")
            #expect(attachment["typeMismatch"] as? Bool == false, "application/octet-stream claims nothing")
            #expect(FileManager.default.contents(atPath: folder + "/facture.pdf") == Self.elfBytes)
        }
    }
}
