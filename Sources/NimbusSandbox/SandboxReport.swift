/// What `Sandbox.dropPrivileges` and `Sandbox.restrict` did, step by step.
///
/// A role logs `summary` once it is sandboxed, so an operator can see at a glance which protections are missing
/// (typically: running unprivileged in development, or a kernel without Landlock).
public struct SandboxReport: Sendable {
    /// The role the report is about; used in the summary.
    public var roleName: String
    /// The steps in the order they were taken. A step the profile did not ask for is absent.
    public var steps: [SandboxStep]

    /// Creates a report, normally empty before phase 1.
    public init(roleName: String, steps: [SandboxStep] = []) {
        self.roleName = roleName
        self.steps = steps
    }

    /// Whether every recorded step holds.
    public var allInForce: Bool { steps.allSatisfy(\.inForce) }

    /// The steps that do not hold.
    public var stepsNotInForce: [SandboxStep] { steps.filter { !$0.inForce } }

    /// The step with this name, if it was recorded.
    public func step(named name: String) -> SandboxStep? {
        steps.last { $0.name == name }
    }

    /// One line for the log, e.g. `sandbox network: 6 of 8 steps in force; not in force: identity (needs root)`.
    public var summary: String {
        let missing = stepsNotInForce
        let head = "sandbox \(roleName): \(steps.count - missing.count) of \(steps.count) steps in force"
        if missing.isEmpty {
            return head + " (" + steps.map(\.name).joined(separator: ", ") + ")"
        }
        let reasons = missing.map { "\($0.name) (\($0.detail))" }
        return head + "; not in force: " + reasons.joined(separator: "; ")
    }

    /// Appends a step.
    mutating func record(_ name: String, inForce: Bool, _ detail: String) {
        steps.append(SandboxStep(name: name, inForce: inForce, detail: detail))
    }
}
