extension GossipRPC {
    /// The encoding (RPC: subscriptions 1, publish 2, control 3).
    public func encoded() -> [UInt8] {
        var writer = ProtoWriter()
        for subscription in subscriptions {
            var inner = ProtoWriter()
            inner.bool(1, subscription.subscribe)
            inner.string(2, subscription.topic)
            writer.bytes(1, inner.bytes)
        }
        for message in messages { writer.bytes(2, message.encoded()) }
        if let control, !control.isEmpty { writer.bytes(3, control.encoded()) }
        return writer.bytes
    }

    /// Decodes an RPC within `limits`.
    public init<Bytes: Collection<UInt8>>(decoding bytes: Bytes, limits: Limits = .relay) throws(WakuCodecError) {
        let slice = ArraySlice(bytes)
        guard slice.count <= limits.maxEncodedSize else {
            throw .tooLarge(what: "gossipsub RPC", size: slice.count, limit: limits.maxEncodedSize)
        }
        var reader = ProtoReader(slice, context: "RPC")
        var seen = SeenFields()
        var rpc = GossipRPC()
        var budget = GossipIDBudget(limits: limits)
        while let field = try reader.next() {
            switch field.number {
            case 1:
                rpc.subscriptions.append(try Self.decodeSubscription(field.bytes("RPC.subscriptions"), limits))
                guard rpc.subscriptions.count <= limits.maxSubscriptions else {
                    throw .tooMany(
                        what: "RPC.subscriptions", count: rpc.subscriptions.count, limit: limits.maxSubscriptions)
                }
            case 2:
                rpc.messages.append(try Message(decoding: field.bytes("RPC.publish"), limits: limits))
                guard rpc.messages.count <= limits.maxMessages else {
                    throw .tooMany(what: "RPC.publish", count: rpc.messages.count, limit: limits.maxMessages)
                }
            case 3:
                try seen.once(3, "RPC.control")
                rpc.control = try Control(decoding: field.bytes("RPC.control"), budget: &budget)
            default:
                continue
            }
        }
        self = rpc
    }

    private static func decodeSubscription(_ bytes: ArraySlice<UInt8>, _ limits: Limits) throws(WakuCodecError)
        -> Subscription
    {
        var reader = ProtoReader(bytes, context: "SubOpts")
        var seen = SeenFields()
        var subscribe = false
        var topic: String?
        while let field = try reader.next() {
            switch field.number {
            case 1:
                try seen.once(1, "SubOpts.subscribe")
                subscribe = try field.bool("SubOpts.subscribe")
            case 2:
                try seen.once(2, "SubOpts.topicid")
                topic = try field.string("SubOpts.topicid", limit: limits.maxTopicSize)
            default:
                continue
            }
        }
        guard let topic, !topic.isEmpty else { throw .missingField("SubOpts.topicid") }
        return Subscription(subscribe: subscribe, topic: topic)
    }
}

/// Counts message ids and control entries across one RPC's control part against the limits.
struct GossipIDBudget {
    let limits: GossipRPC.Limits
    private(set) var ids = 0
    private(set) var entries = 0

    init(limits: GossipRPC.Limits) {
        self.limits = limits
    }

    mutating func takeID(_ field: ProtoReader.Field, _ name: String) throws(WakuCodecError) -> [UInt8] {
        ids += 1
        guard ids <= limits.maxMessageIDs else {
            throw .tooMany(what: "message ids", count: ids, limit: limits.maxMessageIDs)
        }
        let id = try field.bytes(name, limit: limits.maxMessageIDSize)
        guard !id.isEmpty else { throw .invalidValue(field: name, reason: "empty message id") }
        return Array(id)
    }

    mutating func takeEntry() throws(WakuCodecError) {
        entries += 1
        guard entries <= limits.maxControlEntries else {
            throw .tooMany(what: "control entries", count: entries, limit: limits.maxControlEntries)
        }
    }
}

extension GossipRPC.Message {
    /// The encoding (from 1, data 2, seqno 3, topic 4, signature 5, key 6); absent fields are not written, as
    /// StrictNoSign requires.
    public func encoded() -> [UInt8] {
        var writer = ProtoWriter()
        if let from { writer.bytes(1, from) }
        writer.bytes(2, data)
        if let seqno { writer.bytes(3, seqno) }
        for topic in topics { writer.string(4, topic) }
        if let signature { writer.bytes(5, signature) }
        if let key { writer.bytes(6, key) }
        return writer.bytes
    }

