import Testing
@testable import NimbusMonitoring

@Suite struct HostStatsTests {
    @Test func parsesProcFiles() {
        let meminfo = "MemTotal:       24589012 kB\nMemFree:        1000 kB\nMemAvailable:   20000000 kB\n"
        #expect(HostStats.memory(meminfo)! == (24_589_012 * 1024, 20_000_000 * 1024))
        #expect(HostStats.memory("MemTotal: 1 kB\n") == nil)
        #expect(HostStats.loadAverage("0.52 0.40 0.33 2/345 12345\n") == 0.52)
        #expect(HostStats.uptime("12345.67 23456.78\n") == 12345.67)
        let stat = "cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 50 0 25 400 25 0 0 0 0 0\n"
        #expect(HostStats.cpuTimes(stat)! == (150, 1000))
        let netdev = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:  999999     100    0    0    0     0          0         0   999999     100    0    0    0     0       0          0
              eth0: 1000     10    0    0    0     0          0         0     2000      20    0    0    0     0       0          0
              eth1: 5     1    0    0    0     0          0         0     7      1    0    0    0     0       0          0
            """
        #expect(HostStats.networkBytes(netdev)! == (1005, 2007))
        #expect(HostStats.networkBytes("garbage") == nil)
    }
}
