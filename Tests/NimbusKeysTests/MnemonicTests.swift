import Crypto
import Foundation
import Testing
@testable import NimbusKeys

@Suite struct MnemonicTests {
    /// SHA-256 of english.txt (words joined by "\n", final "\n"), computed from the copy in the PyPI package
    /// `mnemonic` 0.21 (`mnemonic/wordlist/english.txt`); it is also the hash the BIP-39 repository lists.
    static let englishListSHA256 = "2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda"

    @Test func englishWordListMatchesTheStandardList() {
        let text = Mnemonic.englishWords.joined(separator: "\n") + "\n"
        #expect(Mnemonic.englishWords.count == 2048)
        #expect(Hex.encode(SHA256.hash(data: Array(text.utf8))) == Self.englishListSHA256)
        #expect(Mnemonic.englishWords == Mnemonic.englishWords.sorted())
        #expect(Mnemonic.englishPrefixIndex.count == Mnemonic.englishWords.filter { $0.count >= 4 }.count)
    }

    /// Every English vector: entropy → words, words → entropy, seed with passphrase "TREZOR".
    @Test func englishVectors() throws {
        let vectors = try #require(try TestSupport.vectorJSON("bip39/mnemonic.json") as? [String: [[String]]])
        let english = try #require(vectors["english"])
        #expect(english.count == 24)
        for vector in english {
            let entropy = TestSupport.secret(vector[0])
            let fromEntropy = try Mnemonic(entropy: entropy)
            #expect(fromEntropy.words.joined(separator: " ") == vector[1])
            let parsed = try Mnemonic(phrase: vector[1])
            #expect(parsed.entropy.copyToArray() == TestSupport.bytes(vector[0]))
            #expect(parsed.seed(passphrase: "TREZOR").copyToArray() == TestSupport.bytes(vector[2]))
        }
    }

    /// Every other language's vector through the list-independent seed function (only English lists are built in:
    /// the seed of a BIP-39 phrase does not depend on its list).
    @Test func otherLanguageSeeds() throws {
        let vectors = try #require(try TestSupport.vectorJSON("bip39/mnemonic.json") as? [String: [[String]]])
        var checked = 0
        for (language, cases) in vectors where language != "english" {
            for vector in cases {
                let seed = Mnemonic.seed(unvalidatedPhrase: vector[1], passphrase: "TREZOR")
                #expect(seed.copyToArray() == TestSupport.bytes(vector[2]), "\(language)")
                checked += 1
            }
        }
        #expect(checked == 184)
    }

    @Test(arguments: Mnemonic.allowedWordCounts)
    func generatedMnemonicsRoundTrip(wordCount: Int) throws {
        var generator = SeededGenerator(seed: UInt64(wordCount))
        for _ in 0..<20 {
            let mnemonic = try Mnemonic.generate(wordCount: wordCount, using: &generator)
            #expect(mnemonic.wordCount == wordCount)
            let again = try Mnemonic(phrase: mnemonic.words.joined(separator: " "))
            #expect(again.entropy.constantTimeEquals(mnemonic.entropy))
        }
    }

    @Test func acceptsCaseWhitespaceAndFourLetterAbbreviations() throws {
        let phrase = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
        let reference = try Mnemonic(phrase: phrase).seed().copyToArray()
        let messy = "  ABANDON\tabandon\nAban abandon abandon abandon abandon abandon abandon abandon abandon abou \n"
        #expect(try Mnemonic(phrase: messy).seed().copyToArray() == reference)
    }

    @Test func systemRandomMnemonicsDiffer() throws {
        let first = try Mnemonic.generate()
        let second = try Mnemonic.generate()
        #expect(first.wordCount == 24)
        #expect(!first.entropy.constantTimeEquals(second.entropy))
    }
}
