import NimbusConfig

/// The command line the installer starts a supervised node with: every flag generated from the node's
/// `[[nodes]]` entry, so that the URLs the network role polls and the ports the node serves cannot drift apart,
/// then the entry's `extra_args`. Pure.
public enum NodeCommandLine {
    /// `argv`, starting with the binary; nil when the node has no `[nodes.launch]`.
    public static func arguments(for node: ManagedNode) -> [String]? {
        guard let launch = node.launch, let dataDir = node.dataDir, let rest = HTTPURL(node.rest) else { return nil }
        var argv = [
            launch.binary, "--network=\(launch.network)", "--data-dir=\(dataDir)", "--non-interactive",
            "--rest", "--rest-address=\(rest.host)", "--rest-port=\(rest.port)",
        ]
        if let metrics = node.metrics.flatMap(HTTPURL.init) {
            argv += ["--metrics", "--metrics-address=\(metrics.host)", "--metrics-port=\(metrics.port)"]
        }
        if let keymanager = node.keymanager.flatMap(HTTPURL.init), let token = node.keymanagerTokenFile {
            argv += [
                "--keymanager", "--keymanager-address=\(keymanager.host)", "--keymanager-port=\(keymanager.port)",
                "--keymanager-token-file=\(token)",
            ]
        }
        argv += launch.el.map { "--el=\($0)" }
        if let secret = launch.jwtSecret { argv.append("--jwt-secret=\(secret)") }
        argv.append("--doppelganger-detection=\(launch.doppelgangerDetection)")
        return argv + launch.extraArgs
    }
}
