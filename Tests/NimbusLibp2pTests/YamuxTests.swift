import Testing

@testable import NimbusLibp2p

@Suite struct YamuxTests {
    static func pair(_ feeding: Feeding, maxStreams: Int = 256) -> MuxerPair<YamuxSession> {
        MuxerPair(
            client: YamuxSession(configuration: .init(isClient: true, maxStreams: maxStreams)),
            server: YamuxSession(configuration: .init(isClient: false, maxStreams: maxStreams)), feeding: feeding
        )
    }

    @Test func frameEncoding() throws {
        let frame = YamuxFrame(type: .windowUpdate, flags: [.syn, .ack], streamID: 0x0102_0304, length: 0x10)
        #expect(frame.encoded == [0, 1, 0, 3, 1, 2, 3, 4, 0, 0, 0, 0x10])
        let data = YamuxFrame(type: .data, flags: .fin, streamID: 3, payload: [7, 8])
        var decoder = YamuxFrameDecoder(maxDataLength: 100)
        for byte in frame.encoded + data.encoded { decoder.append([byte]) }
        #expect(try decoder.next() == frame)
        #expect(try decoder.next() == data)
        #expect(try decoder.next() == nil)
    }

    @Test func decoderRefusesBadFrames() {
        var version = YamuxFrameDecoder(maxDataLength: 100)
        version.append([1] + [UInt8](repeating: 0, count: 11))
        #expect(throws: MuxerError.malformedFrame("version 1")) { try version.next() }
        var type = YamuxFrameDecoder(maxDataLength: 100)
        type.append([0, 9] + [UInt8](repeating: 0, count: 10))
        #expect(throws: MuxerError.malformedFrame("type 9")) { try type.next() }
        var oversize = YamuxFrameDecoder(maxDataLength: 100)
        oversize.append([0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 101])
        #expect(throws: MuxerError.frameTooLarge(length: 101, limit: 100)) { try oversize.next() }
    }

    @Test(arguments: Feeding.allCases) func streamLifecycle(feeding: Feeding) throws {
        var pair = Self.pair(feeding)
        let (stream, open) = try pair.client.openStream()
        #expect(stream.number == 1 && stream.isLocal)
        pair.deliver(open, fromClient: true)
        let remote = MuxedStreamID(number: 1, isLocal: false)
        #expect(pair.serverEvents == [.streamOpened(remote)])
        pair.deliver(try pair.client.write(stream, Array("hello".utf8)), fromClient: true)
        pair.deliver(try pair.client.closeWrite(stream), fromClient: true)
        #expect(MuxerPair<YamuxSession>.data(pair.serverEvents, remote) == Array("hello".utf8))
        #expect(pair.serverEvents.last == .remoteClosed(remote))
        pair.deliver(try pair.server.write(remote, Array("world".utf8)), fromClient: false)
        pair.deliver(try pair.server.closeWrite(remote), fromClient: false)
        #expect(MuxerPair<YamuxSession>.data(pair.clientEvents, stream) == Array("world".utf8))
        #expect(pair.clientEvents.suffix(2) == [.remoteClosed(stream), .streamFinished(stream)])
        #expect(pair.client.streamCount == 0 && pair.server.streamCount == 0)
        let (second, _) = try pair.client.openStream()
        #expect(second.number == 3)
        let (serverStream, _) = try pair.server.openStream()
        #expect(serverStream.number == 2)
    }

    @Test func flowControlHoldsDataUntilTheWindowOpens() throws {
        var pair = Self.pair(.batched)
        let (stream, open) = try pair.client.openStream()
        pair.deliver(open, fromClient: true)
        let remote = MuxedStreamID(number: 1, isLocal: false)
        let window = Int(YamuxSession.initialWindow)
        pair.deliver(try pair.client.write(stream, [UInt8](repeating: 5, count: window + 1000)), fromClient: true)
        // One window went out; 1000 bytes wait.
        #expect(MuxerPair<YamuxSession>.data(pair.serverEvents, remote).count == window)
        #expect(pair.client.pendingCount(stream) == 1000)
        // Consuming less than half the window announces nothing.
        pair.deliver(pair.server.consumed(remote, count: window / 2 - 1), fromClient: false)
        #expect(pair.client.pendingCount(stream) == 1000)
        pair.deliver(pair.server.consumed(remote, count: 1), fromClient: false)
        #expect(pair.client.pendingCount(stream) == 0)
        #expect(pair.clientEvents.contains(.writable(stream)))
        #expect(MuxerPair<YamuxSession>.data(pair.serverEvents, remote).count == window + 1000)
    }

    @Test func dataBeyondTheWindowIsAProtocolError() {
        var server = YamuxSession(configuration: .init(isClient: false))
        var bytes = YamuxFrame(type: .windowUpdate, flags: .syn, streamID: 1).encoded
        let chunk = [UInt8](repeating: 0, count: 200 * 1024)
        bytes += YamuxFrame(type: .data, streamID: 1, payload: chunk).encoded
        bytes += YamuxFrame(type: .data, streamID: 1, payload: chunk).encoded
        let actions = server.receive(bytes)
        #expect(actions.last == .failed(.windowExceeded(1)))
        // A go-away with the protocol-error code goes out before the connection closes.
        #expect(actions.dropLast().last == .send(YamuxFrame(type: .goAway, streamID: 0, length: 1).encoded))
    }

    @Test func pingAndGoAway() throws {
        var pair = Self.pair(.dripFed)
        pair.deliver(pair.client.ping(0xDEAD_BEEF), fromClient: true)
        #expect(pair.clientEvents == [.pong(0xDEAD_BEEF)])
        pair.deliver(pair.server.goAway(), fromClient: false)
        #expect(pair.clientEvents.last == .goAway(0))
        #expect(throws: MuxerStreamError.goingAway) { try pair.client.openStream() }
        #expect(throws: MuxerStreamError.goingAway) { try pair.server.openStream() }
    }

    @Test func streamRulesAreEnforced() throws {
        // The client opening an even (server-parity) stream.
        var server = YamuxSession(configuration: .init(isClient: false))
        #expect(
            server.receive(YamuxFrame(type: .windowUpdate, flags: .syn, streamID: 2).encoded).last
                == .failed(.invalidStreamID(2)))
        var limited = Self.pair(.batched, maxStreams: 2)
        for _ in 0..<2 {
            let (_, open) = try limited.client.openStream()
            limited.deliver(open, fromClient: true)
        }
        #expect(throws: MuxerStreamError.tooManyStreams(limit: 2)) { try limited.client.openStream() }
        var flood = YamuxSession(configuration: .init(isClient: false, maxStreams: 2))
        var syns: [UInt8] = []
        for id in stride(from: UInt32(1), through: 5, by: 2) {
            syns += YamuxFrame(type: .windowUpdate, flags: .syn, streamID: id).encoded
        }
        #expect(flood.receive(syns).last == .failed(.tooManyStreams(limit: 2)))
        // Reset frees the stream on both sides.
        var pair = Self.pair(.batched)
        let (stream, open) = try pair.client.openStream()
        pair.deliver(open, fromClient: true)
        pair.deliver(pair.client.reset(stream), fromClient: true)
        #expect(pair.serverEvents.last == .streamReset(MuxedStreamID(number: 1, isLocal: false)))
        #expect(pair.server.streamCount == 0 && pair.client.streamCount == 0)
    }
}
