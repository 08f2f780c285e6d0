import Foundation

/// libFuzzer's driver, in libclang_rt.fuzzer (linked by `-sanitize=fuzzer`). Called from our own `main`
/// rather than letting libFuzzer's `main` run: SwiftPM links every executable with `main` aliased to the
/// target's entry point, so a target without one does not link.
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

nonisolated(unsafe) private var body: (UnsafeBufferPointer<UInt8>) -> CInt = { _ in 0 }

/// The name libFuzzer's own `main` (FuzzerMain.o, pulled in before SwiftPM's `main` alias is applied)
/// links against; also the callback handed to the driver.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    body(UnsafeBufferPointer(start: data, count: size))
}

/// Runs libFuzzer with the command line's options and corpus folders, calling `test` once per input.
/// `test` returns 0, or -1 to keep an input out of the corpus (not the format under test).
public func fuzz(_ test: @escaping (UnsafeBufferPointer<UInt8>) -> CInt) -> Never {
    body = test
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
}
