import ThemeConfig

/// The built-in scenes (`StarterScene`) rendered on all cores, so every theme trains on a fresh clone
/// with no download; cached like a folder, keyed by scene, count, seed and resolution.
public enum StarterSource: DatasetSource {
    /// The `scene` value that means "the scene named like the theme".
    public static let sceneFromThemeName = "auto"

    public static let declaration = PluginDeclaration(
        name: "starter", needsPath: false,
        parameters: [
            ParameterSpec(key: "scene", kind: .choice([sceneFromThemeName] + StarterScene.allCases.map(\.rawValue)),
                          defaultValue: .string(sceneFromThemeName),
                          doc: "Scene the renderer draws; `auto` takes the theme's name, which must then be a scene."),
            ParameterSpec(key: "count", kind: .int(1...100_000), defaultValue: .int(2000), doc: "Pictures rendered."),
            ParameterSpec(key: "seed", kind: .int(0...4_294_967_295), defaultValue: .int(1),
                          doc: "Which pictures: another seed draws another set."),
        ],
        summary: "Pictures the program draws itself: Soviet panel blocks, cats, window frames or New Year ornaments.")

    public static func load(_ request: DatasetRequest) throws -> Dataset {
        let scene = try self.scene(for: request)
        let count = try declaration.int("count", in: request.parameters)
        let seed = UInt64(try declaration.int("seed", in: request.parameters))
        let resolution = request.resolution
        var fingerprint = Fingerprint()
        fingerprint.add("\(declaration.name) \(scene.rawValue) \(count) \(seed) \(resolution)")
        // The first picture stands in for the renderer's code: an edited renderer draws it differently.
        for value in scene.render(index: 0, seed: seed, size: resolution).pixels { fingerprint.add(Int64(value.bitPattern)) }
        let cache = cache("starter-\(scene.rawValue)-\(count)-seed\(seed)-\(resolution).bin", for: request)
        return cache.dataset(fingerprint: fingerprint.hex, resolution: resolution,
                             source: "starter \(scene.rawValue) (\(count) pictures, seed \(seed))") {
            let made = Dataset.produce(count: count, resolution: resolution) { scene.render(index: $0, seed: seed, size: resolution) }
            return (made.pixels, [])
        }
    }

    /// The `scene` parameter, with `auto` resolved through the theme's name.
    static func scene(for request: DatasetRequest) throws -> StarterScene {
        let name = try declaration.string("scene", in: request.parameters)
        let scenes = StarterScene.allCases.map(\.rawValue)
        guard let scene = StarterScene(rawValue: name == sceneFromThemeName ? request.themeName ?? "" : name) else {
            throw DatasetError.sceneRequired(themeName: request.themeName, scenes: scenes)
        }
        return scene
    }
}
