import NimbusKeys
import NimbusSecureMemory
import Testing

@Suite struct SodiumSecretAllocatorTests {
    let allocator = SodiumSecretAllocator()

    @Test func secretsLiveInSodiumMemoryAndKeepTheirBytes() {
        let secret = SecretBytes(copying: [1, 2, 3, 4, 5], allocator: allocator)
        #expect(secret.copyToArray() == [1, 2, 3, 4, 5])
        secret.withUnsafeMutableBytes { $0[2] = 9 }
        #expect(secret.copyToArray() == [1, 2, 9, 4, 5])
        secret.wipe()
        #expect(secret.copyToArray() == [0, 0, 0, 0, 0])
    }

    @Test func constantTimeComparisonAcrossAllocators() {
        let a = SecretBytes(copying: [9, 9, 9], allocator: allocator)
        let b = SecretBytes(copying: [9, 9, 9], allocator: HeapSecretAllocator())
        let c = SecretBytes(copying: [9, 9, 8], allocator: allocator)
        #expect(a.constantTimeEquals(b))
        #expect(!a.constantTimeEquals(c))
        #expect(!a.constantTimeEquals(SecretBytes(count: 2, allocator: allocator)))
    }

    @Test func theGuardMachineryWorksHere() {
        let pointer = allocator.allocate(byteCount: 32)
        #expect(allocator.protectRoundTrip(pointer))
        allocator.deallocate(pointer, byteCount: 32)
    }

    @Test func keyDerivationMatchesOnEitherMemory() throws {
        let seed = SecretBytes(copying: [UInt8](repeating: 7, count: 32), allocator: allocator)
        let heapSeed = SecretBytes(copying: [UInt8](repeating: 7, count: 32), allocator: HeapSecretAllocator())
        let sodiumKey = try ValidatorKeyTree(seed: seed).credential(validatorIndex: 1).signingKey
        let heapKey = try ValidatorKeyTree(seed: heapSeed).credential(validatorIndex: 1).signingKey
        #expect(sodiumKey.constantTimeEquals(heapKey))
        #expect("\(sodiumKey)" == "SecretBytes(32 bytes, redacted)")
    }
}
