import NimbusWakuPairing
import Testing

@Suite struct WakuPairingQRTests {
    static let key = [UInt8](repeating: 7, count: 32)
    static let commitment = (0..<32).map { UInt8($0) }

    static func qr(name: String = "nimbus-gui", version: String = "0.0.0", shard: String = "10") throws
        -> WakuPairingQR
    {
        try WakuPairingQR(applicationName: name, applicationVersion: version, shardId: shard, ephemeralKey: key,
                          committedStaticKey: commitment)
    }

    /// The five fields of a valid QR, to break one at a time.
    static func fields() throws -> [String] { try qr().string.split(separator: ":").map(String.init) }

    @Test func formatsAndParsesBackToTheSameValue() throws {
        let original = try Self.qr(name: "nïmbus – gui")
        let parsed = try WakuPairingQR(parsing: original.string)
        #expect(parsed == original)
        #expect(parsed.string == original.string)
        #expect(parsed.prologue == Array(original.string.utf8))
        // Pasted with a trailing newline.
        #expect(try WakuPairingQR(parsing: " " + original.string + "\n") == original)
    }

    @Test func encodesFieldsAsPaddedBase64URL() throws {
        // "waku-noise-sessions", "0.1", "10": the padded url-safe forms js-noise writes.
        let qr = try Self.qr(name: "waku-noise-sessions", version: "0.1", shard: "10")
        #expect(qr.string.hasPrefix("d2FrdS1ub2lzZS1zZXNzaW9ucw==:MC4x:MTA=:"))
        // 0xff bytes use the url-safe characters, never '+' or '/'.
        let ff = try WakuPairingQR(applicationName: "a", applicationVersion: "b", shardId: "c",
                                   ephemeralKey: [UInt8](repeating: 0xFB, count: 32), committedStaticKey: Self.key)
        #expect(ff.string.split(separator: ":")[3].hasPrefix("-_v7"))
    }

    @Test func buildsBothContentTopicForms() throws {
        let qr = try Self.qr()
        #expect(qr.contentTopic() == "/nimbus-gui/0.0.0/wakunoise/1/sessions_shard-10/proto")
        #expect(qr.contentTopic(.autosharding) == "/nimbus-gui/0.0.0/10/proto")
    }

    @Test(arguments: [0, 1, 4, 6, 9])
    func refusesTheWrongNumberOfFields(count: Int) throws {
        let fields = try Self.fields()
        let text = (0..<count).map { fields[$0 % 5] }.joined(separator: ":")
        #expect(throws: WakuPairingError.qrFieldCount(count == 0 ? 1 : count)) { try WakuPairingQR(parsing: text) }
    }

    @Test func refusesFieldsThatAreNotCanonicalBase64URL() throws {
        let fields = try Self.fields()
        let names = ["application name", "application version", "shard id", "ephemeral key", "committed static key"]
        // Each field: drop the padding, use the standard alphabet, add a stray character, set unused bits.
        for index in 0..<5 {
            var variants: [String] = [fields[index] + "!", "*" + fields[index].dropFirst()]
            if fields[index].hasSuffix("=") {
                variants.append(String(fields[index].filter { $0 != "=" }))
                // The character before the padding carries unused low bits: 'w' -> 'x' sets one.
                var chars = Array(fields[index].filter { $0 != "=" })
                let padding = fields[index].count - chars.count
                chars[chars.count - 1] = chars[chars.count - 1] == "A" ? "B" : "x"
                variants.append(String(chars) + String(repeating: "=", count: padding))
            }
            for variant in variants {
                var broken = fields
                broken[index] = variant
                #expect(throws: WakuPairingError.qrBase64(field: names[index]), "\(variant)") {
                    try WakuPairingQR(parsing: broken.joined(separator: ":"))
                }
            }
        }
        var standard = fields
        standard[3] = standard[3].replacingOccurrences(of: "-", with: "+")
        standard[3] = "+" + standard[3].dropFirst()
        #expect(throws: WakuPairingError.qrBase64(field: "ephemeral key")) {
            try WakuPairingQR(parsing: standard.joined(separator: ":"))
        }
    }

    @Test(arguments: [0, 16, 31, 33, 64])
    func refusesKeysOfTheWrongLength(length: Int) throws {
        var fields = try Self.fields()
        let encoded = Base64Reference.encode([UInt8](repeating: 9, count: length))
        fields[3] = encoded
        #expect(throws: WakuPairingError.qrKeyLength(field: "ephemeral key", bytes: length)) {
            try WakuPairingQR(parsing: fields.joined(separator: ":"))
        }
        fields = try Self.fields()
        fields[4] = encoded
        #expect(throws: WakuPairingError.qrKeyLength(field: "committed static key", bytes: length)) {
            try WakuPairingQR(parsing: fields.joined(separator: ":"))
        }
    }

    @Test func refusesTextThatIsNotUTF8OrWouldBreakTheTopic() throws {
        for (index, name) in [(0, "application name"), (1, "application version"), (2, "shard id")] {
            for bad: [UInt8] in [[0xFF, 0xFE], Array("a/b".utf8), [0x61, 0x0A], []] {
                var fields = try Self.fields()
                fields[index] = Base64Reference.encode(bad)
                #expect(throws: WakuPairingError.qrText(field: name)) {
                    try WakuPairingQR(parsing: fields.joined(separator: ":"))
                }
            }
        }
    }

    @Test func parsesTheNametagInEitherCaseAndRefusesAnythingElse() throws {
        let tag = try MessageNametag(hex: "A3893DD090BFB615405B297C9D8E38c9")
        #expect(tag.hex == "a3893dd090bfb615405b297c9d8e38c9")
        #expect(tag.bytes.first == 0xA3)
        for bad in ["", "a3893dd090bfb615405b297c9d8e38", "a3893dd090bfb615405b297c9d8e38c9aa",
                    "g3893dd090bfb615405b297c9d8e38c9", "a3893dd090bfb615405b297c9d8e38c ",
                    "0xa3893dd090bfb615405b297c9d8e3"] {
            #expect(throws: WakuPairingError.nametagFormat, "\(bad)") { try MessageNametag(hex: bad) }
        }
    }

    @Test func descriptionsHoldNoKeys() throws {
        let qr = try Self.qr()
        let text = "\(qr) \(try MessageNametag(hex: String(repeating: "ab", count: 16)))"
        #expect(!text.contains(qr.string.split(separator: ":")[3]))
        #expect(!text.contains("abab"))
    }

}

/// An independent base64url encoder (padded) for building bad inputs: the test must not trust the encoder it tests.
enum Base64Reference {
    static func encode(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var out = ""
        for chunk in stride(from: 0, to: bytes.count, by: 3) {
            let group = Array(bytes[chunk..<min(chunk + 3, bytes.count)])
            let value = group.enumerated().reduce(0) { $0 | Int($1.element) << (16 - 8 * $1.offset) }
            for position in 0..<4 {
                out.append(position <= group.count ? alphabet[value >> (18 - 6 * position) & 63] : "=")
            }
        }
        return out
    }
}
