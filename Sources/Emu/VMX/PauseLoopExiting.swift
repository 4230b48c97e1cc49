/// PAUSE in VMX non-root operation (SDM vol. 3, 25.1.3): "PAUSE exiting" makes every PAUSE
/// exit (reason 40); otherwise, at CPL 0, "PAUSE-loop exiting" detects spin loops. Time is the
/// virtual cycle counter, which runs at the TSC rate (unoffset and unscaled):
/// - a PAUSE more than PLE_Gap ticks after the previous PAUSE at CPL 0, or the first one at
///   CPL 0 after VM entry, is the first of a loop and starts its window;
/// - any other PAUSE exits (reason 40) if more than PLE_Window ticks passed since the PAUSE that
///   began the loop.
/// At CPL > 0 PAUSE-loop exiting is ignored, and such a PAUSE does not count as the previous one.
extension CPU {
    func vmxPause(_ i: Instruction) throws(Fault) {
        if vmx.primary.contains(.pauseExiting) { try vmExitForInstruction(i, .pause) }
        guard cpl == 0, vmx.secondary.contains(.pauseLoopExiting) else { return }
        let now = cycles
        if let last = vmx.lastPauseCycle, now &- last <= vmx.read(.pleGap) {
            if now &- vmx.pauseLoopStartCycle > vmx.read(.pleWindow) { try vmExitForInstruction(i, .pause) }
        } else {
            vmx.pauseLoopStartCycle = now
        }
        vmx.lastPauseCycle = now
    }
}
