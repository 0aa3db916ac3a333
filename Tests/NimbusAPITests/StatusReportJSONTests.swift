import Foundation
import NimbusAPI
import Testing

@Suite("StatusReport JSON")
struct StatusReportJSONTests {
    /// Every optional field set, so that every documented key appears once.
    static let full = StatusReport(
        version: "0.1.0", mode: "system",
        roles: [
            RoleReport(
                role: "network", state: "running", pid: 4242, user: "nimbus-nm", uid: 998, restarts: 2,
                lastExit: "killed by signal 9 (SIGKILL)", startedAt: "2026-11-26T18:23:41.837Z",
                sandbox: ObservedSandboxReport(
                    seccomp: 2, noNewPrivs: true, capEff: "0000000000000000", capBnd: "000001ffffffffff",
                    netNamespace: "net:[4026531840]", ownNetNamespace: false),
                steps: [SandboxStepEntry(step: "seccomp", inForce: true, detail: "filter with 120 rules")])
        ],
        signer: SignerReport(keystores: 3, schemaVersion: 1), signerError: "signer late",
        installer: InstallerReport(
            phase: "idle", activeVersion: "25.3.0", installedVersions: ["25.3.0", "25.2.1"], schemaVersion: 1),
        installerError: "installer late")

    static let golden = """
        {"installer":{"active_version":"25.3.0","installed_versions":["25.3.0","25.2.1"],"phase":"idle",\
        "schema_version":1},"installer_error":"installer late","mode":"system","roles":[{"last_exit":\
        "killed by signal 9 (SIGKILL)","pid":4242,"restarts":2,"role":"network","sandbox":{"cap_bnd":\
        "000001ffffffffff","cap_eff":"0000000000000000","net_namespace":"net:[4026531840]","no_new_privs":true,\
        "own_net_namespace":false,"seccomp":2},"started_at":"2026-11-26T18:23:41.837Z","state":"running","steps":\
        [{"detail":"filter with 120 rules","in_force":true,"step":"seccomp"}],"uid":998,"user":"nimbus-nm"}],\
        "signer":{"keystores":3,"schema_version":1},"signer_error":"signer late","version":"0.1.0"}
        """

    static func encode(_ report: StatusReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

    @Test func encodingMatchesTheDocumentedKeysExactly() throws {
        #expect(try Self.encode(Self.full) == Self.golden)
    }

    @Test func goldenDecodesBackToTheSameReport() throws {
        let decoded = try JSONDecoder().decode(StatusReport.self, from: Data(Self.golden.utf8))
        #expect(decoded == Self.full)
    }

    @Test func missingValuesAreExplicitNullsNotOmittedKeys() throws {
        let sparse = StatusReport(
            version: "0.1.0", mode: "dev",
            roles: [
                RoleReport(
                    role: "signer", state: "restarting", pid: nil, user: "op", uid: 1000, restarts: 1, lastExit: nil,
                    startedAt: nil, sandbox: nil, steps: [])
            ],
            signer: nil, signerError: "the signer role is not reachable (it may be restarting)",
            installer: InstallerReport(phase: "idle", activeVersion: nil, installedVersions: [], schemaVersion: 1),
            installerError: nil)
        let golden = """
            {"installer":{"active_version":null,"installed_versions":[],"phase":"idle","schema_version":1},\
            "installer_error":null,"mode":"dev","roles":[{"last_exit":null,"pid":null,"restarts":1,"role":"signer",\
            "sandbox":null,"started_at":null,"state":"restarting","steps":[],"uid":1000,"user":"op"}],"signer":null,\
            "signer_error":"the signer role is not reachable (it may be restarting)","version":"0.1.0"}
            """
        let json = try Self.encode(sparse)
        #expect(json == golden)
        #expect(try JSONDecoder().decode(StatusReport.self, from: Data(json.utf8)) == sparse)
    }

    @Test func camelCaseKeysAreNotAccepted() throws {
        let camel = Self.golden.replacingOccurrences(of: "\"schema_version\"", with: "\"schemaVersion\"")
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(StatusReport.self, from: Data(camel.utf8))
        }
    }

    @Test func apiErrorHasASingleErrorKey() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(APIError(error: "no such route")), as: UTF8.self)
        #expect(json == #"{"error":"no such route"}"#)
    }
}
