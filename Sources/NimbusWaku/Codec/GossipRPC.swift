/// A gossipsub RPC (libp2p pubsub `rpc.proto`, gossipsub v1.1 control messages), the unit 11/WAKU2-RELAY peers
/// exchange on their `/vac/waku/relay/2.0.0` streams, one length-prefixed RPC after another.
public struct GossipRPC: Hashable, Sendable {
    /// Decoder bounds. libp2p's default maximum RPC is 1 MiB; the counts keep one RPC from making a node do
    /// unbounded work.
    public struct Limits: Hashable, Sendable {
        /// The largest RPC accepted.
        public var maxEncodedSize: Int
        /// Subscription changes per RPC.
        public var maxSubscriptions: Int
        /// Published messages per RPC.
        public var maxMessages: Int
        /// Message ids over all IHAVE, IWANT and IDONTWANT entries of one RPC.
        public var maxMessageIDs: Int
        /// Control entries (IHAVE, IWANT, GRAFT, PRUNE, IDONTWANT) per RPC.
        public var maxControlEntries: Int
        /// The longest message id (Waku's are 32 bytes; other networks' may be longer).
        public var maxMessageIDSize: Int
        /// The longest topic.
        public var maxTopicSize: Int

        /// The bounds used on relay streams.
        public static let relay = Limits(
            maxEncodedSize: 1024 * 1024, maxSubscriptions: 1024, maxMessages: 1024, maxMessageIDs: 5000,
            maxControlEntries: 1024, maxMessageIDSize: 128, maxTopicSize: CodecLimits.pubsubTopic)
    }

    /// A subscription change (`SubOpts`).
    public struct Subscription: Hashable, Sendable {
        /// True to subscribe, false to unsubscribe.
        public var subscribe: Bool
        /// The topic.
        public var topic: String

        /// A change from its fields.
        public init(subscribe: Bool, topic: String) {
            self.subscribe = subscribe
            self.topic = topic
        }
    }

    /// A published message (`Message`). Under StrictNoSign (11/WAKU2-RELAY) `from`, `seqno`, `signature` and
    /// `key` must be absent; the decoder keeps them so that the router can refuse such messages.
    public struct Message: Hashable, Sendable {
        /// The author's peer id (must be absent).
        public var from: [UInt8]?
        /// The payload: a `WakuMessage`'s bytes.
        public var data: [UInt8]
        /// The sequence number (must be absent).
        public var seqno: [UInt8]?
        /// The topics (`topicIDs`, repeated in older versions of the spec; exactly one for Waku).
        public var topics: [String]
        /// The signature (must be absent).
        public var signature: [UInt8]?
        /// The signing key (must be absent).
        public var key: [UInt8]?

        /// An unsigned message on one topic, as StrictNoSign requires.
        public init(topic: String, data: [UInt8]) {
            self.init(from: nil, data: data, seqno: nil, topics: [topic], signature: nil, key: nil)
        }

        /// A message from all its fields.
        public init(
            from: [UInt8]?, data: [UInt8], seqno: [UInt8]?, topics: [String], signature: [UInt8]?, key: [UInt8]?
        ) {
            self.from = from
            self.data = data
            self.seqno = seqno
            self.topics = topics
            self.signature = signature
            self.key = key
        }

        /// Whether the message obeys StrictNoSign: no author fields and exactly one topic.
        public var isStrictNoSign: Bool {
            from == nil && seqno == nil && signature == nil && key == nil && topics.count == 1
        }
    }

    /// IHAVE: message ids the sender has for a topic.
    public struct IHave: Hashable, Sendable {
        /// The topic.
        public var topic: String
        /// The ids.
        public var messageIDs: [[UInt8]]

        /// An entry from its fields.
        public init(topic: String, messageIDs: [[UInt8]]) {
            self.topic = topic
            self.messageIDs = messageIDs
        }
    }

    /// PRUNE: the sender removed the receiver from its mesh for a topic.
    public struct Prune: Hashable, Sendable {
        /// The topic.
        public var topic: String
        /// Peer exchange records (v1.1 PX); kept only for their count, never dialled.
        public var peerCount: Int
        /// Seconds the receiver must wait before grafting again (v1.1).
        public var backoffSeconds: UInt64?

        /// An entry from its fields.
        public init(topic: String, peerCount: Int = 0, backoffSeconds: UInt64?) {
            self.topic = topic
            self.peerCount = peerCount
            self.backoffSeconds = backoffSeconds
        }
    }

    /// The control part of an RPC.
    public struct Control: Hashable, Sendable {
        /// IHAVE entries.
        public var ihave: [IHave]
        /// IWANT entries, each a list of ids.
        public var iwant: [[[UInt8]]]
        /// GRAFT topics.
        public var graft: [String]
        /// PRUNE entries.
        public var prune: [Prune]
        /// IDONTWANT entries (gossipsub v1.2), decoded so that peers speaking v1.2 are understood; not acted on.
        public var idontwant: [[[UInt8]]]

        /// A control part from its entries.
        public init(
            ihave: [IHave] = [], iwant: [[[UInt8]]] = [], graft: [String] = [], prune: [Prune] = [],
            idontwant: [[[UInt8]]] = []
        ) {
            self.ihave = ihave
            self.iwant = iwant
            self.graft = graft
            self.prune = prune
            self.idontwant = idontwant
        }

        /// Whether there is nothing to send.
        public var isEmpty: Bool {
            ihave.isEmpty && iwant.isEmpty && graft.isEmpty && prune.isEmpty && idontwant.isEmpty
        }
    }

    /// Subscription changes.
    public var subscriptions: [Subscription]
    /// Published messages.
    public var messages: [Message]
    /// The control part, if any.
    public var control: Control?

    /// An RPC from its parts.
    public init(subscriptions: [Subscription] = [], messages: [Message] = [], control: Control? = nil) {
        self.subscriptions = subscriptions
        self.messages = messages
        self.control = control
    }

    /// Whether there is nothing to send.
    public var isEmpty: Bool { subscriptions.isEmpty && messages.isEmpty && (control?.isEmpty ?? true) }
}
