// nimbus-beacon-sim: a stand-in for nimbus_beacon_node for development and tests (see docs/beacon-sim.md).
import Foundation
import NimbusBeaconSim

exit(await SimMain.run(Array(CommandLine.arguments.dropFirst())))
