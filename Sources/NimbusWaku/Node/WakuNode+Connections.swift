import Logging
import NimbusMultiformats

extension WakuNode {
    /// Registers the handlers of the protocols this node serves in its mode.
    func registerHandlers() async {
        await transport.setHandler(for: WakuProtocolID.metadata) { [weak self] peer, stream in
            await self?.serveMetadata(peer: peer, stream: stream)
        }
        switch configuration.mode {
        case .client:
            await transport.setHandler(for: WakuProtocolID.filterPush) { [weak self] peer, stream in
                await self?.receiveFilterPush(peer: peer, stream: stream)
            }
        case .service:
            await transport.setHandler(for: WakuProtocolID.relay) { [weak self] peer, stream in
                await self?.readRelayStream(peer: peer, stream: stream)
            }
            await transport.setHandler(for: WakuProtocolID.lightPush) { [weak self] peer, stream in
                await self?.serveLightPush(peer: peer, stream: stream)
            }
            await transport.setHandler(for: WakuProtocolID.lightPushLegacy) { [weak self] peer, stream in
                await self?.serveLegacyLightPush(peer: peer, stream: stream)
            }
            await transport.setHandler(for: WakuProtocolID.filterSubscribe) { [weak self] peer, stream in
                await self?.serveFilterSubscribe(peer: peer, stream: stream)
            }
            await transport.setHandler(for: WakuProtocolID.store) { [weak self] peer, stream in
                await self?.serveStore(peer: peer, stream: stream)
            }
        }
    }

    /// A connection came or went.
    func handle(_ event: WakuConnectionEvent) async {
        switch event {
        case .connected(let peer, let outbound):
            guard connected[peer] == nil else { return }
            connected[peer] = outbound
            peerProtocols[peer] = await transport.protocols(of: peer)
            logger.debug("peer connected", metadata: ["peer": "\(peer)", "outbound": "\(outbound)"])
            if outbound || peerProtocols[peer]?.contains(WakuProtocolID.metadata) == true {
                guard await exchangeMetadata(with: peer) else { return }
            }
            await peerReady(peer, outbound: outbound)
        case .disconnected(let peer):
            guard connected.removeValue(forKey: peer) != nil else { return }
            peerProtocols[peer] = nil
            metadataVerified.remove(peer)
            relay.removePeer(peer)
            relaySenders.removeValue(forKey: peer)?.finish()
            planner.disconnected(peer, now: now())
            performFilter(filterClient.peerDisconnected(peer, now: now()))
            logger.debug("peer disconnected", metadata: ["peer": "\(peer)"])
        }
    }

    /// After the metadata check: start relaying with the peer, or use it as a filter service peer.
    func peerReady(_ peer: WakuPeerID, outbound: Bool) async {
        guard connected[peer] != nil else { return }
        let protocols = peerProtocols[peer] ?? []
        switch configuration.mode {
        case .service:
            if protocols.contains(WakuProtocolID.relay) { await openRelayStream(to: peer, outbound: outbound) }
        case .client:
            if protocols.contains(WakuProtocolID.filterSubscribe) {
                performFilter(filterClient.peerConnected(peer, now: now()))
            }
        }
    }

    /// Dials a planned address and reports the outcome to the planner. Retries are quiet: one warning when an
    /// address stops answering, one notice when it answers again, and each attempt in between at debug level
    /// only, because an offline node retries for as long as it is offline.
    func dial(_ address: String) async {
        do {
            let peer = try await transport.dial(address)
            let change = planner.dialSucceeded(address, peer: peer)
            logger.debug("dialled", metadata: ["address": "\(address)", "peer": "\(peer)"])
            if case .cameBack(let failures) = change {
                logger.notice(
                    "waku peer reachable again",
                    metadata: ["address": "\(address)", "peer": "\(peer)", "failed_attempts": "\(failures)"])
            }
        } catch {
            let reason = Self.shortReason(error)
            let change = planner.dialFailed(address, now: now(), reason: reason)
            logger.debug("dial failed", metadata: ["address": "\(address)", "reason": "\(reason)"])
            switch change {
            case .becameUnreachable where configuration.bootstrap.contains(address):
                logger.warning(
                    "waku peer unreachable; retrying with backoff",
                    metadata: ["address": "\(address)", "reason": "\(reason)"])
            case .becameUnreachable:
                // A learned address is a candidate among many and is dropped after a few failures.
                logger.info("learned waku peer unreachable", metadata: ["address": "\(address)", "reason": "\(reason)"])
            case .forgotten:
                logger.info(
                    "learned waku peer dropped after repeated failures",
                    metadata: ["address": "\(address)", "reason": "\(reason)"])
            case .unchanged, .cameBack:
                break
            }
        }
    }

