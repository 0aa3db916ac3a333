import NimbusConfig
import Testing

@Suite("NodeManagerConfig TOML parsing")
struct NodeManagerConfigTests {
    static func parse(_ text: String) throws(NodeManagerConfig.Invalid) -> NodeManagerConfig {
        try NodeManagerConfig(toml: text, source: "/etc/nimbus/nm.toml")
    }

    /// The description of the error `text` is refused with, or nil if it was accepted.
    static func refusal(_ text: String) -> String? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func everyKeyIsRead() throws {
        let config = try Self.parse(
            """
            data_dir = "/srv/nimbus"
            control_socket = "/run/nm/ctl.sock"
            control_group = "operators"
            policy_dir = "/usr/share/nimbus/policy"
            log_level = "debug"
            seccomp_debug = true
            shutdown_timeout_seconds = 42

            [users]
            network = "net-user"
            signer = "sign-user"
            """)
        var expected = NodeManagerConfig()
        expected.dataDir = "/srv/nimbus"
        expected.controlSocket = "/run/nm/ctl.sock"
        expected.controlGroup = "operators"
        expected.policyDir = "/usr/share/nimbus/policy"
        expected.logLevel = "debug"
        expected.seccompDebug = true
        expected.shutdownTimeoutSeconds = 42
        expected.networkUser = "net-user"
        expected.signerUser = "sign-user"
        #expect(config == expected)
    }

    @Test func emptyFileLeavesEverythingUnset() throws {
        #expect(try Self.parse("") == NodeManagerConfig())
        #expect(try Self.parse("# only a comment\n") == NodeManagerConfig())
    }

    @Test func emptyUsersTableIsAccepted() throws {
        let config = try Self.parse("[users]\n")
        #expect(config.networkUser == nil)
        #expect(config.signerUser == nil)
    }

    @Test func unknownTopLevelKeyIsRejectedByName() {
        #expect(Self.refusal("data_dir = \"/x\"\ndata_dri = \"/y\"\n")
            == "/etc/nimbus/nm.toml: unknown key \"data_dri\"")
    }

    @Test func unknownKeyInUsersIsRejectedWithItsPath() {
        #expect(Self.refusal("[users]\nnetwork = \"a\"\ninstaller = \"root\"\n")
            == "/etc/nimbus/nm.toml: unknown key \"users.installer\"")
    }

    @Test func unknownTableIsRejectedByName() {
        #expect(Self.refusal("[roles]\nsigner = \"x\"\n") == "/etc/nimbus/nm.toml: unknown key \"roles\"")
    }

    @Test(arguments: [
        ("data_dir = 5", "data_dir must be a string"),
        ("control_socket = true", "control_socket must be a string"),
        ("log_level = [\"info\"]", "log_level must be a string"),
        ("seccomp_debug = \"yes\"", "seccomp_debug must be true or false"),
        ("seccomp_debug = 1", "seccomp_debug must be true or false"),
        ("shutdown_timeout_seconds = \"10\"", "shutdown_timeout_seconds must be an integer"),
        ("shutdown_timeout_seconds = 10.5", "shutdown_timeout_seconds must be an integer"),
        ("users = \"nimbus\"", "users must be a table"),
        ("[users]\nsigner = 7", "users.signer must be a string"),
    ])
    func wrongTypeIsRejectedWithTheKeyAndTheExpectedType(toml: String, message: String) {
        #expect(Self.refusal(toml) == "/etc/nimbus/nm.toml: \(message)")
    }

    @Test func invalidLogLevelIsRejectedListingTheValidOnes() {
        #expect(Self.refusal("log_level = \"verbose\"")
            == "/etc/nimbus/nm.toml: log_level must be one of trace, debug, info, notice, warning, error, critical, "
            + "not \"verbose\"")
    }

    @Test(arguments: ["trace", "debug", "info", "notice", "warning", "error", "critical"])
    func everyDocumentedLogLevelIsAccepted(level: String) throws {
        #expect(try Self.parse("log_level = \"\(level)\"").logLevel == level)
    }

    @Test(arguments: [1, 600])
    func shutdownTimeoutAtTheBoundsIsAccepted(seconds: Int) throws {
        #expect(try Self.parse("shutdown_timeout_seconds = \(seconds)").shutdownTimeoutSeconds == seconds)
    }

    @Test(arguments: [0, 601, -5])
    func shutdownTimeoutOutsideTheBoundsIsRejected(seconds: Int) {
        #expect(Self.refusal("shutdown_timeout_seconds = \(seconds)")
            == "/etc/nimbus/nm.toml: shutdown_timeout_seconds must be between 1 and 600, not \(seconds)")
    }

    @Test func syntaxErrorNamesFileLineAndColumn() throws {
        let message = try #require(Self.refusal("data_dir = \"/x\"\n\nlog_level = = \"info\"\n"))
        #expect(message.hasPrefix("/etc/nimbus/nm.toml:3:13: "), "\(message)")
        #expect(message.count > "/etc/nimbus/nm.toml:3:13: ".count)
    }

    @Test func unterminatedStringNamesItsLine() throws {
        let message = try #require(Self.refusal("control_group = \"nimbus\ndata_dir = \"/x\"\n"))
        #expect(message.hasPrefix("/etc/nimbus/nm.toml:1:"), "\(message)")
    }

    @Test func duplicateKeyIsASyntaxError() throws {
        let message = try #require(Self.refusal("data_dir = \"/a\"\ndata_dir = \"/b\"\n"))
        #expect(message.hasPrefix("/etc/nimbus/nm.toml:2:"), "\(message)")
    }
}
