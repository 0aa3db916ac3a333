import Logging

extension WakuNode {
    // MARK: Client

    /// Pushes a message through the connected lightpush peers (v3, falling back to v2).
    func lightPush(_ message: WakuMessage, pubsubTopic: String) async throws {
        let peers = await waitForPeers(serving: [WakuProtocolID.lightPush, WakuProtocolID.lightPushLegacy])
        guard !peers.isEmpty else { throw WakuNodeError.noServicePeer(protocolID: WakuProtocolID.lightPush) }
        var attempt = LightPushAttempt(
            message: message, pubsubTopic: pubsubTopic, peers: peers, requestID: RequestID.random(using: &generator))
        var step = attempt.start(memory: lightPushVersions)
        var stream: (any WakuStream)?
        let transport = transport
        while true {
            switch step {
            case .openStream(let peer, let protocols):
                do {
                    let opened = try await withDeadline("lightpush stream") {
                        try await transport.openStream(to: peer, protocols: protocols)
                    }
                    stream = opened.stream
                    step = attempt.streamOpened(protocolID: opened.protocolID, memory: &lightPushVersions)
                } catch {
                    step = attempt.streamFailed(reason: "\(error)", memory: lightPushVersions)
                }
            case .exchange(_, let request):
                guard let current = stream else {
                    step = attempt.received(
                        .failure(LightPushTransportFailure(reason: "no stream")), memory: lightPushVersions)
                    continue
                }
                let result: Result<[UInt8], LightPushTransportFailure>
                do {
                    let body = try await withDeadline("lightpush response") {
                        try await current.writeFrame(request)
                        await current.closeWrite()
                        return try await current.readFrame(maxSize: LegacyPushRPC.maxEncodedSize)
                    }
                    result = .success(body)
                } catch {
                    result = .failure(LightPushTransportFailure(reason: "\(error)"))
                }
                await current.close()
                stream = nil
                step = attempt.received(result, memory: lightPushVersions)
            case .finished(let outcome):
                switch outcome {
                case .delivered(let peer, let count):
                    logger.debug(
                        "lightpush delivered",
                        metadata: ["peer": "\(peer)", "relayPeers": "\(count.map(String.init) ?? "?")"])
                    return
                case .rejected(_, let status, let description):
                    throw WakuNodeError.publishRejected(status: status, description: description)
                case .exhausted(let reason):
                    throw WakuNodeError.publishFailed(reason)
                }
            }
        }
    }

    // MARK: Service

    func serveLightPush(peer: WakuPeerID, stream: any WakuStream) async {
        defer { Task { await stream.close() } }
        do {
            let frame = try await stream.readFrame(maxSize: LightPushRequest.maxEncodedSize)
            let response: LightPushResponse
            do {
                let request = try LightPushRequest(decoding: frame)
                response = relayForLightPush(request)
            } catch {
                response = LightPushResponse(
                    requestID: "N/A", status: LightPushValidation.status(forDecodingError: error),
                    statusDescription: error.description)
            }
            try await stream.writeFrame(response.encoded())
            await stream.closeWrite()
        } catch {
            logger.debug("lightpush request failed", metadata: ["peer": "\(peer)", "reason": "\(error)"])
        }
    }

    func serveLegacyLightPush(peer: WakuPeerID, stream: any WakuStream) async {
        defer { Task { await stream.close() } }
        do {
            let frame = try await stream.readFrame(maxSize: LegacyPushRPC.maxEncodedSize)
            let reply: LegacyPushRPC
            do {
                let rpc = try LegacyPushRPC(decoding: frame)
                guard let request = rpc.request else {
                    throw WakuCodecError.missingField("PushRPC.request")
                }
                let response = relayForLightPush(
                    LightPushRequest(
                        requestID: rpc.requestID, pubsubTopic: request.pubsubTopic, message: request.message))
                reply = LegacyPushRPC(
                    requestID: rpc.requestID,
                    response: LegacyPushRPC.Response(
                        isSuccess: response.status.isSuccess, info: response.statusDescription))
            } catch {
                reply = LegacyPushRPC(
                    requestID: "N/A", response: LegacyPushRPC.Response(isSuccess: false, info: "\(error)"))
            }
            try await stream.writeFrame(reply.encoded())
            await stream.closeWrite()
        } catch {
            logger.debug("lightpush v2 request failed", metadata: ["peer": "\(peer)", "reason": "\(error)"])
        }
    }

    /// Validates a lightpush request and relays its message through this node's pipeline. Success reports how
    /// many relay peers got it; a service node without relay peers still stores the message and pushes it to
    /// filter subscribers, so it answers 200 with a count of 0 (nwaku would answer 505, having no local
    /// consumers).
    func relayForLightPush(_ request: LightPushRequest) -> LightPushResponse {
        let validation = LightPushValidation(
            sharding: configuration.sharding, servedTopics: Set(configuration.shards.map(\.pubsubTopic)))
        switch validation.pubsubTopic(for: request) {
        case .failure(let rejection):
            return LightPushResponse(
                requestID: request.requestID, status: rejection.status, statusDescription: rejection.description)
        case .success(let topic):
            do {
                let result = try relay.publish(topic: topic, data: request.message.encoded(), now: now())
                perform(result.actions)
                return LightPushResponse(
                    requestID: request.requestID, status: .success, statusDescription: "OK",
                    relayPeerCount: UInt32(result.recipients))
            } catch {
                switch error {
                case .duplicate:
                    return LightPushResponse(
                        requestID: request.requestID, status: .invalidMessage, statusDescription: "message already seen"
                    )
                case .invalidMessage(let reason):
                    return LightPushResponse(
                        requestID: request.requestID, status: .invalidMessage, statusDescription: reason)
                }
            }
        }
    }
}
