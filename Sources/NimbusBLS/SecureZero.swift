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

/// An optimisation barrier: after this call the compiler must assume that the memory at `pointer` may have changed,
/// so it cannot use what it knew about those bytes (for instance that each is a mask of all ones or all zeros, which
/// lets it turn a masked select back into a branch). The address goes to the C library's zeroing primitive with a
/// length of zero: no effect, but opaque to the optimiser.
@inline(__always)
func hideFromOptimizer(_ pointer: UnsafeMutableRawPointer) {
    secureZero(pointer, count: 0)
}
