import NimbusConfig
import Testing

@Suite("Settings.resolve")
struct SettingsTests {
    static func dev() -> Settings.Overrides {
        var overrides = Settings.Overrides()
        overrides.dev = true
        return overrides
    }

    static func resolve(
        _ config: NodeManagerConfig = NodeManagerConfig(), _ overrides: Settings.Overrides = Settings.Overrides(),
        isRoot: Bool = true, cwd: String = "/home/op/work"
    ) throws(Settings.Invalid) -> Settings {
        try Settings.resolve(config: config, overrides: overrides, isRoot: isRoot, workingDirectory: cwd)
    }

    @Test func systemModeWithoutRootIsRefusedPointingAtDev() {
        let error = #expect(throws: Settings.Invalid.self) { try Self.resolve(isRoot: false) }
        #expect(error?.description.contains("system mode needs root") == true)
        #expect(error?.description.contains("nimbus-node-manager --dev") == true)
    }

    @Test func devModeDefaultsLiveUnderTheWorkingDirectory() throws {
        let settings = try Self.resolve(NodeManagerConfig(), Self.dev(), isRoot: false, cwd: "/home/op/work")
        #expect(settings.mode == .dev)
        #expect(settings.dataDir == "/home/op/work/.nimbus-dev")
        #expect(settings.controlSocket == "/home/op/work/.nimbus-dev/control.sock")
        #expect(settings.controlGroup == "nimbus-nm")
        #expect(settings.policyDir == nil)
        #expect(settings.logLevel == "info")
        #expect(settings.seccompDebug == false)
        #expect(settings.shutdownTimeoutSeconds == 10)
    }

