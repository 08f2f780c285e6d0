import ArgumentParser
import Cluster
import Foundation
import ThemeConfig
import Training

extension TrainCommand {
    /// Under mpirun: one theme trains data-parallel over all ranks; several are handed out to the ranks.
    /// A failure on any rank ends the whole job with a message naming the rank, since the others would
    /// otherwise wait for it for ever; files that differ between ranks stop every rank before training.
    func run(on job: MPIJob, themes selected: [Theme]) throws {
        do {
            try FileAgreement.check(selected, job: job)
        } catch let error as FilesDiffer {
            printError("error: \(error)")
            job.finish()
            throw ExitCode(1)
        }
        let stop = StopSignal(onSecondSignal: { Foundation.exit(130) })
        stop.install()
        let deadline = limit.map { Date().addingTimeInterval($0) }
        do {
            if all || selected.count > 1 {
                try trainThemeParallel(selected, job: job, stop: stop, deadline: deadline)
            } else {
                try trainDataParallel(selected[0], job: job, stop: stop, deadline: deadline)
            }
        } catch {
            job.abort("\(error)")
        }
        job.finish()
    }

    private func trainDataParallel(_ theme: Theme, job: MPIJob, stop: StopSignal, deadline: Date?) throws {
        guard theme.training.batch >= job.size else {
            throw CommandFailure("\(theme.name): a batch of \(theme.training.batch) cannot be shared by \(job.size) ranks")
        }
        let team = DataParallel(job: job)
        let trainer = try ThemeTrainer(theme: theme, fresh: fresh, stop: stop, progress: ProgressLine(), team: team) { print($0) }
        let outcome = try trainer.train(until: deadline)
        guard job.isLeader else { return }
        print(String(format: "%@: %@ at %.1f kimg over %d ranks (%@ trained in all)", theme.name, "\(outcome)",
                     trainer.session.kimg, job.size, trainer.session.counters.seconds.durationText))
    }

    private func trainThemeParallel(_ selected: [Theme], job: MPIJob, stop: StopSignal, deadline: Date?) throws {
        let order = job.isLeader
            ? ThemeDispatch.largestRemainingFirst(selected.map { ($0, ThemeProgress(theme: $0).imagesSeen ?? 0) }) : []
        let dispatch = ThemeDispatch(job: job, order: order)
        var run = OvernightRun(themes: selected, fresh: fresh, stop: stop, reportFolder: report)
        try run.trainAssigned(by: dispatch, until: deadline)
        guard job.isLeader else { return }
        let results = dispatch.finish()
        print("report: \(try run.writeReport(results: results))")
    }
}
