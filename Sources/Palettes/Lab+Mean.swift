import Imaging

extension Lab {
    /// Σ shares[i]·colours[i]: the mix of palette colours in blends and gathered slots (shares
    /// normally sum to 1).
    static func mix(_ colours: [Lab], shares: [Float]) -> Lab {
        var mean = Lab(l: 0, a: 0, b: 0)
        for (colour, share) in zip(colours, shares) {
            mean.l += share * colour.l
            mean.a += share * colour.a
            mean.b += share * colour.b
        }
        return mean
    }
}
