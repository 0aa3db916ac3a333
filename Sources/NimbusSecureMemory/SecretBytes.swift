import CNimbusSodium

/// Secret bytes (a seed, a mnemonic, a secret key, a password) in memory that libsodium guards: surrounded by
/// inaccessible pages, locked against swapping where the memlock limit allows, and wiped when released.
///
/// What this does not cover, and the docs say so: copies a caller makes into ordinary Swift arrays or strings
/// (wipe those with `SecretBytes.wipe(_:)` as soon as possible), CPU registers, and the kernel's own buffers.
public final class SecretBytes: @unchecked Sendable {
    /// Why a secure allocation failed.
    public struct AllocationFailure: Error, CustomStringConvertible {
        public var description: String { "cannot allocate locked memory for a secret (libsodium)" }
    }

    public let count: Int
    private let pointer: UnsafeMutableRawPointer

    /// A zero-filled secret of `count` bytes.
    public init(count: Int) throws(AllocationFailure) {
        guard nm_sodium_init() == 0, let region = nm_secure_alloc(max(count, 1)) else { throw AllocationFailure() }
        nm_secure_zero(region, max(count, 1))
        self.count = count
        pointer = region
    }

    /// Moves `bytes` into guarded memory and wipes the source array.
    public convenience init(consuming bytes: inout [UInt8]) throws(AllocationFailure) {
        try self.init(count: bytes.count)
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { pointer.copyMemory(from: base, byteCount: source.count) }
        }
        Self.wipe(&bytes)
    }

    deinit {
        nm_secure_free(pointer)
    }

    /// Reads the secret. Do not let the buffer escape the closure.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// Writes the secret in place.
    public func withUnsafeMutableBytes<R, E: Error>(
        _ body: (UnsafeMutableRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        try body(UnsafeMutableRawBufferPointer(start: pointer, count: count))
    }

    /// Compares in constant time (for equal lengths).
    public func constantTimeEquals(_ other: SecretBytes) -> Bool {
        count == other.count && nm_secure_compare(pointer, other.pointer, count) == 0
    }

    /// Zeroes an ordinary array in a way the optimiser may not remove, then empties it.
    public static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { buffer in
            if let base = buffer.baseAddress { nm_secure_zero(base, buffer.count) }
        }
        bytes.removeAll()
    }
}

extension SecretBytes: CustomStringConvertible, CustomDebugStringConvertible {
    /// Never the bytes: a secret must not reach a log line or an error message by interpolation.
    public var description: String { "<secret: \(count) bytes>" }
    public var debugDescription: String { description }
}
