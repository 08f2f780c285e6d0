/// The program as a whole, as recorded in every seasonal set's manifest.
public enum Neurossia {
    /// Bumped when a release changes what any command writes.
    public static let programVersion = "0.9.0"
}
