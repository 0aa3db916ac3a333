#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A buffer of secret bytes (a seed, a secret key, a processed password, a derived keystore key) that lives outside
/// Swift's copy-on-write storage, so that there is exactly one copy to wipe.
///
/// It is a class on purpose: passing it around copies the reference, never the bytes. The bytes are wiped
/// (`explicit_bzero`, which the compiler may not elide) by `wipe()` and again when the last reference goes away.
/// Where the memory comes from is the allocator's choice: the heap unless the process sets
/// `SecretBytes.defaultAllocator` (the signer sets one backed by libsodium's guarded, locked pages at start-up, and
/// then every seed, key and password this module derives lives there) or a caller passes one.
///
/// Limits, because this is Swift: bytes that a caller reads out through `withUnsafeBytes` into an `Array`, `Data` or
/// `String` are copies this type cannot reach; swift-crypto keeps its own copies of keys inside `SymmetricKey`
/// (wiped when released); registers and stack slots of the hashing code are not wiped. Strings (passwords,
/// mnemonics typed by a user) cannot be wiped at all: pass them in as briefly as possible.
public final class SecretBytes: @unchecked Sendable {
    // @unchecked: the buffer is only mutated through `withUnsafeMutableBytes` and `wipe()`, which a caller must not
    // run concurrently with readers of the same instance. Values handed out by this module are never mutated again.
    private let pointer: UnsafeMutableRawPointer
    private let allocator: any SecretAllocator

    /// The number of bytes.
    public let count: Int

    /// A zero-filled buffer of `count` bytes from `allocator`.
    public init(count: Int, allocator: any SecretAllocator = SecretBytes.defaultAllocator) {
        precondition(count >= 0, "negative secret length")
        self.count = count
        self.allocator = allocator
        // Allocators may refuse zero-length requests; one byte keeps the pointer valid and is never exposed.
        self.pointer = allocator.allocate(byteCount: max(count, 1))
        self.pointer.initializeMemory(as: UInt8.self, repeating: 0, count: max(count, 1))
    }

    /// A copy of `bytes`. The source stays the caller's to wipe (see `SecretBytes.wipe(_:)` for arrays).
    public convenience init(
        copying bytes: some Collection<UInt8>, allocator: any SecretAllocator = SecretBytes.defaultAllocator
    ) {
        self.init(count: bytes.count, allocator: allocator)
        var offset = 0
        for byte in bytes {
            pointer.storeBytes(of: byte, toByteOffset: offset, as: UInt8.self)
            offset += 1
        }
    }

    /// A buffer of `count` bytes filled by `body`, which receives the (zeroed) buffer to write into.
    public convenience init(
        count: Int, allocator: any SecretAllocator = SecretBytes.defaultAllocator,
        filling body: (UnsafeMutableRawBufferPointer) throws -> Void
    ) rethrows {
        self.init(count: count, allocator: allocator)
        try body(UnsafeMutableRawBufferPointer(start: pointer, count: count))
    }

    deinit {
        Self.zero(pointer, max(count, 1))
        allocator.deallocate(pointer, byteCount: max(count, 1))
    }

    /// Reads the secret bytes in place. Do not let the buffer escape `body`.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// Writes the secret bytes in place. Do not let the buffer escape `body`.
    public func withUnsafeMutableBytes<R, E: Error>(
        _ body: (UnsafeMutableRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        try body(UnsafeMutableRawBufferPointer(start: pointer, count: count))
    }

    /// Overwrites the bytes with zeros now (they are also wiped on release). The count stays.
    public func wipe() {
        Self.zero(pointer, max(count, 1))
    }

    /// Compares with another secret in time that depends on the lengths only, never on the contents.
    public func constantTimeEquals(_ other: SecretBytes) -> Bool {
        withUnsafeBytes { mine in other.withUnsafeBytes { theirs in ConstantTime.equals(mine, theirs) } }
    }

    /// A copy of the bytes as an ordinary array, for code that needs one (a BLS library taking `[UInt8]`).
    /// The array is a copy this type cannot wipe: wipe it with `SecretBytes.wipe(_:)` as soon as it is used.
    public func copyToArray() -> [UInt8] {
        withUnsafeBytes { Array($0) }
    }

    /// Zeroes an array in place. Copies the runtime made earlier (on growth, or copy-on-write) are out of reach.
    public static func wipe(_ array: inout [UInt8]) {
        array.withUnsafeMutableBytes { buffer in
            if let base = buffer.baseAddress { zero(base, buffer.count) }
        }
    }

    private static func zero(_ pointer: UnsafeMutableRawPointer, _ count: Int) {
        #if canImport(Glibc)
        explicit_bzero(pointer, count)
        #else
        memset_s(pointer, count, 0, count)
        #endif
    }
}

extension SecretBytes {
    private static let defaultAllocatorStorage = Mutex<any SecretAllocator>(HeapSecretAllocator())

    /// The allocator of every `SecretBytes` made without an explicit one, including all those this module makes
    /// internally (seeds, derived keys, Lamport chunks, processed passwords, keystore keys). Set it once at start-up,
    /// before any secret exists; buffers already allocated keep the allocator they came from.
    public static var defaultAllocator: any SecretAllocator {
        get { defaultAllocatorStorage.withLock { $0 } }
        set { defaultAllocatorStorage.withLock { $0 = newValue } }
    }
}

extension SecretBytes: CustomStringConvertible, CustomDebugStringConvertible {
    /// Never the bytes: only how many there are.
    public var description: String { "SecretBytes(\(count) bytes, redacted)" }
    public var debugDescription: String { description }
}

/// Where `SecretBytes` get their memory. The signer implements it over libsodium (`sodium_malloc`, `sodium_mlock`)
/// so that secrets are locked in RAM and guarded; `SecretBytes` wipes before it deallocates.
public protocol SecretAllocator: Sendable {
    /// Returns at least `byteCount` bytes (byteCount > 0), aligned for bytes. Must not fail (trap instead).
    func allocate(byteCount: Int) -> UnsafeMutableRawPointer
    /// Releases memory from `allocate`, already wiped.
    func deallocate(_ pointer: UnsafeMutableRawPointer, byteCount: Int)
}

/// Ordinary heap memory: wiped on release, but neither locked nor guarded.
public struct HeapSecretAllocator: SecretAllocator {
    public init() {}

    public func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 16)
    }

    public func deallocate(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        pointer.deallocate()
    }
}
