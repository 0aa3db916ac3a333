// Hex lives in NimbusHex, shared by every module; key code and its users keep seeing it through this module.
@_exported import NimbusHex
