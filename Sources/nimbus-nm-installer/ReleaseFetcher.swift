import CNimbusCurl
import Foundation
import NimbusIPC
import NimbusRuntime

/// Fetches the configured release source (`[releases] url`) for the network role, over TLS with Debian's libcurl
/// (OpenSSL, the system's trust store or `[releases] ca_file`). The URL comes from the installer's own arguments,
/// never from the request, so the network role cannot point this privileged process anywhere else. The answer goes
/// back unparsed: the network role, which parses outside bytes, reads it.
final class ReleaseFetcher: @unchecked Sendable {
    private let url: String?
    private let caFile: String?
    private let userAgent: String
    /// One transfer at a time, in order.
    private let queue = DispatchQueue(label: "release-fetch")
    /// The last answer and when it came: requests closer together than `minimumIntervalSeconds` share it, which
    /// bounds what a misbehaving network role can make this role do.
    private var cached: (at: Date, reply: IPCMessage)?
    static let minimumIntervalSeconds: TimeInterval = 1
    static let timeoutSeconds = 15

    init(url: String?, caFile: String?, version: String) {
        self.url = url
        self.caFile = caFile
        userAgent = "nimbus-node-manager/\(version)"
        // Before any thread that could fetch: libcurl's global set-up is not thread-safe.
        _ = nm_fetch_global_init()
    }

    /// Answers `latestReleaseRequest` through `reply`, later, from the fetch queue.
    func fetch(reply: @escaping @Sendable (IPCMessage) -> Void) {
        queue.async { [self] in
            if let cached, Date().timeIntervalSince(cached.at) < Self.minimumIntervalSeconds {
                reply(cached.reply)
                return
            }
            let answer = fetchNow()
            cached = (Date(), answer)
            reply(answer)
        }
    }

    private func fetchNow() -> IPCMessage {
        guard let url else {
            return .failure(Failure(code: .unavailable, message: "release tracking is off ([releases] url is \"\")"))
        }
        var result = nm_fetch_result()
        defer { nm_fetch_free(&result) }
        let outcome = nm_fetch(
            url, url.hasPrefix("http://") ? 1 : 0, caFile, "application/vnd.github+json", userAgent,
            ReleaseDocument.maximumBody, Self.timeoutSeconds, &result)
        if result.too_large != 0 {
            return .failure(Failure(
                code: .unavailable, message: "the release source answered more than \(ReleaseDocument.maximumBody >> 10) KiB"))
        }
        guard outcome == 0 else {
            let reason = withUnsafeBytes(of: result.error) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            return .failure(Failure(code: .unavailable, message: "cannot reach the release source: \(reason)"))
        }
        guard (100...599).contains(result.status) else {
            return .failure(Failure(code: .unavailable, message: "the release source gave no HTTP status"))
        }
        let body = result.body.map { Array(UnsafeBufferPointer(start: $0, count: result.length)) } ?? []
        return .releaseDocument(ReleaseDocument(status: UInt16(result.status), body: body))
    }
}
