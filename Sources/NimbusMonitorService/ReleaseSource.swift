import NimbusAPI
import NimbusConfig
import NimbusHTTPClient
import NimbusMonitoring

/// Asks a release source (GitHub's releases API by default) for the newest Nimbus release, for `version_behind`.
/// One GET per poll, with a deadline and a bound on the answer (GitHub's includes the release notes).
public struct ReleaseSource: Sendable {
    public let url: WebURL
    private let client: HTTPClient

    /// Nil when `text` is not an http(s) URL (the configuration was checked already; this is the role's own guard).
    public init?(url text: String, client: HTTPClient) {
        guard let url = WebURL(text) else { return nil }
        self.url = url
        self.client = client
    }

    /// Why no release came back, in words for the log: never the answer's bytes beyond a short, cleaned tag.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    public func latest() async throws(Failure) -> NimbusVersion {
        // The HTTP client speaks plain HTTP only (no TLS yet): asking an https:// source would send HTTP to port
        // 443. MonitorService does not poll such a source; this guard keeps the client from ever doing so.
        guard !url.secure else { throw Failure(description: "https:// is not supported yet (no TLS in the HTTP client)") }
        let response: HTTPClient.Response
        do {
            response = try await client.request(
                .GET, url.target, at: .tcp(host: url.host, port: url.port),
                headers: [
                    // GitHub's API refuses requests without a User-Agent, and asks for its media type.
                    ("Accept", "application/vnd.github+json"),
                    ("User-Agent", "nimbus-node-manager/\(NodeManagerVersion.current)"),
                ],
                timeout: .seconds(15), maximumBody: 4 << 20)
        } catch {
            throw Failure(description: error.description)
        }
        guard response.status == 200 else {
            // 403 and 429 are GitHub's rate limit; 404 a repository without releases or a wrong URL.
            throw Failure(description: "\(url.host):\(url.port) answered HTTP \(response.status)")
        }
        do {
            return try LatestRelease.parse(response.body)
        } catch {
            throw Failure(description: error.description)
        }
    }
}
