/// Who may open a `nimbus keys` session, checked by the signer itself on the socket it receives (the network role
/// checked too, but the signer does not take its word). Text form, as the supervisor passes it: "uid:0,gid:998".
public struct KeysClientPolicy: Sendable, Equatable {
    public var uids: Set<UInt32>
    public var gids: Set<UInt32>

    public init(uids: Set<UInt32>, gids: Set<UInt32>) {
        self.uids = uids
        self.gids = gids
    }

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    public init(parsing text: String) throws(Invalid) {
        var uids: Set<UInt32> = []
        var gids: Set<UInt32> = []
        for item in text.split(separator: ",") {
            let parts = item.split(separator: ":")
            guard parts.count == 2, let number = UInt32(parts[1]) else {
                throw Invalid(description: "--keys-clients entries are uid:N or gid:N, not \(item)")
            }
            switch parts[0] {
            case "uid": uids.insert(number)
            case "gid": gids.insert(number)
            default: throw Invalid(description: "--keys-clients entries are uid:N or gid:N, not \(item)")
            }
        }
        guard !uids.isEmpty || !gids.isEmpty else { throw Invalid(description: "--keys-clients admits no one") }
        self.init(uids: uids, gids: gids)
    }

    /// Whether a peer with this uid and these groups (primary and supplementary) may use the keys.
    public func permits(uid: UInt32, groups: [UInt32]) -> Bool {
        uids.contains(uid) || groups.contains { gids.contains($0) }
    }

    /// The group ids of a process from its `/proc/<pid>/status` text: the real/effective "Gid:" values and
    /// "Groups:". Nil when the text has no Gid line (not a status file).
    public static func groups(fromProcStatus text: String) -> [UInt32]? {
        var groups: [UInt32] = []
        var sawGid = false
        for line in text.split(separator: "\n") {
            if line.hasPrefix("Gid:") {
                sawGid = true
                groups += line.dropFirst(4).split(whereSeparator: { $0 == " " || $0 == "\t" }).prefix(2)
                    .compactMap { UInt32($0) }
            } else if line.hasPrefix("Groups:") {
                groups += line.dropFirst(7).split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { UInt32($0) }
            }
        }
        return sawGid ? groups : nil
    }
}
