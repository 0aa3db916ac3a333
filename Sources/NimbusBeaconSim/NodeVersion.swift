/// The version a simulated binary claims to be, in Nimbus's formats.
///
/// Nimbus builds `fullVersionStr` as "v" + major.minor.build + "-" + the first six hex digits of the git revision +
/// "-stateofus". The simulator takes both parts from flags so that an upgrade test can run "v24.9.0" and then
/// "v24.10.0" of the same executable.
public struct NodeVersion: Sendable, Equatable {
    /// "24.9.0".
    public var number: String
    /// The git revision (at least six hex digits; only the first six are shown, as Nimbus does).
    public var commit: String

    /// The version Nimbus v24.9.0 reports (the one the brief quotes).
    public static let `default` = NodeVersion(number: "24.9.0", commit: "f54a0366a")

    /// A version; `number` without the leading "v".
    public init(number: String, commit: String) {
        self.number = number.hasPrefix("v") ? String(number.dropFirst()) : number
        self.commit = commit.lowercased()
    }

    /// The short commit (six hex digits).
    public var shortCommit: String { String(commit.prefix(6)) }

    /// "v24.9.0-f54a03-stateofus".
    public var full: String { "v\(number)-\(shortCommit)-stateofus" }

    /// "Nimbus/v24.9.0-f54a03-stateofus": the REST `node/version` answer and default graffiti.
    public var agent: String { "Nimbus/\(full)" }

    /// The spec version the banner names (Nimbus v24.9.0 targets consensus specs v1.5.0-alpha.6).
    public static let specVersion = "1.5.0-alpha.6"

    /// What `--version` prints: client id, copyright, blank, spec, blank, the Nim compiler banner.
    public var banner: String {
        [
            "Nimbus beacon node \(full)",
            "Copyright (c) 2019-2024 Status Research & Development GmbH",
            "",
            "eth2 specification v\(Self.specVersion)",
            "",
            "Nim Compiler Version 2.0.10 [Linux: amd64]",
        ].joined(separator: "\n")
    }

    /// Whether `text` is a usable version number ("24.9.0": three dot-separated integers).
    public static func isValidNumber(_ text: String) -> Bool {
        let parts = (text.hasPrefix("v") ? String(text.dropFirst()) : text).split(
            separator: ".", omittingEmptySubsequences: false)
        return parts.count == 3 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }

    /// Whether `text` is a usable commit (six or more hex digits).
    public static func isValidCommit(_ text: String) -> Bool {
        text.count >= 6 && text.allSatisfy(\.isHexDigit)
    }
}
