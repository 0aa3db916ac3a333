import NimbusIPC
import NimbusMonitoring

/// The newest Nimbus release, for `version_behind`, from the configured source (GitHub's releases API by default).
/// The installer fetches it (TLS through libcurl, bounded, one transfer at a time); this side only reads the answer,
/// because the network role is the one that parses outside bytes.
public struct ReleaseSource: Sendable {
    /// The configured URL, for the log.
    public let url: String
    private let fetch: @Sendable () async throws -> ReleaseDocument

    public init(url: String, fetch: @escaping @Sendable () async throws -> ReleaseDocument) {
        self.url = url
        self.fetch = fetch
    }

    /// Why no release came back, in words for the log: never the answer's bytes beyond a short, cleaned tag.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    public func latest() async throws(Failure) -> NimbusVersion {
        let document: ReleaseDocument
        do {
            document = try await fetch()
        } catch let failure as NimbusIPC.Failure {
            throw Failure(description: failure.message)
        } catch {
            throw Failure(description: "\(error)")
        }
        guard document.status == 200 else {
            // 403 and 429 are GitHub's rate limit; 404 a repository without releases or a wrong URL.
            throw Failure(description: "the release source answered HTTP \(document.status)")
        }
        do {
            return try LatestRelease.parse(document.body)
        } catch {
            throw Failure(description: error.description)
        }
    }
}
