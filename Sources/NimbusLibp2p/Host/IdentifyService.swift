import NimbusMultiformats

extension Libp2pHost {
    /// Registers the built-in protocols: identify, identify push and ping.
    func registerBuiltInProtocols() {
        setStreamHandler(IdentifyMessage.protocolID) { [self] stream in await answerIdentify(stream) }
        setStreamHandler(IdentifyMessage.pushProtocolID) { [self] stream in await receiveIdentifyPush(stream) }
        setStreamHandler(PingService.protocolID) { stream in await PingService.answer(stream) }
    }

    /// Asks a connected peer for its identify record (identify spec: the answer is one length-prefixed message,
    /// then the stream closes; a bare message, as older implementations send, is accepted too).
    public func identify(_ peer: PeerID) async throws -> IdentifyMessage {
        let stream = try await newStream(to: peer, protocols: [IdentifyMessage.protocolID])
        let bytes: [UInt8]
        do {
            bytes = try await stream.readToEnd(maxLength: IdentifyMessage.maxLength + 10)
        } catch {
            await stream.reset()
            throw error
        }
        await stream.close()
        let message = try Self.decodeIdentify(bytes)
        if let key = message.publicKey {
            // The record must describe the peer we authenticated, or it is someone else's.
            guard let decoded = try? Libp2pPublicKey(protobuf: key), PeerID(publicKey: decoded) == peer else {
                throw Libp2pError.malformedMessage("identify public key does not match the peer")
            }
        }
        recordIdentify(message, of: peer)
        return message
    }

    static func decodeIdentify(_ bytes: [UInt8]) throws -> IdentifyMessage {
        if let prefix = try? Varint.decode(bytes), prefix.length + Int(prefix.value) == bytes.count,
            let message = try? IdentifyMessage(protobuf: bytes[prefix.length...])
        {
            return message
        }
        do {
            return try IdentifyMessage(protobuf: bytes)
        } catch {
            throw Libp2pError.malformedMessage("identify: \(error)")
        }
    }

    private func answerIdentify(_ stream: Libp2pStream) async {
        let observed = connectionRecord(to: stream.peer)?.address
        let message = IdentifyMessage(
            protocolVersion: configuration.protocolVersion, agentVersion: configuration.agentVersion,
            publicKey: identity.publicKey.protobuf, listenAddresses: listenAddresses.map(\.bytes),
            observedAddress: observed?.bytes, protocols: supportedProtocols
        )
        do {
            try await stream.writeLengthPrefixed(message.protobuf)
            try await stream.closeWrite()
        } catch {
            logger.debug("identify answer failed", metadata: ["peer": "\(stream.peer)", "error": "\(error)"])
        }
    }

    private func receiveIdentifyPush(_ stream: Libp2pStream) async {
        do {
            let bytes = try await stream.readToEnd(maxLength: IdentifyMessage.maxLength + 10)
            let message = try Self.decodeIdentify(bytes)
            var merged = identifyRecord(of: stream.peer) ?? IdentifyMessage()
            // A push carries the fields that changed; keep the rest.
            if !message.protocols.isEmpty { merged.protocols = message.protocols }
            if !message.listenAddresses.isEmpty { merged.listenAddresses = message.listenAddresses }
            merged.agentVersion = message.agentVersion ?? merged.agentVersion
            merged.protocolVersion = message.protocolVersion ?? merged.protocolVersion
            recordIdentify(merged, of: stream.peer)
        } catch {
            logger.debug("identify push failed", metadata: ["peer": "\(stream.peer)", "error": "\(error)"])
        }
    }
}
