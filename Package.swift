// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swemu",
    products: [
        .library(name: "Emu", targets: ["Emu"]),
        .executable(name: "swemu", targets: ["emu-cli"]),
        .executable(name: "swemu-dev", targets: ["swemu-dev"]),
    ],
    targets: [
        .target(
            name: "Emu",
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
        ),
        .target(name: "EmuCheck", dependencies: ["Emu"]),
        .executableTarget(name: "emu-cli", dependencies: ["Emu"]),
        .executableTarget(name: "swemu-dev", dependencies: ["Emu", "EmuCheck"]),
        .testTarget(name: "EmuTests", dependencies: ["Emu", "EmuCheck"]),
    ]
)
