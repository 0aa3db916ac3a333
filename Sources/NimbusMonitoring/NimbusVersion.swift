/// A Nimbus release version (major.minor.patch), parsed from the forms Nimbus uses:
/// `Nimbus/v24.9.0-f54a03-stateofus` (REST), `v24.9.0` (release tags).
public struct NimbusVersion: Sendable, Equatable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public var patch: Int

    public init(major: Int, minor: Int, patch: Int) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// Parses a tag such as `v24.9.0` (the `v` is optional).
    public init?(tag: String) {
        let digits = tag.hasPrefix("v") ? tag.dropFirst() : Substring(tag)
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        // Digits only: `Int("+1")` would accept a sign, and tags come from the network.
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let major = Int(parts[0]), let minor = Int(parts[1]), let patch = Int(parts[2]),
            major >= 0, minor >= 0, patch >= 0
        else { return nil }
        self.init(major: major, minor: minor, patch: patch)
    }

    /// Parses `GET /eth/v1/node/version`'s `Nimbus/v24.9.0-f54a03-stateofus`.
    public init?(restVersion: String) {
        guard restVersion.hasPrefix("Nimbus/") else { return nil }
        let rest = restVersion.dropFirst("Nimbus/".count)
        guard let tag = rest.split(separator: "-").first else { return nil }
        self.init(tag: String(tag))
    }

    public static func < (lhs: NimbusVersion, rhs: NimbusVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }

    public var description: String { "v\(major).\(minor).\(patch)" }
}
