extension String {
    /// The text of a fixed-size C `char` array (imported as a tuple), up to its first NUL;
    /// the codecs hand their error messages back this way.
    init<CharArray>(cMessage: CharArray) {
        self = withUnsafeBytes(of: cMessage) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
