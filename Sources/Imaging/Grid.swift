extension Image {
    /// Equal-sized `images` laid out row by row, `columns` to a row (fewer if there are fewer images),
    /// with `padding` pixels of `background` between them and around the edge.
    public static func grid(_ images: [Image], columns: Int, padding: Int = 2, background: RGB = .white) -> Image {
        precondition(!images.isEmpty && columns > 0 && padding >= 0, "a grid needs images, columns > 0 and padding ≥ 0")
        let (cellWidth, cellHeight) = (images[0].width, images[0].height)
        precondition(images.allSatisfy { $0.width == cellWidth && $0.height == cellHeight }, "grid images must share one size")
        let across = min(columns, images.count)
        let down = (images.count + across - 1) / across
        var sheet = Image(width: across * (cellWidth + padding) + padding,
                          height: down * (cellHeight + padding) + padding, fill: background)
        for (index, image) in images.enumerated() {
            let (row, column) = index.quotientAndRemainder(dividingBy: across)
            sheet.paste(image, x: padding + column * (cellWidth + padding), y: padding + row * (cellHeight + padding))
        }
        return sheet
    }
}
