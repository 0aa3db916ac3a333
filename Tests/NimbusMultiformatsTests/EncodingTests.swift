import Testing
import NimbusHex

@testable import NimbusMultiformats

@Suite struct VarintTests {
    static let known: [(UInt64, [UInt8])] = [
        (0, [0x00]), (1, [0x01]), (127, [0x7F]), (128, [0x80, 0x01]), (255, [0xFF, 0x01]),
        (300, [0xAC, 0x02]), (16384, [0x80, 0x80, 0x01]),
        (Varint.maxValue, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]),
    ]

    @Test(arguments: known)
    func knownEncodings(value: UInt64, bytes: [UInt8]) throws {
        #expect(Varint.encode(value) == bytes)
        #expect(Varint.length(of: value) == bytes.count)
        let decoded = try #require(try Varint.decode(bytes + [0xAA]))
        #expect(decoded.value == value && decoded.length == bytes.count)
    }

    @Test func incompleteInputNeedsMore() throws {
        #expect(try Varint.decode([UInt8]()) == nil)
        #expect(try Varint.decode([0x80, 0x80]) == nil)
    }

    @Test func badInputsHaveClearErrors() {
        #expect(throws: VarintError.overlong) { try Varint.decode([UInt8](repeating: 0xFF, count: 10)) }
        #expect(throws: VarintError.notMinimal) { try Varint.decode([0x80, 0x00]) }
        #expect(throws: VarintError.tooLarge(value: 300, limit: 100)) { try Varint.decode([0xAC, 0x02], limit: 100) }
        // The limit applies before the varint is complete, so a huge length is refused at once.
        #expect(throws: VarintError.self) { try Varint.decode([0xFF, 0xFF, 0xFF], limit: 1000) }
        #expect(VarintError.notMinimal.description == "varint not minimally encoded")
    }

    @Test func cursorReadsAndReportsTruncation() throws {
        var cursor = ByteCursor([0xAC, 0x02, 0x01, 0x02])
        #expect(try cursor.readVarint() == 300)
        #expect(try cursor.readBigEndian(2) == 0x0102)
        #expect(cursor.isAtEnd)
        #expect(throws: ByteCursorError.truncated(needed: 1, available: 0)) { try cursor.readByte() }
    }
}

@Suite struct Base58Tests {
    @Test(arguments: [
        ("", ""), ("61", "2g"), ("626262", "a3gV"), ("636363", "aPEr"),
        ("516b6fcd0f", "ABnLTmg"), ("00000000287fb4cd", "1111233QC4"),
        ("48656c6c6f20576f726c6421", "2NEpo7TZRRrLZSi2U"),
    ])
    func vectors(hexText: String, text: String) {
        let bytes = Hex.decode(hexText)!
        #expect(Base58.encode(bytes) == text)
        #expect(Base58.decode(text) == bytes)
    }

    @Test func refusesCharactersOutsideTheAlphabet() {
        for bad in ["0", "O", "I", "l", "abc!", "é"] { #expect(Base58.decode(bad) == nil) }
        #expect(Base58.decode(String(repeating: "z", count: 300)) == nil)
    }
}

@Suite struct Base64URLTests {
    @Test(arguments: [("", ""), ("66", "Zg"), ("666f", "Zm8"), ("666f6f", "Zm9v"), ("fbff", "-_8")])
    func vectors(hexText: String, text: String) {
        let bytes = Hex.decode(hexText)!
        #expect(Base64URL.encode(bytes) == text)
        #expect(Base64URL.decode(text) == bytes)
    }

    @Test func refusesMalformedText() {
        #expect(Base64URL.decode("Z") == nil)
        #expect(Base64URL.decode("Zm+v") == nil)
        // Non-zero leftover bits have no byte string.
        #expect(Base64URL.decode("Zh") == nil)
    }

    @Test func hexRoundTrip() {
        #expect(Hex.encode([0x00, 0xAB, 0xFF]) == "00abff")
        #expect(Hex.decode("00ABff") == [0x00, 0xAB, 0xFF])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
    }
}
