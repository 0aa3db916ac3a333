import Testing

@testable import NimbusLibp2p

@Suite struct MplexTests {
    @Test func frameEncoding() throws {
        let frame = MplexFrame(streamID: 17, flag: .messageInitiator, payload: [0xAA, 0xBB])
        #expect(frame.encoded == [0x8A, 0x01, 0x02, 0xAA, 0xBB])
        var decoder = MplexFrameDecoder()
        for byte in frame.encoded { decoder.append([byte]) }
        #expect(try decoder.next() == frame)
        #expect(try decoder.next() == nil)
    }

    @Test func decoderRefusesBadFrames() {
        var unknownFlag = MplexFrameDecoder()
        unknownFlag.append([0x07, 0x00])
        #expect(throws: MuxerError.malformedFrame("unknown flag 7")) { try unknownFlag.next() }
        var oversize = MplexFrameDecoder(maxPayloadLength: 1024)
        oversize.append([0x02, 0x81, 0x08])
        #expect(throws: MuxerError.frameTooLarge(length: 1025, limit: 1024)) { try oversize.next() }
        var overlong = MplexFrameDecoder()
        overlong.append([UInt8](repeating: 0xFF, count: 10))
        #expect(throws: MuxerError.malformedFrame("header: varint longer than 9 bytes")) { try overlong.next() }
    }

    @Test(arguments: Feeding.allCases) func streamLifecycle(feeding: Feeding) throws {
        var pair = MuxerPair(client: MplexSession(), server: MplexSession(), feeding: feeding)
        let (stream, opened) = try pair.client.openStream()
        pair.deliver(opened, fromClient: true)
        let remote = MuxedStreamID(number: stream.number, isLocal: false)
        #expect(pair.serverEvents == [.streamOpened(remote)])

        pair.deliver(try pair.client.write(stream, Array("ping".utf8)), fromClient: true)
        pair.deliver(try pair.server.write(remote, Array("pong".utf8)), fromClient: false)
        #expect(MuxerPair<MplexSession>.data(pair.serverEvents, remote) == Array("ping".utf8))
        #expect(MuxerPair<MplexSession>.data(pair.clientEvents, stream) == Array("pong".utf8))

        pair.deliver(try pair.client.closeWrite(stream), fromClient: true)
        #expect(pair.serverEvents.last == .remoteClosed(remote))
        pair.deliver(try pair.server.closeWrite(remote), fromClient: false)
        #expect(pair.serverEvents.last == .streamFinished(remote))
        #expect(pair.clientEvents.suffix(2) == [.remoteClosed(stream), .streamFinished(stream)])
        #expect(pair.client.streamCount == 0 && pair.server.streamCount == 0)
        #expect(throws: MuxerStreamError.unknownStream(stream)) { try pair.client.write(stream, [1]) }
    }

    @Test func bothSidesNumberSpacesDoNotClash() throws {
        var pair = MuxerPair(client: MplexSession(), server: MplexSession(), feeding: .batched)
        let (fromClient, a) = try pair.client.openStream()
        let (fromServer, b) = try pair.server.openStream()
        pair.deliver(a, fromClient: true)
        pair.deliver(b, fromClient: false)
        // Both are stream 0, told apart by who opened them.
        #expect(fromClient.number == 0 && fromServer.number == 0)
        pair.deliver(try pair.client.write(fromClient, [1]), fromClient: true)
        pair.deliver(try pair.client.write(MuxedStreamID(number: 0, isLocal: false), [2]), fromClient: true)
        #expect(MuxerPair<MplexSession>.data(pair.serverEvents, MuxedStreamID(number: 0, isLocal: false)) == [1])
        #expect(MuxerPair<MplexSession>.data(pair.serverEvents, fromServer) == [2])
    }

    @Test func resetAndLimits() throws {
        var pair = MuxerPair(
            client: MplexSession(), server: MplexSession(configuration: .init(maxStreams: 2)), feeding: .batched
        )
        let (first, a) = try pair.client.openStream()
        pair.deliver(a, fromClient: true)
        pair.deliver(pair.client.reset(first), fromClient: true)
        #expect(pair.serverEvents.last == .streamReset(MuxedStreamID(number: first.number, isLocal: false)))
        // Data for the reset stream is dropped quietly.
        pair.deliver(
            [.send(MplexFrame(streamID: first.number, flag: .messageInitiator, payload: [1]).encoded)], fromClient: true
        )
        #expect(pair.serverEvents.count == 2)
        for _ in 0..<3 {
            let (_, open) = try pair.client.openStream()
            pair.deliver(open, fromClient: true)
        }
        #expect(pair.serverEvents.last == .failed(.tooManyStreams(limit: 2)))
        // A stream opened twice is a protocol error.
        var fresh = MplexSession()
        let twice = MplexFrame(streamID: 5, flag: .newStream).encoded
        #expect(fresh.receive(twice + twice).last == .failed(.invalidStreamID(5)))
    }

    @Test func writesAreCutToTheFrameLimit() throws {
        var session = MplexSession(configuration: .init(maxSendFrameLength: 10))
        let (stream, _) = try session.openStream()
        guard case .send(let bytes) = try session.write(stream, [UInt8](repeating: 1, count: 25)).first else {
            Issue.record("nothing sent")
            return
        }
        var decoder = MplexFrameDecoder()
        decoder.append(bytes)
        var sizes: [Int] = []
        while let frame = try decoder.next() { sizes.append(frame.payload.count) }
        #expect(sizes == [10, 10, 5])
    }
}
