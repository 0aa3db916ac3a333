import CNimbusSodium
import NimbusKeys

/// Memory for `NimbusKeys.SecretBytes` from libsodium: each secret sits in its own allocation between guard pages
/// (an overrun faults instead of reading a neighbour), locked in RAM where the memlock limit allows (never written
/// to swap), and excluded from core dumps. The signer and the offline signer install it as
/// `SecretBytes.defaultAllocator` before any secret exists.
///
/// Cost: one mmap per secret (a few pages each), so it is for the key material of a process that holds keys, not
/// for bulk data.
public struct SodiumSecretAllocator: SecretAllocator {
    public init() {
        precondition(nm_sodium_init() == 0, "libsodium failed to initialise")
    }

    public func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        guard let pointer = nm_secure_alloc(byteCount) else {
            // No quiet fallback to ordinary memory for a secret: stop, and the supervisor says how the role died.
            fatalError("cannot allocate guarded memory for a secret")
        }
        return pointer
    }

    public func deallocate(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        // sodium_free wipes again and unlocks; SecretBytes has already wiped.
        nm_secure_free(pointer)
    }

    /// Whether `pointer` (from `allocate`) can be made inaccessible and accessible again: a check that the guard
    /// machinery works on this kernel.
    public func protectRoundTrip(_ pointer: UnsafeMutableRawPointer) -> Bool {
        nm_secure_protect(pointer, 0) == 0 && nm_secure_protect(pointer, 2) == 0
    }
}
