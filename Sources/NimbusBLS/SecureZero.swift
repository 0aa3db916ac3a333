// Zeroing memory in a way the optimiser may not remove (a plain store before deallocation is a dead store).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Overwrites `count` bytes with zeros through the C library's non-elidable primitive.
func secureZero(_ pointer: UnsafeMutableRawPointer, count: Int) {
    #if canImport(Glibc)
    explicit_bzero(pointer, count)
    #elseif canImport(Darwin)
    _ = memset_s(pointer, count, 0, count)
    #else
    for index in 0..<count { pointer.storeBytes(of: 0, toByteOffset: index, as: UInt8.self) }
    #endif
}
