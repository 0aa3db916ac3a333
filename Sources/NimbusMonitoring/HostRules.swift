/// Evaluates the host rules (disk space per watched filesystem, clock) on one observation. Pure.
public struct HostRules: Sendable {
    public var thresholds: AlertThresholds

    public init(thresholds: AlertThresholds = AlertThresholds()) {
        self.thresholds = thresholds
    }

    /// One verdict per rule and subject: two per watched filesystem, and the clock's (subject "host").
    public func evaluate(_ o: HostObservation) -> [(AlertKind, subject: String, Verdict)] {
        var verdicts: [(AlertKind, subject: String, Verdict)] = []
        for disk in o.disks {
            let critical = Self.disk(disk, disk.critical)
            // While the disk is nearly full, the warning neither fires nor ends: one step at a time.
            let low = critical == .good ? Self.disk(disk, disk.low) : .unknown
            verdicts += [(.diskLow, disk.subject, low), (.diskCritical, disk.subject, critical)]
        }
        verdicts.append((.clockDrift, "host", clock(o)))
        return verdicts
    }

    private static func disk(_ disk: DiskUsage, _ bounds: DiskBounds) -> Verdict {
        guard disk.totalBytes > 0 else { return .unknown }
        let share = Double(disk.freeBytes) / Double(disk.totalBytes)
        let belowBytes = bounds.bytes.map { disk.freeBytes < $0 } ?? false
        let belowShare = bounds.fraction.map { share < $0 } ?? false
        guard belowBytes || belowShare else { return .good }
        return .bad("\(size(disk.freeBytes)) free of \(size(disk.totalBytes)) (\(Int((share * 100).rounded()))%) "
            + "on \(disk.path)")
    }

    /// Whole units, the largest that keeps the number at least 1: "150 GiB", "5 MiB".
    static func size(_ bytes: UInt64) -> String {
        for (unit, shift) in [("TiB", 40), ("GiB", 30), ("MiB", 20), ("KiB", 10)] where bytes >> shift >= 1 {
            // TiB only from 10 TiB on, so that "2000 GiB" stays as precise as people write it.
            if unit == "TiB", bytes >> shift < 10 { continue }
            return "\(bytes >> shift) \(unit)"
        }
        return "\(bytes) B"
    }

    private func clock(_ o: HostObservation) -> Verdict {
        if o.clockSynchronized == false { return .bad("the kernel reports the clock as not synchronised") }
        if let error = o.clockErrorSeconds, error > thresholds.maximumClockErrorSeconds {
            return .bad("estimated clock error \(error) s")
        }
        return o.clockSynchronized == nil && o.clockErrorSeconds == nil ? .unknown : .good
    }
}
