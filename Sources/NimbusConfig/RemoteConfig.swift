import TOMLKit

/// `nimbus remote`'s own configuration, `config.toml` in its config directory (docs/cli.md): so far, which Waku
/// service nodes it reaches hosts through. Strict like the daemon's: an unknown key or a wrong type is an error that
/// names the file and the key.
public struct RemoteConfig: Sendable, Equatable {
    /// `[waku] bootstrap`: service nodes' multiaddrs, with `/p2p/<peer id>` (default: The Waku Network's fleet).
    public var wakuBootstrap: [String]?

    public init() {}

    /// Parses TOML text. `source` names the file in error messages.
    public init(toml text: String, source: String) throws(NodeManagerConfig.Invalid) {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw NodeManagerConfig.Invalid("\(source):\(error.source.begin.line):\(error.source.begin.column): \(error.description)")
        } catch {
            throw NodeManagerConfig.Invalid("\(source): \(error)")
        }
        var reader = TableReader(table: table, path: "", source: source)
        if var waku = try reader.table("waku") {
            wakuBootstrap = try waku.strings("bootstrap")
            if let bootstrap = wakuBootstrap, let bad = bootstrap.first(where: { !$0.hasPrefix("/") || !$0.contains("/p2p/") }) {
                throw NodeManagerConfig.Invalid(
                    "\(source): [waku] bootstrap entries are multiaddrs ending in /p2p/<peer id>, not \"\(bad.prefix(80))\"")
            }
            try waku.rejectUnknown()
        }
        try reader.rejectUnknown()
    }
}
