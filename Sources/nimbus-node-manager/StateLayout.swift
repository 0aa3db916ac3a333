import Foundation
import NimbusConfig
import NimbusIPC

/// A user the supervisor resolved from the password database.
struct Account: Equatable {
    var name: String
    var uid: uid_t
    var gid: gid_t

    static func lookup(_ name: String) -> Account? {
        guard let entry = getpwnam(name) else { return nil }
        return Account(name: name, uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
    }

    static func current() -> Account {
        let uid = getuid()
        let name = getpwuid(uid).map { String(cString: $0.pointee.pw_name) } ?? "uid\(uid)"
        return Account(name: name, uid: uid, gid: getgid())
    }
}

/// Creates the data directory and one private directory per role, owned by the role's user, and the control
/// socket's directory. Run once at start, before any role exists.
struct StateLayout {
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    let settings: Settings

    /// The account each role runs as.
    func accounts() throws(Problem) -> [Role: Account] {
        guard settings.mode == .system else {
            let me = Account.current()
            return [.network: me, .signer: me, .installer: me]
        }
        func require(_ name: String, _ key: String) throws(Problem) -> Account {
            guard let account = Account.lookup(name) else {
                throw Problem(description: "user \(name) does not exist: create it with `useradd --system "
                    + "--no-create-home --shell /usr/sbin/nologin \(name)` or set [users] \(key) in the configuration")
            }
            guard account.uid != 0 else { throw Problem(description: "user \(name) is root; the \(key) role must not be") }
            return account
        }
        let network = try require(settings.networkUser, "network")
        let signer = try require(settings.signerUser, "signer")
        guard network.uid != signer.uid else {
            throw Problem(description: "the network and signer roles must run as different users (both are \(network.name))")
        }
        return [.network: network, .signer: signer, .installer: Account(name: "root", uid: 0, gid: 0)]
    }

    /// Creates or repairs the directories. In system mode the data directory is traversable but not listable
    /// (0711) and each role's directory is 0700 and owned by that role's user.
    func prepare(accounts: [Role: Account]) throws(Problem) {
        let system = settings.mode == .system
        try makeDirectory(settings.dataDir, mode: system ? 0o711 : 0o700, owner: nil)
        for role in Role.children {
            let owner = system ? accounts[role] : nil
            try makeDirectory("\(settings.dataDir)/\(role)", mode: 0o700, owner: owner.map { ($0.uid, $0.gid) })
        }
        let socketDir = (settings.controlSocket as NSString).deletingLastPathComponent
        if system, socketDir != settings.dataDir, let network = accounts[.network] {
            guard let group = getgrnam(settings.controlGroup) else {
                throw Problem(description: "group \(settings.controlGroup) (control_group) does not exist: create it "
                    + "with `groupadd --system \(settings.controlGroup)` and add the users allowed to run `nimbus`")
            }
            // setgid: the socket the network role creates inherits the control group.
            try makeDirectory(socketDir, mode: 0o2750, owner: (network.uid, group.pointee.gr_gid))
        } else if !system, socketDir != settings.dataDir {
            try makeDirectory(socketDir, mode: 0o700, owner: nil)
        }
    }

    private func makeDirectory(_ path: String, mode: mode_t, owner: (uid_t, gid_t)?) throws(Problem) {
        // Missing parents are created like `mkdir -p` does (0755); only the last component gets `mode` and `owner`.
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != path && access(parent, F_OK) != 0 {
            do {
                try FileManager.default.createDirectory(
                    atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            } catch {
                throw Problem(description: "cannot create \(parent): \(error.localizedDescription)")
            }
        }
        if mkdir(path, mode) != 0 && errno != EEXIST {
            throw Problem(description: "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw Problem(description: "\(path) is not a directory")
        }
        if let (uid, gid) = owner, info.st_uid != uid || info.st_gid != gid {
            guard chown(path, uid, gid) == 0 else {
                throw Problem(description: "cannot give \(path) to uid \(uid): \(String(cString: strerror(errno)))")
            }
        }
        if owner == nil && info.st_uid != geteuid() {
            throw Problem(description: "\(path) belongs to uid \(info.st_uid), not to this user (uid \(geteuid()))")
        }
        guard chmod(path, mode) == 0 else {
            throw Problem(description: "cannot set mode \(String(mode, radix: 8)) on \(path): \(String(cString: strerror(errno)))")
        }
    }
}