    /// `[waku] mode`: dev mode listens by default, `client` turns that off, `service` needs an address in system mode.
    @Test func wakuModeChoosesClientOrService() throws {
        #expect(try Self.resolve(NodeManagerConfig(), Self.dev()).waku.listen == "127.0.0.1:60000")
        let client = try NodeManagerConfig(toml: "[waku]\nmode = \"client\"\nbootstrap = []\n", source: "t.toml")
        let devClient = try Self.resolve(client, Self.dev())
        #expect(devClient.waku.listen == nil)
        #expect(devClient.waku.bootstrap == [])
        var flagged = Self.dev()
        flagged.wakuListen = "127.0.0.1:0"
        let conflict = #expect(throws: Settings.Invalid.self) { try Self.resolve(client, flagged) }
        #expect(conflict?.description.contains("does not listen") == true)

        let service = try NodeManagerConfig(toml: "[waku]\nmode = \"service\"\n", source: "t.toml")
        #expect(try Self.resolve(service, Self.dev()).waku.listen == "127.0.0.1:60000")
        let unbound = #expect(throws: Settings.Invalid.self) { try Self.resolve(service) }
        #expect(unbound?.description.contains("needs a listen address") == true)

        let typo = #expect(throws: NodeManagerConfig.Invalid.self) {
            try NodeManagerConfig(toml: "[waku]\nmode = \"light\"\n", source: "t.toml")
        }
        #expect(typo?.description == "t.toml: [waku] mode must be \"client\" or \"service\", not \"light\"")
    }

    @Test func devModeIsAllowedForRootToo() throws {
        #expect(try Self.resolve(NodeManagerConfig(), Self.dev(), isRoot: true).mode == .dev)
    }

    @Test func systemModeDefaults() throws {
        let settings = try Self.resolve(isRoot: true)
        #expect(settings.mode == .system)
        #expect(settings.dataDir == "/var/lib/nimbus-node-manager")
        #expect(settings.controlSocket == "/run/nimbus-node-manager/control.sock")
        #expect(settings.networkUser == "nimbus-nm")
        #expect(settings.signerUser == "nimbus-signer")
        #expect(settings.controlGroup == "nimbus-nm")
        #expect(settings.logLevel == "info")
        #expect(settings.seccompDebug == false)
        #expect(settings.shutdownTimeoutSeconds == 10)
        #expect(settings.policyDir == nil)
    }

    @Test func fileValuesReplaceTheDefaults() throws {
        var config = NodeManagerConfig()
        config.dataDir = "/srv/nm"
        config.controlSocket = "/run/nm.sock"
        config.controlGroup = "ops"
        config.policyDir = "/etc/nm/policy"
        config.logLevel = "warning"
        config.seccompDebug = true
        config.shutdownTimeoutSeconds = 30
        config.networkUser = "netu"
        config.signerUser = "signu"
        let settings = try Self.resolve(config)
        #expect(settings.dataDir == "/srv/nm")
        #expect(settings.controlSocket == "/run/nm.sock")
        #expect(settings.controlGroup == "ops")
        #expect(settings.policyDir == "/etc/nm/policy")
        #expect(settings.logLevel == "warning")
        #expect(settings.seccompDebug == true)
        #expect(settings.shutdownTimeoutSeconds == 30)
        #expect(settings.networkUser == "netu")
        #expect(settings.signerUser == "signu")
    }

    @Test func commandLineWinsOverTheFile() throws {
        var config = NodeManagerConfig()
        config.dataDir = "/from/file"
        config.controlSocket = "/from/file.sock"
        config.policyDir = "/from/file/policy"
        config.logLevel = "error"
        config.seccompDebug = true
        var overrides = Settings.Overrides()
        overrides.dataDir = "/from/cli"
        overrides.controlSocket = "/from/cli.sock"
        overrides.policyDir = "/from/cli/policy"
        overrides.logLevel = "trace"
        overrides.seccompDebug = false
        let settings = try Self.resolve(config, overrides)
        #expect(settings.dataDir == "/from/cli")
        #expect(settings.controlSocket == "/from/cli.sock")
        #expect(settings.policyDir == "/from/cli/policy")
        #expect(settings.logLevel == "trace")
        #expect(settings.seccompDebug == false)
    }

    @Test func devSocketFollowsAnOverriddenDataDir() throws {
        var overrides = Self.dev()
        overrides.dataDir = "/tmp/nm-a"
        let settings = try Self.resolve(NodeManagerConfig(), overrides, isRoot: false)
        #expect(settings.controlSocket == "/tmp/nm-a/control.sock")
    }

    @Test func systemSocketDoesNotFollowTheDataDir() throws {
        var config = NodeManagerConfig()
        config.dataDir = "/srv/nm"
        #expect(try Self.resolve(config).controlSocket == "/run/nimbus-node-manager/control.sock")
    }

    @Test func relativePathsBecomeAbsoluteUnderTheWorkingDirectory() throws {
        var config = NodeManagerConfig()
        config.policyDir = "../policy"
        var overrides = Self.dev()
        overrides.dataDir = "state/./nm/"
        overrides.controlSocket = "run/../sock/ctl.sock"
        let settings = try Self.resolve(config, overrides, isRoot: false, cwd: "/home/op/work/")
        #expect(settings.dataDir == "/home/op/work/state/nm")
        #expect(settings.controlSocket == "/home/op/work/sock/ctl.sock")
        #expect(settings.policyDir == "/home/op/policy")
    }

    @Test func absolutePathsAreNormalized() throws {
        var config = NodeManagerConfig()
        config.dataDir = "//var//lib/./nimbus/../nm/"
        config.controlSocket = "/run/../../run/nm.sock"
        let settings = try Self.resolve(config)
        #expect(settings.dataDir == "/var/lib/nm")
        #expect(settings.controlSocket == "/run/nm.sock")
    }

    @Test func derivedDevSocketIsNormalizedToo() throws {
        var overrides = Self.dev()
        overrides.dataDir = "a/b/.."
        let settings = try Self.resolve(NodeManagerConfig(), overrides, isRoot: false, cwd: "/w")
        #expect(settings.dataDir == "/w/a")
        #expect(settings.controlSocket == "/w/a/control.sock")
    }
}
