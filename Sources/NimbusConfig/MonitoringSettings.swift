/// What the network role's monitor needs beyond the nodes: where to learn the latest Nimbus release, how often, and
/// the restart alert's window. Passed to the role as JSON (`--monitoring`); `docs/configuration.md` has the keys.
public struct MonitoringSettings: Sendable, Equatable, Codable {
    /// Nimbus's releases on GitHub: the newest full release (GitHub leaves drafts and pre-releases out).
    public static let defaultReleaseURL = "https://api.github.com/repos/status-im/nimbus-eth2/releases/latest"
    /// Six hours: Nimbus releases every few weeks, and GitHub allows 60 unauthenticated API calls an hour per address.
    public static let defaultReleasePollSeconds = 6 * 3600
    /// A week at most, so that an upgrade is never noticed later than that; one second at least (tests).
    public static let releasePollRange = 1...(7 * 86400)
    public static let defaultRestartWindowSeconds = 30 * 60
    /// Ten seconds at least (three restarts need some room), a day at most (older restarts say nothing now).
    public static let restartWindowRange = 10...86400
    /// The host (disks, clock) is looked at every 12 s by default: its state changes slowly.
    public static let defaultHostPollSeconds = 12
    public static let hostPollRange = 1...600

    /// Where to ask for the latest release; nil: release tracking is off (`version_behind` never has a verdict).
    public var releaseURL: String?
    public var releasePollSeconds: Int
    /// `[releases] ca_file`: the trust store for an https:// source when not the system's.
    public var releaseCAFile: String?
    /// `node_restarting`: this many seconds back, three process starts make the alert.
    public var restartWindowSeconds: Int
    /// `[monitoring] host_poll_seconds`: how often disks and the clock are observed.
    public var hostPollSeconds: Int

    public init(
        releaseURL: String? = nil, releasePollSeconds: Int = defaultReleasePollSeconds,
        restartWindowSeconds: Int = defaultRestartWindowSeconds, hostPollSeconds: Int = defaultHostPollSeconds
    ) {
        self.releaseURL = releaseURL
        self.releasePollSeconds = releasePollSeconds
        self.restartWindowSeconds = restartWindowSeconds
        self.hostPollSeconds = hostPollSeconds
    }

    enum CodingKeys: String, CodingKey {
        case releaseURL, releasePollSeconds, restartWindowSeconds, hostPollSeconds, releaseCAFile
    }

    public init(from decoder: any Decoder) throws {
        // Older supervisors pass no host interval: the default then.
        let container = try decoder.container(keyedBy: CodingKeys.self)
        releaseURL = try container.decodeIfPresent(String.self, forKey: .releaseURL)
        releasePollSeconds = try container.decode(Int.self, forKey: .releasePollSeconds)
        releaseCAFile = try container.decodeIfPresent(String.self, forKey: .releaseCAFile)
        restartWindowSeconds = try container.decode(Int.self, forKey: .restartWindowSeconds)
        hostPollSeconds = try container.decodeIfPresent(Int.self, forKey: .hostPollSeconds) ?? Self.defaultHostPollSeconds
    }
}

/// An `http://` or `https://` URL split for the HTTP client: the release source may be GitHub (HTTPS, default port)
/// or a mirror or test server (plain HTTP, any port). No user info, query strings are kept in the target.
public struct WebURL: Sendable, Equatable {
    public var secure: Bool
    public var host: String
    public var port: Int
    /// The request target: the path (at least "/") and any query.
    public var target: String

    public init(secure: Bool, host: String, port: Int, target: String) {
        self.secure = secure
        self.host = host
        self.port = port
        self.target = target
    }

    public init?(_ text: String) {
        let rest: Substring
        if text.hasPrefix("https://") {
            secure = true
            rest = text.dropFirst("https://".count)
        } else if text.hasPrefix("http://") {
            secure = false
            rest = text.dropFirst("http://".count)
        } else {
            return nil
        }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let path = rest[authorityEnd...]
        target = path.hasPrefix("/") ? String(path) : "/" + path
        guard !authority.contains("@"), !text.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 } == true })
        else { return nil }
        let hostPart: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            hostPart = authority
        }
        guard !hostPart.isEmpty else { return nil }
        host = String(hostPart)
        if let portText {
            guard portText.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(portText), (1...65535).contains(port) else { return nil }
            self.port = port
        } else {
            port = secure ? 443 : 80
        }
    }
}
