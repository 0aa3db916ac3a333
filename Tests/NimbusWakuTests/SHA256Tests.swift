import Crypto
import NimbusWaku
import Testing

/// The plain-Swift SHA-256 against FIPS 180-4 examples and swift-crypto.
@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
    ])
    func fipsExamples(input: String, digest: String) {
        #expect(hexString(NimbusWaku.SHA256.hash(Array(input.utf8))) == digest)
    }

    @Test func millionA() {
        #expect(
            hexString(NimbusWaku.SHA256.hash([UInt8](repeating: 0x61, count: 1_000_000)))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Every length around the block and padding boundaries, and random inputs, against swift-crypto.
    @Test func matchesSwiftCrypto() {
        var generator = SplitMix64(seed: 7)
        for length in Array(0...200) + [511, 512, 513, 1000, 4096, 65_537] {
            let input = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(NimbusWaku.SHA256.hash(input) == Array(Crypto.SHA256.hash(data: input)), "length \(length)")
        }
    }

    /// Absorbing in pieces gives the same digest as at once.
    @Test func incremental() {
        let input = (0..<300).map { UInt8($0 % 251) }
        var hasher = NimbusWaku.SHA256()
        hasher.update(input[0..<1])
        hasher.update(input[1..<64])
        hasher.update(input[64..<65])
        hasher.update(input[65...])
        #expect(hasher.finalize() == NimbusWaku.SHA256.hash(input))
    }
}
