// libFuzzer target: a managed node's /metrics body through the Prometheus text parser.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPrometheusText(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var limits = PrometheusText.Limits()
    limits.maximumSamples = 1000
    if let parsed = try? PrometheusText(parsing: text, limits: limits) {
        _ = parsed.value("beacon_slot")
        _ = parsed.all("validator_monitor_prev_epoch_on_chain_attester_hit").count
    }
    return 0
}
