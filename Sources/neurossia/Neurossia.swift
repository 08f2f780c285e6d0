import ArgumentParser

@main
struct Neurossia: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train image generators per theme and make pictures with them.",
        subcommands: [Bench.self])
}
