import NimbusKeccak
import Testing
@testable import NimbusKeys

@Suite struct AddressTests {
    /// Keccak-256 digests: the empty string and "abc" are the well-known values; the rest (around the 136-byte
    /// rate, and a multi-block input) were computed with pycryptodome's keccak (digest_bits=256).
    @Test(arguments: [
        ([UInt8](), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"),
        (Array("abc".utf8), "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"),
        ([UInt8](repeating: 0x61, count: 135), "34367dc248bbd832f4e3e69dfaac2f92638bd0bbd18f2912ba4ef454919cf446"),
        ([UInt8](repeating: 0x61, count: 136), "a6c4d403279fe3e0af03729caada8374b5ca54d8065329a3ebcaeb4b60aa386e"),
        ([UInt8](repeating: 0x61, count: 137), "d869f639c7046b4929fc92a4d988a8b22c55fbadb802c0c66ebcd484f1915f39"),
        (Array((0..<768).map { UInt8($0 % 256) }), "00e77ce2c4f77212a0d5df106b08157b77058479357a98a6039b457c469723e4"),
    ])
    func keccakVectors(message: [UInt8], digest: String) {
        #expect(Hex.encode(Keccak256.hash(message)) == digest)
    }

    /// EIP-55's own examples: mixed case, and addresses whose checksum happens to be all caps or all lower case.
    @Test(arguments: [
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
        "0x52908400098527886E0F7030069857D2E4169EE7", "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77", "0x27b1fdb04752bbc536007a920d24acb045561c26",
    ])
    func eip55Examples(text: String) throws {
        let address = try ExecutionAddress(parsing: text)
        #expect(address.checksummed == text)
        let lower = "0x" + text.dropFirst(2).lowercased()
        #expect(try ExecutionAddress(parsing: lower, requireChecksum: false) == address)
    }

    @Test func badChecksumIsCaught() {
        // One letter's case flipped.
        #expect(throws: AddressError.badChecksum) {
            try ExecutionAddress(parsing: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD")
        }
        // A digit changed keeps the case pattern but not the checksum.
        #expect(throws: AddressError.badChecksum) {
            try ExecutionAddress(parsing: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAee")
        }
        #expect(throws: AddressError.missingChecksum) {
            try ExecutionAddress(parsing: "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")
        }
        #expect(throws: AddressError.missingPrefix) {
            try ExecutionAddress(parsing: "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
        }
        #expect(throws: AddressError.wrongLength(hexDigits: 38)) {
            try ExecutionAddress(parsing: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA")
        }
        #expect(throws: AddressError.notHex) {
            try ExecutionAddress(parsing: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg")
        }
    }

    @Test func surroundingWhitespaceIsIgnored() throws {
        #expect(try ExecutionAddress(parsing: " 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\n").checksummed
            == "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
    }
}
