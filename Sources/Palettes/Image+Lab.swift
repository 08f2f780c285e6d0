import Imaging

extension Image {
    /// The CIELAB colour of pixel `i` of a plane (row-major, i = y·width + x).
    func lab(at i: Int) -> Lab {
        let plane = width * height
        return Lab(RGB(pixels[i], pixels[plane + i], pixels[2 * plane + i]))
    }
}
