import NimbusLibp2p

/// A libp2p host stream as a `WakuStream`.
///
/// The host's reads have a deadline (its `readTimeout`); gossipsub streams stay open and may be idle longer, so
/// a read that times out on an otherwise healthy stream is simply repeated when `waitsIndefinitely` is set.
/// Request-response streams keep the deadline: the node bounds them with its own request timeout.
struct Libp2pWakuStream: WakuStream {
    let stream: Libp2pStream
    let waitsIndefinitely: Bool

    func read() async throws -> [UInt8]? {
        while true {
            do {
                return try await stream.read()
            } catch Libp2pError.timeout(_) where waitsIndefinitely {
                try Task.checkCancellation()
                continue
            }
        }
    }

    func write(_ bytes: [UInt8]) async throws {
        try await stream.write(bytes)
    }

    func closeWrite() async {
        try? await stream.closeWrite()
    }

    func close() async {
        await stream.close()
    }
}
