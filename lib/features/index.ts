// Every optional feature of the loop, installed: what the `genloop` entry imports (genloop/core
// does not). Each module adds its methods to EventLoop.prototype and its options to the loop.
import "./debug.js";
import "./instruments.js";
import "./task-factory.js";
import "./custom-effects.js";
import "./schedule-seed.js";
import "./host-seam.js";
import "./host-driver.js";
import "./exception-handler.js";
import "./eager-start.js";
