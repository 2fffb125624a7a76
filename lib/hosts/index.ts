export { RealClock } from "./real-clock.js";
export { runDue, type RunDueOptions, type RunDueResult } from "./run-due.js";
export { TimerDriver, startTimerDriver, type HostTimers, type TimerDriverOptions } from "./timer-driver.js";
export { recoverInterruptedStep } from "./interrupted-step.js";
