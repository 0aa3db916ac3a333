/// Evaluates the host rules (disk, clock) on one observation. Pure.
public struct HostRules: Sendable {
    public var thresholds: AlertThresholds

    public init(thresholds: AlertThresholds = AlertThresholds()) {
        self.thresholds = thresholds
    }

    public func evaluate(_ o: HostObservation) -> [(AlertKind, Verdict)] {
        [(.diskLow, disk(o, bytes: thresholds.diskLowBytes, fraction: thresholds.diskLowFraction)),
         (.diskCritical, disk(o, bytes: thresholds.diskCriticalBytes, fraction: thresholds.diskCriticalFraction)),
         (.clockDrift, clock(o))]
    }

    private func disk(_ o: HostObservation, bytes: UInt64, fraction: Double) -> Verdict {
        guard let free = o.diskFreeBytes, let total = o.diskTotalBytes, total > 0 else { return .unknown }
        let share = Double(free) / Double(total)
        guard free < bytes || share < fraction else { return .good }
        return .bad("\(free >> 30) GiB free of \(total >> 30) GiB (\(Int((share * 100).rounded()))%)")
    }

    private func clock(_ o: HostObservation) -> Verdict {
        if o.clockSynchronized == false { return .bad("the kernel reports the clock as not synchronised") }
        if let error = o.clockErrorSeconds, error > thresholds.maximumClockErrorSeconds {
            return .bad("estimated clock error \(error) s")
        }
        return o.clockSynchronized == nil && o.clockErrorSeconds == nil ? .unknown : .good
    }
}
