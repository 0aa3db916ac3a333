import Foundation

/// Reads the newest Nimbus release from a release source's answer: GitHub's
/// `GET /repos/status-im/nimbus-eth2/releases/latest` (one release object) or its list form
/// `GET /repos/{owner}/{repo}/releases` (an array), or anything that answers in the same shape. Pure.
///
/// The answer comes from the network, so it is read defensively: drafts and pre-releases are never "the latest"
/// (GitHub's `latest` excludes them already, a mirror or the list form may not), and neither is a tag that is not
/// a plain `vMAJOR.MINOR.PATCH` (Nimbus's `nightly`, release candidates, anything else), because comparing the
/// node's version against it would mean nothing.
public enum LatestRelease {
    /// Why an answer gave no release.
    public struct Refused: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// Only the fields the decision needs; every other field (release notes, assets, ...) is ignored.
    private struct Release: Decodable {
        var tag_name: String?
        var draft: Bool?
        var prerelease: Bool?
    }

    /// The newest full release in `body`.
    public static func parse(_ body: [UInt8]) throws(Refused) -> NimbusVersion {
        let decoder = JSONDecoder()
        if let release = try? decoder.decode(Release.self, from: Data(body)) {
            return try version(of: release)
        }
        if let releases = try? decoder.decode([Release].self, from: Data(body)) {
            // The list is newest first on GitHub, but a mirror need not sort: take the highest full release.
            let versions = releases.compactMap { try? version(of: $0) }
            guard let newest = versions.max() else {
                throw Refused("the release list holds no full release with a vMAJOR.MINOR.PATCH tag")
            }
            return newest
        }
        throw Refused("the answer is not a release object or a list of releases (JSON with tag_name)")
    }

    private static func version(of release: Release) throws(Refused) -> NimbusVersion {
        guard let tag = release.tag_name else { throw Refused("the release has no tag_name") }
        if release.draft == true { throw Refused("release \(printable(tag)) is a draft") }
        if release.prerelease == true { throw Refused("release \(printable(tag)) is a pre-release") }
        guard let version = NimbusVersion(tag: tag) else {
            throw Refused("tag \(printable(tag)) is not a release version (vMAJOR.MINOR.PATCH)")
        }
        return version
    }

    /// A tag as it may appear in a log line: short, and only harmless characters (it comes from the network).
    static func printable(_ tag: String) -> String {
        let kept = tag.unicodeScalars.prefix(40).map { scalar -> Character in
            scalar.isASCII && (scalar.properties.isAlphabetic || scalar.properties.numericType != nil
                || "._-+".unicodeScalars.contains(scalar)) ? Character(scalar) : "?"
        }
        return "\"" + String(kept) + (tag.unicodeScalars.count > 40 ? "…" : "") + "\""
    }
}
