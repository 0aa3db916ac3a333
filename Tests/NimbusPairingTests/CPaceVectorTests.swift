import Foundation
import NimbusKeys
import NimbusPairing
import Testing

/// draft-irtf-cfrg-cpace's own vectors for CPACE-RISTR255-SHA512 (`G_Coffee25519`), from ../shared/vectors/cpace.
@Suite struct CPaceVectorTests {
    static let vectorsFile = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/vectors/cpace/testvectors.json")

    static func vectors() throws -> [String: Any] {
        let data = try Data(contentsOf: vectorsFile)  // a missing file fails: the vectors are the point
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func bytes(_ hex: Any?) throws -> [UInt8] {
        let text = try #require(hex as? String)
        return try #require(Hex.decode(text.lowercased()))
    }

    @Test func ristretto255RunMatchesTheDraft() throws {
        let v = try #require(try Self.vectors()["G_Coffee25519"] as? [String: Any])
        let prs = SecretBytes(copying: try Self.bytes(v["PRS"]))
        let ci = try Self.bytes(v["CI"])
        let sid = try Self.bytes(v["sid"])
        let a = CPaceParty(role: .initiator, prs: prs, ci: ci, sid: sid, associatedData: try Self.bytes(v["ADa"]),
                           scalar: SecretBytes(copying: try Self.bytes(v["ya"])))
        let b = CPaceParty(role: .responder, prs: prs, ci: ci, sid: sid, associatedData: try Self.bytes(v["ADb"]),
                           scalar: SecretBytes(copying: try Self.bytes(v["yb"])))
        #expect(a.share == (try Self.bytes(v["Ya"])))
        #expect(b.share == (try Self.bytes(v["Yb"])))

        let ka = try a.finish(peerShare: b.share, peerAssociatedData: b.associatedData)
        let kb = try b.finish(peerShare: a.share, peerAssociatedData: a.associatedData)
        #expect(ka.isk.copyToArray() == (try Self.bytes(v["ISK_IR"])))
        #expect(kb.isk.copyToArray() == (try Self.bytes(v["ISK_IR"])))
        #expect(ka.sidOutput == (try Self.bytes(v["sid_output_ir"])))

        let sa = try a.finishSymmetric(peerShare: b.share, peerAssociatedData: b.associatedData)
        let sb = try b.finishSymmetric(peerShare: a.share, peerAssociatedData: a.associatedData)
        #expect(sa.isk.copyToArray() == (try Self.bytes(v["ISK_SY"])))
        #expect(sb.isk.copyToArray() == (try Self.bytes(v["ISK_SY"])))
        #expect(sa.sidOutput == (try Self.bytes(v["sid_output_oc"])))
    }

    @Test func invalidElementsAreRefused() throws {
        let points = try #require(try Self.vectors()["G_Coffee25519_points"] as? [String: Any])
        let party = CPaceParty(role: .initiator, prs: SecretBytes(copying: Array("1234".utf8)), ci: [], sid: [1],
                               associatedData: [])
        let valid = try #require(points["Valid"] as? [String: Any])
        let product = try CPace.scalarMultiplyVerified(SecretBytes(copying: try Self.bytes(valid["s"])), try Self.bytes(valid["X"]))
        #expect(product.copyToArray() == (try Self.bytes(valid["G.scalar_mult_vfy(s,X)"])))
        for (name, value) in points where name.hasPrefix("Invalid") {
            #expect(throws: CPace.Failure.invalidPeerElement, "\(name)") {
                try party.finish(peerShare: try Self.bytes(value), peerAssociatedData: [])
            }
        }
        #expect(throws: CPace.Failure.invalidPeerElement) {
            try party.finish(peerShare: [UInt8](repeating: 0, count: 32), peerAssociatedData: [])  // identity
        }
        #expect(throws: CPace.Failure.invalidPeerElement) { try party.finish(peerShare: [1, 2], peerAssociatedData: []) }
        #expect(throws: Never.self) { try party.finish(peerShare: try Self.bytes(valid["X"]), peerAssociatedData: []) }
    }

    @Test func aWrongSecretGivesUnrelatedKeys() throws {
        let sid = [UInt8](repeating: 9, count: 16)
        let a = CPaceParty(role: .initiator, prs: SecretBytes(copying: Array("12345678".utf8)), ci: [1], sid: sid, associatedData: [])
        let b = CPaceParty(role: .responder, prs: SecretBytes(copying: Array("12345679".utf8)), ci: [1], sid: sid, associatedData: [])
        let c = CPaceParty(role: .responder, prs: SecretBytes(copying: Array("12345678".utf8)), ci: [1], sid: sid, associatedData: [])
        let ab = try a.finish(peerShare: b.share, peerAssociatedData: [])
        let ba = try b.finish(peerShare: a.share, peerAssociatedData: [])
        #expect(!ab.isk.constantTimeEquals(ba.isk))
        let ac = try a.finish(peerShare: c.share, peerAssociatedData: [])
        let ca = try c.finish(peerShare: a.share, peerAssociatedData: [])
        #expect(ac.isk.constantTimeEquals(ca.isk))
        // Fresh scalars each run: the same secret never gives the same share twice.
        #expect(a.share != CPaceParty(role: .initiator, prs: SecretBytes(copying: Array("12345678".utf8)), ci: [1], sid: sid, associatedData: []).share)
    }
}
