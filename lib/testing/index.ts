// genloop/testing: running tests written as generator functions on a virtual clock, adapters for
// test runners, a fake host, and seeded schedule exploration. The core never imports it.
// This entry takes the loop options and methods of every optional feature: they are installed with it.
import "../features/index.js";
export { runTest, TestFailure, type TestBody, type TestContext, type TestFailureReason, type TestOptions } from "./run-test.js";
export { explore, ScheduleFailure, type ExploreOptions, type ExploreProgress, type ExploreReport } from "./explore.js";
export { withGenerators, type GeneratorTest, type GeneratorTestDeclare, type RunnerTest } from "./adapter.js";
export { FakeCall, FakeHost, type AbortSignalLike, type FakeCallState, type Responder } from "./fake-host.js";
export { FakeThenable } from "./thenable.js";
