import Checkpoint
import FuzzSupport

/// A safetensors file in, parsed and every tensor read as a checkpoint load reads them.
fuzz { bytes in
    guard let file = try? SafeTensorsFile(parsing: Array(bytes), file: "fuzz") else { return 0 }
    for name in file.tensors.keys {
        _ = try? file.floats(name)
        _ = try? file.int64s(name)
        _ = try? file.uint64s(name)
    }
    return 0
}
