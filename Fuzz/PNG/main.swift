import FuzzSupport
import Imaging

/// PNG bytes in; other formats are left out of the corpus.
fuzz { bytes in
    guard bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) else { return -1 }
    _ = try? Image(decoding: Array(bytes), name: "fuzz.png", maxPixels: 1 << 20)
    return 0
}
