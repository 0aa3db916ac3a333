import Foundation
import Testing
@testable import NimbusKeys

/// Secret-holding values never print their contents, and their buffers can be wiped.
@Suite struct SecretHandlingTests {
    static let secretHex = "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f"

    @Test func descriptionsAreRedacted() throws {
        let secret = TestSupport.secret(Self.secretHex)
        for text in ["\(secret)", String(describing: secret), String(reflecting: secret)] {
            #expect(text == "SecretBytes(32 bytes, redacted)")
        }
        let mnemonic = try Mnemonic(phrase: BadInputTests.phrase)
        for text in ["\(mnemonic)", String(reflecting: mnemonic)] {
            #expect(text == "Mnemonic(12 words, redacted)")
            #expect(!text.contains("abandon"))
        }
        let tree = try ValidatorKeyTree(seed: mnemonic.seed())
        #expect("\(tree)" == "ValidatorKeyTree(redacted)")
        #expect("\(tree.credential(validatorIndex: 4))" == "ValidatorCredential(index 4, keys redacted)")
        let key = try KeystoreDecryptionKey.derive(
            password: "pw", kdf: .random(.pbkdf2(c: 10)), allowWeakParameters: true)
        #expect("\(key)" == "KeystoreDecryptionKey(pbkdf2, redacted)")
        #expect(!String(reflecting: key).contains(Hex.encode(key.bytes.copyToArray())))
    }

    @Test func wipeZeroesInPlace() {
        let secret = TestSupport.secret(Self.secretHex)
        secret.wipe()
        #expect(secret.copyToArray() == [UInt8](repeating: 0, count: 32))
        var array = TestSupport.bytes(Self.secretHex)
        SecretBytes.wipe(&array)
        #expect(array == [UInt8](repeating: 0, count: 32))
    }

    /// A caller-supplied allocator (the signer's libsodium one) gets every allocation back, wiped.
    @Test func customAllocatorSeesWipedMemory() {
        final class Recorder: SecretAllocator, @unchecked Sendable {
            var live = 0
            var releasedClean = true
            func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
                live += 1
                return UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 16)
            }
            func deallocate(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
                let bytes = UnsafeRawBufferPointer(start: pointer, count: byteCount)
                releasedClean = releasedClean && bytes.allSatisfy { $0 == 0 }
                live -= 1
                pointer.deallocate()
            }
        }
        let recorder = Recorder()
        do {
            let secret = SecretBytes(copying: TestSupport.bytes(Self.secretHex), allocator: recorder)
            #expect(recorder.live == 1)
            #expect(secret.count == 32)
        }
        #expect(recorder.live == 0)
        #expect(recorder.releasedClean)
    }

    /// With a process-wide default allocator, the secrets the module makes internally (seed, master and child keys,
    /// Lamport chunks) come from it and go back to it wiped. Other tests running meanwhile may use it too, which
    /// keeps the property true (everything released wiped), so only lower bounds are checked.
    @Test func defaultAllocatorReceivesInternalSecrets() throws {
        final class Recorder: SecretAllocator, @unchecked Sendable {
            let lock = NSLock()
            var allocations = 0
            var releasedDirty = 0
            func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
                lock.withLock { allocations += 1 }
                return UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 16)
            }
            func deallocate(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
                let clean = UnsafeRawBufferPointer(start: pointer, count: byteCount).allSatisfy { $0 == 0 }
                lock.withLock { releasedDirty += clean ? 0 : 1 }
                pointer.deallocate()
            }
        }
        let recorder = Recorder()
        let previous = SecretBytes.defaultAllocator
        SecretBytes.defaultAllocator = recorder
        defer { SecretBytes.defaultAllocator = previous }
        do {
            let seed = try Mnemonic(phrase: BadInputTests.phrase).seed()
            let credential = try ValidatorKeyTree(seed: seed).credential(validatorIndex: 1)
            #expect(credential.signingKey.count == 32)
        }
        #expect(recorder.lock.withLock { recorder.allocations } >= 20)
        #expect(recorder.lock.withLock { recorder.releasedDirty } == 0)
    }

    @Test func constantTimeComparison() {
        let a = TestSupport.secret(Self.secretHex)
        let b = TestSupport.secret(Self.secretHex)
        let c = TestSupport.secret("01" + Self.secretHex.dropFirst(2))
        #expect(a.constantTimeEquals(b))
        #expect(!a.constantTimeEquals(c))
        #expect(!a.constantTimeEquals(SecretBytes(count: 31)))
    }

    /// Errors for every secret-bearing input name positions and fields only.
    @Test func errorsCarryNoSecrets() throws {
        let typo = BadInputTests.phrase.replacingOccurrences(of: "about", with: "zzbout")
        let mnemonicError = try #require(throws: MnemonicError.self) { try Mnemonic(phrase: typo) }
        #expect(!"\(mnemonicError)".contains("zzbout"))
        #expect(!"\(mnemonicError)".contains("abandon"))
        #expect(!String(reflecting: mnemonicError).contains("about"), "suggestions are redacted when printed")
    }
}
