// genloop/schedules: retry and repeat schedules (fixed, exponential with a cap, seeded jitter,
// attempt and time limits, an error predicate). The core never imports this module.
export { Schedule, type ScheduleInput, type ScheduleRun } from "./schedule.js";
export { seededRandom } from "./seeded-random.js";
export { retry, repeat, type RetryEvent, type RetryOptions, type RepeatOptions } from "./retry.js";
