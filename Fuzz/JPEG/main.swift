import FuzzSupport
import Imaging

/// JPEG bytes in; other formats are left out of the corpus.
fuzz { bytes in
    guard bytes.starts(with: [0xFF, 0xD8]) else { return -1 }
    _ = try? Image(decoding: Array(bytes), name: "fuzz.jpg", maxPixels: 1 << 20)
    return 0
}
