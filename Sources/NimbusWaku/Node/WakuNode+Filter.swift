import Logging

extension WakuNode {
    // MARK: Client

    /// Carries out filter client actions: each request on its own stream, the response fed back.
    func performFilter(_ actions: [FilterClientSession.Action]) {
        for action in actions {
            guard case .send(let request, let peer) = action else { continue }
            spawn { await $0.sendFilterRequest(request, to: peer) }
        }
    }

    func sendFilterRequest(_ request: FilterSubscribeRequest, to peer: WakuPeerID) async {
        let transport = transport
        do {
            let response = try await withDeadline("filter subscribe") {
                let (stream, _) = try await transport.openStream(to: peer, protocols: [WakuProtocolID.filterSubscribe])
                defer { Task { await stream.close() } }
                try await stream.writeFrame(request.encoded())
                await stream.closeWrite()
                return try FilterSubscribeResponse(
                    decoding: try await stream.readFrame(maxSize: FilterSubscribeResponse.maxEncodedSize))
            }
            if response.statusCode != FilterSubscribeResponse.statusOK {
                logger.debug(
                    "filter request refused",
                    metadata: ["peer": "\(peer)", "kind": "\(request.kind)", "status": "\(response.statusCode)"])
            }
            performFilter(filterClient.handle(response, now: now()))
        } catch {
            logger.debug("filter request failed", metadata: ["peer": "\(peer)", "reason": "\(error)"])
            performFilter(filterClient.requestFailed(requestID: request.requestID, now: now()))
        }
    }

    /// A service node pushed a message: accept it only from a peer this node subscribed with.
    func receiveFilterPush(peer: WakuPeerID, stream: any WakuStream) async {
        defer { Task { await stream.close() } }
        do {
            let push = try FilterMessagePush(
                decoding: try await stream.readFrame(maxSize: FilterMessagePush.maxEncodedSize))
            guard filterClient.peerPhases[peer] != nil else {
                logger.info("filter push from a peer not subscribed with; dropped", metadata: ["peer": "\(peer)"])
                return
            }
            guard filterClient.desired[push.pubsubTopic]?.contains(push.message.contentTopic) == true else { return }
            deliverLocally(push.message, pubsubTopic: push.pubsubTopic)
        } catch {
            logger.debug("invalid filter push", metadata: ["peer": "\(peer)", "reason": "\(error)"])
        }
    }

    // MARK: Service

    func serveFilterSubscribe(peer: WakuPeerID, stream: any WakuStream) async {
        defer { Task { await stream.close() } }
        do {
            let frame = try await stream.readFrame(maxSize: FilterSubscribeRequest.maxEncodedSize)
            let response: FilterSubscribeResponse
            do {
                let request = try FilterSubscribeRequest(decoding: frame)
                response = filterRegistry.handle(request, from: peer, now: now())
            } catch {
                response = FilterSubscribeResponse(requestID: "N/A", statusCode: 400, statusDescription: "\(error)")
            }
            try await stream.writeFrame(response.encoded())
            await stream.closeWrite()
        } catch {
            logger.debug("filter subscribe request failed", metadata: ["peer": "\(peer)", "reason": "\(error)"])
        }
    }

    func pushFilter(_ message: WakuMessage, pubsubTopic: String, to peer: WakuPeerID) async {
        let transport = transport
        let push = FilterMessagePush(message: message, pubsubTopic: pubsubTopic)
        do {
            try await withDeadline("filter push") {
                let (stream, _) = try await transport.openStream(to: peer, protocols: [WakuProtocolID.filterPush])
                try await stream.writeFrame(push.encoded())
                await stream.closeWrite()
                await stream.close()
            }
        } catch {
            logger.debug("filter push failed", metadata: ["peer": "\(peer)", "reason": "\(error)"])
        }
    }
}
