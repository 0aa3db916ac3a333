import Foundation
import Testing
import NimbusTestSupport

/// The pairing vectors' identities, read a second time by `Oracles/identity_check.py`: a decoder written from
/// docs/pairing_protocol.md without the Swift code or `pairing_reference.py` in view. Both of those changed together
/// when the host identity grew a signer key, so agreement between them alone would not show the layout is the doc's.
@Suite struct IdentityCheckTests {
    static let script = "Tests/NimbusPairingTests/Oracles/identity_check.py"

    static func vectors() throws -> [[String: Any]] {
        let url = Repository.root.appendingPathComponent("Tests/NimbusPairingTests/PairingVectors.json")
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [[String: Any]])
    }

    static func check(_ vector: [String: Any]) throws -> [String: Any] {
        let request: [String: Any] = ["input": vector["input"] as Any, "output": vector["output"] as Any]
        return try #require(try OraclePython.json(script, request) as? [String: Any])
    }

    @Test func everyVectorsIdentitiesDecodeToItsInputs() throws {
        let vectors = try Self.vectors()
        // An empty or unreadable file must not pass by checking nothing.
        #expect(vectors.count >= 3)
        for vector in vectors {
            let label = vector["description"] as? String ?? "?"
            let input = try #require(vector["input"] as? [String: Any])
            let host = try #require(input["host"] as? [String: String])
            let device = try #require(input["device"] as? [String: String])

            let answer = try Self.check(vector)
            #expect(answer["error"] == nil, "\(label): \(answer["error"] ?? "")")
            #expect(answer["host"] as? [String: String] == [
                "key": host["key"] ?? "", "signer_key": host["signer_key"] ?? "", "name": host["name"] ?? "",
            ], "\(label)")
            #expect(answer["device"] as? [String: String] == [
                "key": device["key"] ?? "", "name": device["name"] ?? "",
            ], "\(label)")
            // The tag checks run only when the vector publishes what they need; these vectors do, so a silently
            // skipped check would be a regression in the vectors or the script.
            let checked = Set(answer["checked"] as? [String] ?? [])
            for step in ["Ta", "Tb", "host_identity", "device_identity", "host_done"] {
                #expect(checked.contains(step), "\(label): \(step) was not checked")
            }
        }
    }

    @Test func aFlippedHostConfirmCiphertextByteIsRefused() throws {
        for vector in try Self.vectors() {
            var output = try #require(vector["output"] as? [String: Any])
            var frames = try #require(output["frames"] as? [String: String])
            // host_confirm: 18-byte header, 32-byte Ta, then the sealed identity; byte 60 is inside its ciphertext.
            frames["host_confirm"] = try Self.flipping(byte: 18 + 32 + 10, of: try #require(frames["host_confirm"]))
            output["frames"] = frames
            var tampered = vector
            tampered["output"] = output

            let answer = try Self.check(tampered)
            let error = try #require(answer["error"] as? String, "\(vector["description"] ?? "?")")
            #expect(error.hasPrefix("host_confirm.aead"), "\(error)")
            #expect(answer["host"] == nil)
        }
    }

    /// `hex` with one byte's bits all inverted.
    static func flipping(byte index: Int, of hex: String) throws -> String {
        var characters = Array(hex)
        let pair = String(characters[2 * index ..< 2 * index + 2])
        let value = try #require(UInt8(pair, radix: 16))
        let flipped = Array(String(format: "%02x", value ^ 0xff))
        characters.replaceSubrange(2 * index ..< 2 * index + 2, with: flipped)
        return String(characters)
    }
}
