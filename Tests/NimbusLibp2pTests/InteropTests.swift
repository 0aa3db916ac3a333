import Foundation
import NimbusMultiformats
import Testing

@testable import NimbusLibp2p

/// Interop with py-libp2p 0.8.1 as an independent peer over loopback TCP, in both directions, for every identity
/// key type and muxer. On every connection both sides run identify, ping and a 200 000-byte echo stream towards
/// the other, so each side acts as stream initiator and responder. The Swift host offers yamux then mplex; the
/// Python peer offers only the muxer under test, so the mplex runs also exercise multistream "na".
@Suite(.serialized) struct InteropTests {
    static let keys = ["ed25519", "secp256k1"]
    static let muxers = ["yamux", "mplex"]

    @Test(arguments: keys, muxers) func swiftDialsPython(key: String, muxer: String) async throws {
        let peer = try PythonPeer(key: key, muxer: muxer)
        let host = Self.makeHost(key: key)
        do {
            let listen = try await peer.waitForLine(startingWith: "LISTEN ")
            let address = try Multiaddr(String(listen.line.dropFirst("LISTEN ".count)))
            let remote = try await host.dial(address)
            #expect(remote == address.peerID)
            #expect(host.connectionRecord(to: remote)?.muxer.rawValue.contains(muxer) == true)
            try await Self.swiftChecks(host, remote: remote)
            try await Self.pythonChecks(peer, host: host, muxer: muxer, after: listen.index)
        } catch {
            await peer.stop()
            await host.shutdown()
            throw error
        }
        await peer.stop()
        await host.shutdown()
    }

    @Test(arguments: keys, muxers) func pythonDialsSwift(key: String, muxer: String) async throws {
        let peer = try PythonPeer(key: key, muxer: muxer)
        let host = Self.makeHost(key: key)
        do {
            let address = try await host.listen(on: Multiaddr("/ip4/127.0.0.1/tcp/0"))
            let listen = try await peer.waitForLine(startingWith: "LISTEN ")
            peer.send("DIAL \(address.appending(.p2p(host.peerID)))")
            let connected = try await peer.waitForLine(startingWith: "CONNECTED ", after: listen.index)
            #expect(connected.line == "CONNECTED \(host.peerID) \(muxer)")
            let remote = try PeerID(String(String(listen.line.split(separator: "/").last!)))
            try await Self.pythonChecks(peer, host: host, muxer: muxer, after: connected.index)
            #expect(host.connectionRecord(to: remote)?.direction == .inbound)
            try await Self.swiftChecks(host, remote: remote)
        } catch {
            await peer.stop()
            await host.shutdown()
            throw error
        }
        await peer.stop()
        await host.shutdown()
    }

    static func makeHost(key: String) -> Libp2pHost {
        let host = Libp2pHost(
            identity: key == "secp256k1" ? .generateSecp256k1() : .generateEd25519(),
            configuration: HostFixtures.configuration(), logger: LogCapture().logger()
        )
        host.setStreamHandler(HostFixtures.echoProtocol) { stream in await HostFixtures.echo(stream) }
        return host
    }

    /// Swift asks Python: identify, ping, echo.
    static func swiftChecks(_ host: Libp2pHost, remote: PeerID) async throws {
        let record = try await host.identify(remote)
        #expect(record.protocols.contains(HostFixtures.echoProtocol))
        #expect(record.protocols.contains("/ipfs/ping/1.0.0"))
        #expect(record.agentVersion?.hasPrefix("py-libp2p/") == true, "\(record.agentVersion ?? "no agent")")
        let rtt = try await host.ping(remote)
        #expect(rtt < .seconds(5))
        let payload = (0..<200_000).map { _ in UInt8.random(in: 0...255) }
        #expect(try await HostFixtures.roundTrip(host, to: remote, payload) == payload)
    }

    /// Python asks Swift over the same connection: identify, ping, echo.
    static func pythonChecks(_ peer: PythonPeer, host: Libp2pHost, muxer: String, after index: Int) async throws {
        peer.send("CHECK \(host.peerID)")
        let checked = try await peer.waitForLine(startingWith: "CHECKED", after: index, timeout: .seconds(90))
        let results = peer.output[index..<checked.index].filter { $0.hasPrefix("RESULT ") }
        for name in ["identify", "ping", "echo"] {
            let line = results.first { $0.hasPrefix("RESULT \(name) ") }
            #expect(line?.hasPrefix("RESULT \(name) ok") == true, "\(line ?? "no result for \(name)")")
        }
        #expect(peer.output[index..<checked.index].contains("MUXER \(muxer)"))
    }
}
