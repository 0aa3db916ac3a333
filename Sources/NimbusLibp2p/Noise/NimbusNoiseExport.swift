// The Noise core moved to NimbusNoise (the signer uses it without libp2p); libp2p code and its users keep seeing
// the same types through this module.
@_exported import NimbusNoise
