import NIOCore
import NimbusHTTPClient

/// The CLI's side of the control socket: one request, an answer or a one-line error.
struct ControlClient {
    let socketPath: String

    func request(
        _ method: String, _ path: String, body: [UInt8]? = nil, timeout: TimeAmount = .seconds(30)
    ) async throws -> HTTPClient.Response {
        let client = HTTPClient()
        defer { client.shutdown() }
        do {
            return try await client.request(
                .init(rawValue: method), path, at: .unix(path: socketPath),
                headers: [("Accept", "application/json")] + (body == nil ? [] : [("Content-Type", "application/json")]),
                body: body, timeout: timeout)
        } catch {
            throw CLIError(description: Self.explain(error, socketPath))
        }
    }

    static func explain(_ failure: HTTPClient.Failure, _ path: String) -> String {
        switch failure.reason {
        case .connectionRefused:
            "cannot reach the node manager at \(path): is nimbus-node-manager running?"
        case .permissionDenied:
            "permission denied on \(path): run as root or as a member of the control group (nimbus-nm by default)"
        case .timedOut:
            "the node manager at \(path) did not answer in time"
        case .tooLarge, .closed, .other:
            "cannot talk to the node manager at \(path): \(failure.description)"
        }
    }
}
