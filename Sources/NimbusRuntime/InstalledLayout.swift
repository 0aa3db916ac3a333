import Foundation

/// Where the node manager's files are relative to its executables: the same rules for the supervisor (which starts
/// the roles) and the CLI (which starts the offline signer).
public enum InstalledLayout {
    /// The directory of the running executable (from /proc/self/exe, so symlinks to it do not matter).
    public static func executableDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return "." }
        return (String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) as NSString)
            .deletingLastPathComponent
    }

    /// An installed layout keeps policies in ../share/nimbus-node-manager/policy; a build tree keeps them in the
    /// package's policy/ directory, some levels above .build/<triple>/<configuration>/.
    public static func policyDirectory(near executableDir: String) -> String? {
        var candidates = [(executableDir as NSString).appendingPathComponent("../share/nimbus-node-manager/policy")]
        var dir = executableDir
        for _ in 0..<5 {
            dir = (dir as NSString).deletingLastPathComponent
            candidates.append((dir as NSString).appendingPathComponent("policy"))
        }
        return candidates.map { ($0 as NSString).standardizingPath }
            .first { FileManager.default.fileExists(atPath: "\($0)/network.policy") }
    }
}