    /// An error as one short line for logs and the status.
    static func shortReason(_ error: any Error) -> String {
        let text = String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }

    // MARK: 66/WAKU2-METADATA

    /// Asks a peer for its metadata; disconnects it when the policy requires (64/WAKU2-NETWORK). Returns whether the
    /// peer may stay.
    func exchangeMetadata(with peer: WakuPeerID) async -> Bool {
        let policy = metadataPolicy
        let transport = transport
        do {
            let remote = try await withDeadline("metadata") {
                let (stream, _) = try await transport.openStream(to: peer, protocols: [WakuProtocolID.metadata])
                defer { Task { await stream.close() } }
                try await stream.writeFrame(policy.localMessage.encoded())
                await stream.closeWrite()
                return try MetadataMessage(
                    decoding: try await stream.readFrame(maxSize: MetadataMessage.maxEncodedSize))
            }
            if let reason = policy.disconnectReason(for: remote) {
                logger.info("disconnecting peer: metadata", metadata: ["peer": "\(peer)", "reason": "\(reason)"])
                await transport.disconnect(peer)
                return false
            }
            metadataVerified.insert(peer)
            return true
        } catch {
            guard configuration.requireMetadata else { return true }
            logger.info("disconnecting peer: no metadata", metadata: ["peer": "\(peer)", "reason": "\(error)"])
            await transport.disconnect(peer)
            return false
        }
    }

    /// Answers a peer's metadata request with this node's cluster and shards.
    func serveMetadata(peer: WakuPeerID, stream: any WakuStream) async {
        defer { Task { await stream.close() } }
        do {
            let remote = try MetadataMessage(
                decoding: try await stream.readFrame(maxSize: MetadataMessage.maxEncodedSize))
            try await stream.writeFrame(metadataPolicy.localMessage.encoded())
            await stream.closeWrite()
            if let reason = metadataPolicy.disconnectReason(for: remote) {
                logger.info("disconnecting peer: metadata", metadata: ["peer": "\(peer)", "reason": "\(reason)"])
                await transport.disconnect(peer)
            } else {
                metadataVerified.insert(peer)
            }
        } catch {
            logger.debug("metadata request failed", metadata: ["peer": "\(peer)", "reason": "\(error)"])
        }
    }

    var metadataPolicy: MetadataPolicy {
        let shards = configuration.mode == .service ? configuration.shards.map { UInt32($0.shard) } : []
        return MetadataPolicy(clusterID: UInt32(configuration.sharding.cluster), shards: shards)
    }

    // MARK: 34/WAKU2-PEER-EXCHANGE (client)

    /// Asks one peer-exchange peer for peers and hands the usable ones to the planner.
    func requestPeerExchange() async {
        guard let peer = peersServing(WakuProtocolID.peerExchange).randomElement(using: &generator) else { return }
        let transport = transport
        do {
            let rpc = try await withDeadline("peer exchange") {
                let (stream, _) = try await transport.openStream(to: peer, protocols: [WakuProtocolID.peerExchange])
                defer { Task { await stream.close() } }
                try await stream.writeFrame(PeerExchangeRPC.query(numPeers: 20).encoded())
                await stream.closeWrite()
                return try PeerExchangeRPC(
                    decoding: try await stream.readFrame(maxSize: PeerExchangeRPC.maxEncodedSize))
            }
            let wanted: WakuCapabilities = configuration.mode == .service ? [.relay] : [.lightpush, .filter, .store]
            let candidates = rpc.enrs.compactMap {
                PeerExchangeCandidate(enr: $0, clusterID: configuration.sharding.cluster, wanted: wanted)
            }
            planner.learn(candidates.flatMap { candidate in candidate.addresses.map { ($0, candidate.peer) } })
            logger.debug(
                "peer exchange",
                metadata: ["peer": "\(peer)", "enrs": "\(rpc.enrs.count)", "usable": "\(candidates.count)"])
        } catch {
            logger.debug("peer exchange failed", metadata: ["peer": "\(peer)", "reason": "\(error)"])
        }
    }
}
