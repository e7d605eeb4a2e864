// Writes Protocol/vectors/ (or the folder given as the first argument) from RelaisVectors.
import Foundation
import RelaisVectors

let root = URL(fileURLWithPath: CommandLine.arguments.dropFirst().first ?? "Protocol/vectors")
for file in VectorGenerator.generate() {
    let url = root.appendingPathComponent(file.name)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(file.contents).write(to: url)
}
print("wrote \(VectorGenerator.generate().count) vector files under \(root.path)")
