import Crypto
import _CryptoExtras
import Foundation

/// A BIP-39 mnemonic in the English word list, held as its entropy (the words are derived from it on demand).
///
/// A mnemonic is the root secret of every validator key: its description is redacted, its errors never quote a
/// word, and its entropy lives in `SecretBytes`. The words themselves, once asked for, are Swift strings that
/// cannot be wiped: ask for them only to show them to the user.
public struct Mnemonic: Sendable {
    /// The entropy (16, 20, 24, 28 or 32 bytes) from which the words and their checksum come.
    public let entropy: SecretBytes

    /// The word counts BIP-39 allows: 3 words per 32 bits of entropy.
    public static let allowedWordCounts = [12, 15, 18, 21, 24]

    /// The mnemonic for `entropy` (128 to 256 bits, a multiple of 32). The entropy is copied.
    public init(entropy: SecretBytes) throws(MnemonicError) {
        guard [16, 20, 24, 28, 32].contains(entropy.count) else {
            throw .invalidEntropyLength(bits: entropy.count * 8)
        }
        self.entropy = SecretBytes(count: entropy.count) { out in
            entropy.withUnsafeBytes { out.copyMemory(from: $0) }
        }
    }

    /// A new mnemonic of `wordCount` words from the system's cryptographic random source.
    public static func generate(wordCount: Int = 24) throws(MnemonicError) -> Mnemonic {
        var generator = SystemRandomNumberGenerator()
        return try generate(wordCount: wordCount, using: &generator)
    }

    /// A new mnemonic of `wordCount` words from `generator`, which must be cryptographically secure.
    public static func generate(
        wordCount: Int, using generator: inout some RandomNumberGenerator
    ) throws(MnemonicError) -> Mnemonic {
        guard allowedWordCounts.contains(wordCount) else { throw .wrongWordCount(wordCount) }
        let entropy = SecretBytes(count: wordCount / 3 * 4) { out in
            for index in out.indices { out[index] = generator.next() }
        }
        return try Mnemonic(entropy: entropy)
    }

    /// Parses and checks a phrase typed or pasted by a user: words separated by any white space, any case;
    /// a word may be given by its first four letters, which BIP-39 makes unique.
    ///
    /// Errors say which positions are wrong and never quote a word (see `MnemonicError`).
    public init(phrase: String) throws(MnemonicError) {
        let indices = try Self.wordIndices(of: phrase)
        let totalBits = indices.count * 11
        let checksumBits = totalBits / 33
        let entropyBytes = (totalBits - checksumBits) / 8
        // Unpack the 11-bit word indices into entropy || checksum, most significant bit first.
        let packed = SecretBytes(count: (totalBits + 7) / 8) { out in
            var bitPosition = 0
            for index in indices {
                for bit in (0..<11).reversed() where (index >> bit) & 1 == 1 {
                    out[(bitPosition + 10 - bit) / 8] |= 0x80 >> UInt8((bitPosition + 10 - bit) % 8)
                }
                bitPosition += 11
            }
        }
        let entropy = SecretBytes(count: entropyBytes) { out in
            packed.withUnsafeBytes { out.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[0..<entropyBytes])) }
        }
        let given = packed.withUnsafeBytes { $0[entropyBytes] } >> UInt8(8 - checksumBits)
        guard Self.checksum(of: entropy) == given else { throw .badChecksum }
        self.entropy = entropy
    }

    /// The number of words.
    public var wordCount: Int { entropy.count * 3 / 4 }

    /// The words, in order. These are Swift strings that cannot be wiped: use them to show the mnemonic only.
    public var words: [String] { wordIndices.map { Self.englishWords[$0] } }

    /// The word indices (0..<2048), derived from the entropy and its checksum.
    var wordIndices: [Int] {
        let checksumBits = entropy.count / 4
        let checksum = Self.checksum(of: entropy)
        return entropy.withUnsafeBytes { bytes in
            func bit(_ position: Int) -> Int {
                if position < bytes.count * 8 { return Int(bytes[position / 8] >> UInt8(7 - position % 8)) & 1 }
                return Int(checksum >> UInt8(checksumBits - 1 - (position - bytes.count * 8))) & 1
            }
            return (0..<wordCount).map { word in
                (0..<11).reduce(0) { value, offset in value << 1 | bit(word * 11 + offset) }
            }
        }
    }

    /// The 512-bit BIP-39 seed: PBKDF2-HMAC-SHA512, 2048 rounds, over the NFKD phrase with the salt
    /// "mnemonic" + NFKD(passphrase).
    public func seed(passphrase: String = "") -> SecretBytes {
        // English words are ASCII, so the phrase needs no normalisation; build it in secret memory.
        let indices = wordIndices
        let length = indices.reduce(indices.count - 1) { $0 + Self.englishWords[$1].utf8.count }
        let phrase = SecretBytes(count: length) { out in
            var offset = 0
            for (position, index) in indices.enumerated() {
                if position > 0 { out[offset] = UInt8(ascii: " "); offset += 1 }
                for byte in Self.englishWords[index].utf8 { out[offset] = byte; offset += 1 }
            }
        }
        return phrase.withUnsafeBytes { Self.pbkdf2Seed(password: $0, passphrase: passphrase) }
    }

    /// The BIP-39 seed of any phrase, without checking it against a word list or its checksum: for mnemonics in
    /// other BIP-39 languages (their seeds do not depend on the list). Prefer `Mnemonic(phrase:).seed(...)`.
    public static func seed(unvalidatedPhrase phrase: String, passphrase: String = "") -> SecretBytes {
        var normalised = Array(phrase.decomposedStringWithCompatibilityMapping.utf8)
        defer { SecretBytes.wipe(&normalised) }
        return normalised.withUnsafeBytes { pbkdf2Seed(password: $0, passphrase: passphrase) }
    }

    private static func pbkdf2Seed(password: UnsafeRawBufferPointer, passphrase: String) -> SecretBytes {
        let salt = Array(("mnemonic" + passphrase).decomposedStringWithCompatibilityMapping.utf8)
        // BIP-39 fixes 2048 rounds, far below swift-crypto's floor for password hashing: hence the unchecked call.
        let key: SymmetricKey
        do {
            key = try KDF.Insecure.PBKDF2.deriveKey(
                from: password, salt: salt, using: .sha512, outputByteCount: 64, unsafeUncheckedRounds: 2048)
        } catch {
            preconditionFailure("PBKDF2-HMAC-SHA512 with fixed valid parameters failed")
        }
        return SecretBytes(count: 64) { out in key.withUnsafeBytes { out.copyMemory(from: $0) } }
    }

    /// The checksum bits (the first entropy-bits/32 bits of SHA-256 of the entropy), right-aligned.
    static func checksum(of entropy: SecretBytes) -> UInt8 {
        let first = entropy.withUnsafeBytes { SHA256.hash(data: $0).withUnsafeBytes { $0[0] } }
        return first >> UInt8(8 - entropy.count / 4)
    }
}

extension Mnemonic: CustomStringConvertible, CustomDebugStringConvertible {
    /// Never the words: only how many there are.
    public var description: String { "Mnemonic(\(wordCount) words, redacted)" }
    public var debugDescription: String { description }
}
