import Foundation

/// The account a launched node runs as. As root the installer starts it as `[nodes.launch] user` (default "nimbus",
/// the packages' account), which drops every capability at exec; in dev mode the node runs as the invoking user.
struct NodeAccount {
    var identity: (uid: UInt32, gid: UInt32, groups: [UInt32])?
    var environment: [String]
    /// Why the node cannot be started as configured, in words a person can act on.
    var problem: String?

    static let defaultUser = "nimbus"

    static func resolve(_ configured: String?) -> NodeAccount {
        let base = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8"]
        guard geteuid() == 0 else {
            let me = getpwuid(geteuid()).map { String(cString: $0.pointee.pw_name) } ?? "uid \(geteuid())"
            let home = getpwuid(geteuid()).map { String(cString: $0.pointee.pw_dir) } ?? "/"
            if let configured, configured != me {
                return NodeAccount(
                    identity: nil, environment: base,
                    problem: "[nodes.launch] user is \(configured), but the node manager runs as \(me) and can "
                        + "start nodes only as itself; run it as root, or remove user")
            }
            return NodeAccount(identity: nil, environment: base + ["HOME=\(home)"], problem: nil)
        }
        let name = configured ?? defaultUser
        guard let entry = getpwnam(name) else {
            return NodeAccount(
                identity: nil, environment: base,
                problem: "the account \(name) does not exist: create it (useradd --system \(name)) or set "
                    + "[nodes.launch] user")
        }
        let uid = entry.pointee.pw_uid
        let gid = entry.pointee.pw_gid
        guard uid != 0 else {
            return NodeAccount(
                identity: nil, environment: base,
                problem: "[nodes.launch] user \(name) is root: a node never runs as root; choose an ordinary account")
        }
        let home = String(cString: entry.pointee.pw_dir)
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(name, gid, &groups, &count) < 0 {
            groups = [gid_t](repeating: 0, count: Int(count))
            _ = getgrouplist(name, gid, &groups, &count)
        }
        return NodeAccount(
            identity: (uid, gid, Array(groups.prefix(Int(max(count, 0))))),
            environment: base + ["HOME=\(home)", "USER=\(name)"], problem: nil)
    }

    /// Creates a missing data directory (mode 0700, owned by the node's account as root), so that Landlock can
    /// grant it and the node finds it. An existing directory is left as it is.
    static func prepareDataDirectory(_ path: String, for configured: String?) {
        var info = stat()
        guard stat(path, &info) != 0 else { return }
        guard (try? FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])) != nil
        else { return }
        if geteuid() == 0, let entry = getpwnam(configured ?? defaultUser), entry.pointee.pw_uid != 0 {
            _ = chown(path, entry.pointee.pw_uid, entry.pointee.pw_gid)
        }
    }
}
