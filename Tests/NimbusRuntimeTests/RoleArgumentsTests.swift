import NimbusRuntime
import Testing

@Suite("RoleArguments")
struct RoleArgumentsTests {
    static let required = ["--state-dir", "/var/lib/nm/signer", "--policy", "/usr/share/nm/signer.policy"]

    /// The description of the error `arguments` are refused with, or nil if they were accepted.
    static func refusal(_ arguments: [String]) -> String? {
        do {
            _ = try RoleArguments.parse(arguments)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func minimalCommandLineGetsTheDefaults() throws {
        let parsed = try RoleArguments.parse(Self.required)
        #expect(parsed.stateDir == "/var/lib/nm/signer")
        #expect(parsed.policy == "/usr/share/nm/signer.policy")
        #expect(parsed.user == nil)
        #expect(parsed.seccompDebug == false)
        #expect(parsed.logLevel == "info")
        #expect(parsed.mode == "system")
        #expect(parsed.controlSocket == nil)
        #expect(parsed.controlSocketMode == 0o600)
    }

    @Test func everyFieldSurvivesARoundTrip() throws {
        var arguments = RoleArguments(stateDir: "/srv/nm/network", policy: "/etc/nm/network.policy")
        arguments.user = "nimbus-nm"
        arguments.seccompDebug = true
        arguments.logLevel = "debug"
        arguments.mode = "dev"
        arguments.controlSocket = "/run/nm/control.sock"
        arguments.controlSocketMode = 0o660
        arguments.monitoringJSON = #"{"releasePollSeconds":1,"restartWindowSeconds":60}"#
        #expect(arguments.arguments.contains("660"))
        #expect(try RoleArguments.parse(arguments.arguments) == arguments)
    }

    @Test func defaultsSurviveARoundTrip() throws {
        let arguments = RoleArguments(stateDir: "/s", policy: "/p")
        #expect(
            arguments.arguments == ["--state-dir", "/s", "--policy", "/p", "--log-level", "info", "--mode", "system"])
        #expect(try RoleArguments.parse(arguments.arguments) == arguments)
    }

    @Test func valuesWithSpacesAndLeadingDashesAreTakenVerbatim() throws {
        var arguments = RoleArguments(stateDir: "/state dir/with space", policy: "--policy")
        arguments.user = "-u"
        #expect(try RoleArguments.parse(arguments.arguments) == arguments)
    }

    @Test func flagsMayComeInAnyOrder() throws {
        let parsed = try RoleArguments.parse(
            ["--seccomp-debug", "--policy", "/p", "--mode", "dev", "--state-dir", "/s"])
        #expect(parsed.stateDir == "/s")
        #expect(parsed.policy == "/p")
        #expect(parsed.mode == "dev")
        #expect(parsed.seccompDebug)
    }

    @Test(arguments: ["--verbose", "--state_dir", "-s", "extra", "--seccomp-debug=true"])
    func unknownArgumentIsRefused(argument: String) {
        #expect(Self.refusal(Self.required + [argument]) == "unknown argument \(argument)")
    }

    @Test func flagWithoutItsValueIsRefused() {
        #expect(Self.refusal(Self.required + ["--user"]) == "--user needs a value")
        #expect(Self.refusal(["--state-dir"]) == "--state-dir needs a value")
    }

    @Test func repeatedFlagIsRefused() {
        #expect(Self.refusal(Self.required + ["--state-dir", "/elsewhere"]) == "--state-dir given twice")
        #expect(Self.refusal(Self.required + ["--user", "a", "--user", "b"]) == "--user given twice")
    }

    @Test func repeatedSeccompDebugFlagIsRefused() {
        // The type promises that a repeated flag is an error; `--seccomp-debug` is a flag like any other.
        #expect(Self.refusal(Self.required + ["--seccomp-debug", "--seccomp-debug"]) == "--seccomp-debug given twice")
    }

    @Test(arguments: [["--policy", "/p"], ["--state-dir", "/s"], []])
    func missingRequiredFlagIsRefused(arguments: [String]) {
        #expect(Self.refusal(arguments) == "--state-dir and --policy are required")
    }

    @Test(arguments: ["verbose", "INFO", "warn", ""])
    func unknownLogLevelIsRefused(level: String) {
        #expect(Self.refusal(Self.required + ["--log-level", level]) == "unknown log level \(level)")
    }

    @Test func unknownModeIsRefused() {
        #expect(Self.refusal(Self.required + ["--mode", "prod"]) == "unknown mode prod")
    }

    @Test(arguments: ["0660", "660", "0", "777"])
    func octalSocketModeIsParsed(mode: String) throws {
        let parsed = try RoleArguments.parse(Self.required + ["--control-socket", "/c", "--control-socket-mode", mode])
        #expect(parsed.controlSocketMode == UInt32(mode, radix: 8))
    }

    @Test(arguments: ["0x1b0", "rw-rw----", "89", "1000", "-1", ""])
    func badOctalSocketModeIsRefused(mode: String) {
        #expect(
            Self.refusal(Self.required + ["--control-socket-mode", mode]) == "invalid --control-socket-mode \(mode)")
    }
}
