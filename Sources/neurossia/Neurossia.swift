import ArgumentParser

@main
struct Neurossia: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train image generators per theme and make pictures with them.",
        discussion: """
            A theme is a YAML file in Themes/ naming a dataset, an architecture and a checkpoint folder. \
            Typical use:
              neurossia themes check
              neurossia train --all --hours 8
              neurossia generate --all
            """,
        subcommands: [ThemesCommand.self, DatasetCommand.self, TrainCommand.self, GenerateCommand.self, PaletteCommand.self, RecolourCommand.self, SetCommand.self, EvalCommand.self, Bench.self])
}