    init(decoding bytes: ArraySlice<UInt8>, limits: GossipRPC.Limits) throws(WakuCodecError) {
        var reader = ProtoReader(bytes, context: "Message")
        var seen = SeenFields()
        var message = GossipRPC.Message(from: nil, data: [], seqno: nil, topics: [], signature: nil, key: nil)
        while let field = try reader.next() {
            switch field.number {
            case 1:
                try seen.once(1, "Message.from")
                message.from = Array(try field.bytes("Message.from", limit: 256))
            case 2:
                try seen.once(2, "Message.data")
                message.data = Array(try field.bytes("Message.data"))
            case 3:
                try seen.once(3, "Message.seqno")
                message.seqno = Array(try field.bytes("Message.seqno", limit: 256))
            case 4:
                message.topics.append(try field.string("Message.topic", limit: limits.maxTopicSize))
                guard message.topics.count <= 16 else {
                    throw .tooMany(what: "Message.topic", count: message.topics.count, limit: 16)
                }
            case 5:
                try seen.once(5, "Message.signature")
                message.signature = Array(try field.bytes("Message.signature", limit: 1024))
            case 6:
                try seen.once(6, "Message.key")
                message.key = Array(try field.bytes("Message.key", limit: 1024))
            default:
                continue
            }
        }
        guard !message.topics.isEmpty else { throw .missingField("Message.topic") }
        self = message
    }
}

extension GossipRPC.Control {
    /// The encoding (ihave 1, iwant 2, graft 3, prune 4, idontwant 5).
    public func encoded() -> [UInt8] {
        var writer = ProtoWriter()
        for entry in ihave {
            var inner = ProtoWriter()
            inner.string(1, entry.topic)
            for id in entry.messageIDs { inner.bytes(2, id) }
            writer.bytes(1, inner.bytes)
        }
        for ids in iwant {
            var inner = ProtoWriter()
            for id in ids { inner.bytes(1, id) }
            writer.bytes(2, inner.bytes)
        }
        for topic in graft {
            var inner = ProtoWriter()
            inner.string(1, topic)
            writer.bytes(3, inner.bytes)
        }
        for entry in prune {
            var inner = ProtoWriter()
            inner.string(1, entry.topic)
            if let backoff = entry.backoffSeconds { inner.varint(3, backoff) }
            writer.bytes(4, inner.bytes)
        }
        for ids in idontwant {
            var inner = ProtoWriter()
            for id in ids { inner.bytes(1, id) }
            writer.bytes(5, inner.bytes)
        }
        return writer.bytes
    }

    init(decoding bytes: ArraySlice<UInt8>, budget: inout GossipIDBudget) throws(WakuCodecError) {
        var reader = ProtoReader(bytes, context: "ControlMessage")
        var control = GossipRPC.Control()
        let topicLimit = budget.limits.maxTopicSize
        while let field = try reader.next() {
            switch field.number {
            case 1:
                try budget.takeEntry()
                var inner = ProtoReader(try field.bytes("ControlMessage.ihave"), context: "ControlIHave")
                var seen = SeenFields()
                var entry = GossipRPC.IHave(topic: "", messageIDs: [])
                while let item = try inner.next() {
                    switch item.number {
                    case 1:
                        try seen.once(1, "ControlIHave.topicID")
                        entry.topic = try item.string("ControlIHave.topicID", limit: topicLimit)
                    case 2:
                        entry.messageIDs.append(try budget.takeID(item, "ControlIHave.messageIDs"))
                    default:
                        continue
                    }
                }
                control.ihave.append(entry)
            case 2:
                try budget.takeEntry()
                control.iwant.append(try Self.decodeIDs(field.bytes("ControlMessage.iwant"), "ControlIWant", &budget))
            case 3:
                try budget.takeEntry()
                var inner = ProtoReader(try field.bytes("ControlMessage.graft"), context: "ControlGraft")
                var seen = SeenFields()
                var topic = ""
                while let item = try inner.next() {
                    guard item.number == 1 else { continue }
                    try seen.once(1, "ControlGraft.topicID")
                    topic = try item.string("ControlGraft.topicID", limit: topicLimit)
                }
                control.graft.append(topic)
            case 4:
                try budget.takeEntry()
                var inner = ProtoReader(try field.bytes("ControlMessage.prune"), context: "ControlPrune")
                var seen = SeenFields()
                var entry = GossipRPC.Prune(topic: "", backoffSeconds: nil)
                while let item = try inner.next() {
                    switch item.number {
                    case 1:
                        try seen.once(1, "ControlPrune.topicID")
                        entry.topic = try item.string("ControlPrune.topicID", limit: topicLimit)
                    case 2:
                        // PeerInfo records for v1.1 peer exchange; only counted (Waku discovers peers otherwise).
                        _ = try item.bytes("ControlPrune.peers", limit: 4096)
                        entry.peerCount += 1
                        try budget.takeEntry()
                    case 3:
                        try seen.once(3, "ControlPrune.backoff")
                        entry.backoffSeconds = try item.varint("ControlPrune.backoff")
                    default:
                        continue
                    }
                }
                control.prune.append(entry)
            case 5:
                try budget.takeEntry()
                control.idontwant.append(
                    try Self.decodeIDs(field.bytes("ControlMessage.idontwant"), "ControlIDontWant", &budget))
            default:
                continue
            }
        }
        self = control
    }

    private static func decodeIDs(_ bytes: ArraySlice<UInt8>, _ context: String, _ budget: inout GossipIDBudget)
        throws(WakuCodecError) -> [[UInt8]]
    {
        var reader = ProtoReader(bytes, context: context)
        var ids: [[UInt8]] = []
        while let item = try reader.next() {
            guard item.number == 1 else { continue }
            ids.append(try budget.takeID(item, "\(context).messageIDs"))
        }
        return ids
    }
}
