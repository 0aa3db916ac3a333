import Logging

extension WakuNode {
    /// Opens this node's sending stream to a relay peer and adds the peer to the router.
    func openRelayStream(to peer: WakuPeerID, outbound: Bool) async {
        guard relaySenders[peer] == nil else { return }
        do {
            let (stream, _) = try await transport.openStream(to: peer, protocols: [WakuProtocolID.relay])
            guard connected[peer] != nil, relaySenders[peer] == nil else {
                await stream.close()
                return
            }
            relaySenders[peer] = RelaySender(stream: stream, limit: configuration.relayQueueLimit) { [weak self] in
                await self?.relayStreamFailed(peer)
            }
            perform(relay.addPeer(peer, outbound: outbound))
        } catch {
            logger.debug("relay stream failed to open", metadata: ["peer": "\(peer)", "reason": "\(error)"])
        }
    }

    /// Reads RPCs from a peer's sending stream until it ends.
    func readRelayStream(peer: WakuPeerID, stream: any WakuStream) async {
        var reader = FrameReader(stream: stream, maxSize: GossipRPC.Limits.relay.maxEncodedSize)
        do {
            while let frame = try await reader.next() {
                let rpc: GossipRPC
                do {
                    rpc = try GossipRPC(decoding: frame)
                } catch {
                    logger.info(
                        "invalid relay RPC; closing the stream", metadata: ["peer": "\(peer)", "reason": "\(error)"])
                    break
                }
                receiveRelay(rpc, from: peer)
            }
        } catch {
            logger.debug("relay stream ended", metadata: ["peer": "\(peer)", "reason": "\(error)"])
        }
        await stream.close()
    }

    func receiveRelay(_ rpc: GossipRPC, from peer: WakuPeerID) {
        if relaySenders[peer] == nil, connected[peer] != nil {
            // The peer opened its stream before ours exists (or ours failed): open ours now.
            spawn { await $0.openRelayStream(to: peer, outbound: false) }
        }
        perform(relay.receive(rpc, from: peer, now: now()))
    }

    func relayStreamFailed(_ peer: WakuPeerID) {
        relaySenders.removeValue(forKey: peer)?.finish()
        relay.removePeer(peer)
        logger.debug("relay stream to peer failed", metadata: ["peer": "\(peer)"])
    }

    /// Carries out router actions.
    func perform(_ actions: [RelayRouter.Action]) {
        for action in actions {
            switch action {
            case .send(let rpc, let peer):
                guard let sender = relaySenders[peer] else { continue }
                if !sender.send(rpc) { logger.debug("relay queue full; RPC dropped", metadata: ["peer": "\(peer)"]) }
            case .deliver(let topic, let message, _, let from):
                accept(message, pubsubTopic: topic, from: from)
            case .misbehaviour(let peer, let reason):
                logger.info("relay peer misbehaved", metadata: ["peer": "\(peer)", "reason": "\(reason)"])
            }
        }
    }

    /// The pipeline of every new message a service node accepts (from relay, lightpush or its own publish): store
    /// it, push it to filter subscribers, hand it to local subscribers.
    func accept(_ message: WakuMessage, pubsubTopic: String, from: WakuPeerID?) {
        if let archive, !message.ephemeral {
            let entry = ArchivedMessage(pubsubTopic: pubsubTopic, message: message, receivedAt: wallClockNanoseconds())
            do {
                _ = try archive.insert(entry)
            } catch {
                logger.error("store insert failed", metadata: ["reason": "\(error)"])
            }
        }
        if configuration.mode == .service {
            for peer in filterRegistry.subscribers(pubsubTopic: pubsubTopic, contentTopic: message.contentTopic) {
                // One push at a time per subscriber, so that a client sees messages in the order they arrived.
                let previous = filterPushes[peer]
                filterPushes[peer] = Task { [weak self] in
                    await previous?.value
                    await self?.pushFilter(message, pubsubTopic: pubsubTopic, to: peer)
                }
            }
        }
        deliverLocally(message, pubsubTopic: pubsubTopic)
    }

    /// Hands a message to local subscribers of its content topic, once per message hash.
    func deliverLocally(_ message: WakuMessage, pubsubTopic: String) {
        let hash = WakuMessageHash(pubsubTopic: pubsubTopic, message: message)
        guard deliveredHashes.insert(hash.bytes, now: now()) else { return }
        for subscriber in subscribers.values where subscriber.contentTopics.contains(message.contentTopic) {
            subscriber.continuation.yield(message)
        }
    }

    func pruneStoreIfDue(now: Duration) {
        guard let archive else { return }
        if let last = lastStorePrune, last + .seconds(60) > now { return }
        lastStorePrune = now
        let retention = configuration.storeRetention.components
        let cutoff = wallClockNanoseconds() - retention.seconds * 1_000_000_000 - retention.attoseconds / 1_000_000_000
        do {
            let deleted = try archive.prune(receivedBefore: cutoff, maxCount: configuration.storeMaxMessages)
            if deleted > 0 { logger.debug("store retention", metadata: ["deleted": "\(deleted)"]) }
        } catch {
            logger.error("store retention failed", metadata: ["reason": "\(error)"])
        }
    }
}
