import Engine

extension Module {
    /// Sets every batch norm's running statistics to the mean of its batch statistics over `passes`
    /// forward passes (`forward(k)` runs pass k, k from 1), leaving everything else as it was: spectral
    /// norm does not iterate, nothing records gradients, batch norm stays local to this process.
    ///
    /// For a moving average of weights, whose running statistics are copies of the live network's:
    /// those were gathered over the live weights' last few steps, not over the average of the last
    /// thousand, and the mismatch swings its pictures from one checkpoint to the next (panel-blocks at
    /// 83 kimg: SWD 52.6 with the copies, 37 with its own statistics).
    public func measureBatchNormStatistics(passes: Int, _ forward: (Int) -> Void) {
        let norms = modules(of: BatchNorm2d.self)
        guard !norms.isEmpty, passes > 0 else { return }
        let was = norms.map { ($0.training, $0.momentum) }
        for norm in norms { norm.train(true) }
        BatchNormSync.across(nil) {
            withoutGradients {
                for k in 1...passes {
                    // Pass k moves the statistics by 1/k: after the last, each is the mean over all passes.
                    for norm in norms { norm.momentum = 1 / Float(k) }
                    forward(k)
                }
            }
        }
        for (norm, (training, momentum)) in zip(norms, was) {
            norm.train(training)
            norm.momentum = momentum
        }
    }
}
