import NimbusSupervisorCore
import Testing

@Suite("ExitStatus words")
struct ExitStatusTests {
    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case 9: "SIGKILL"
        case 11: "SIGSEGV"
        case 31: "SIGSYS"
        default: "SIG\(signal)"
        }
    }

    static func exitMeaning(_ code: Int32) -> String {
        code == 0 ? "clean exit" : "meaning of \(code)"
    }

    static func words(_ status: NimbusSupervisorCore.ExitStatus) -> String {
        status.describe(signalName: signalName, exitMeaning: exitMeaning)
    }

    @Test func exitSaysTheStatusAndItsMeaning() {
        #expect(Self.words(.exited(0)) == "exited with status 0 (clean exit)")
        #expect(Self.words(.exited(76)) == "exited with status 76 (meaning of 76)")
    }

    @Test func signalSaysTheNumberAndTheName() {
        #expect(Self.words(.signaled(9)) == "killed by signal 9 (SIGKILL)")
        #expect(Self.words(.signaled(11)) == "killed by signal 11 (SIGSEGV)")
    }

    @Test func sigsysNamesSeccompAsTheCause() {
        #expect(Self.words(.signaled(31)) == "killed by signal 31 (SIGSYS: seccomp blocked a forbidden system call)")
    }

    @Test func exitStatus31IsNotMistakenForSigsys() {
        #expect(Self.words(.exited(31)) == "exited with status 31 (meaning of 31)")
    }
}
