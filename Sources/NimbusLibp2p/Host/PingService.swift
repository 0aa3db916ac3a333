import NimbusMultiformats

/// The ping protocol (libp2p/specs ping/ping.md): the dialer sends 32 random bytes, the listener echoes them;
/// the stream may carry several pings.
enum PingService {
    static let protocolID = "/ipfs/ping/1.0.0"
    static let payloadLength = 32

    /// Echoes 32-byte pings until the peer closes the stream or stalls past the read timeout.
    static func answer(_ stream: Libp2pStream) async {
        do {
            while true {
                let ping = try await stream.readExactly(payloadLength)
                try await stream.write(ping)
            }
        } catch {
            return
        }
    }
}

extension Libp2pHost {
    /// Pings a connected peer once; returns the round-trip time.
    public func ping(_ peer: PeerID) async throws -> Duration {
        let stream = try await newStream(to: peer, protocols: [PingService.protocolID])
        defer { Task { await stream.close() } }
        var generator = SystemRandomNumberGenerator()
        let payload = (0..<PingService.payloadLength).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let clock = ContinuousClock()
        let start = clock.now
        try await stream.write(payload)
        let echo = try await stream.readExactly(PingService.payloadLength)
        let elapsed = clock.now - start
        guard echo == payload else { throw Libp2pError.pingMismatch }
        return elapsed
    }
}
