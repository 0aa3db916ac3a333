// The arithmetic the curve code needs from a coordinate field, so that G1 (over F_p) and G2 (over F_p2) share one
// implementation of the point formulas.

/// A finite field whose arithmetic is branch-free: safe for secret-dependent values.
protocol FieldElement: Sendable, Equatable {
    static var zero: Self { get }
    static var one: Self { get }
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    static prefix func - (a: Self) -> Self
    func squared() -> Self
    func doubled() -> Self
    /// The multiplicative inverse; zero maps to zero.
    func inverse() -> Self
    /// All ones when the element is zero, else zero.
    var isZeroMask: UInt64 { get }
    /// `b` where `mask` is all ones, `a` where it is zero.
    static func select(_ a: Self, _ b: Self, mask: UInt64) -> Self
    /// All ones when the two are equal, else zero.
    static func equalMask(_ a: Self, _ b: Self) -> UInt64
    /// The ZCash "sign" of a y coordinate: whether it is the lexicographically largest of y and -y.
    var isLexicographicallyLargest: Bool { get }
    /// A square root, or nil; public data only.
    func sqrt() -> Self?
}

extension Fp: FieldElement {}
