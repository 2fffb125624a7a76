import { GenloopError, nameErrorClasses } from "../errors.js";

/** `getNowait()` on an empty queue. */
export class QueueEmpty extends GenloopError {}
/** `putNowait()` on a full queue. */
export class QueueFull extends GenloopError {}
/** A queue operation after `shutdown()`. */
export class QueueShutDown extends GenloopError {}

nameErrorClasses({ QueueEmpty, QueueFull, QueueShutDown });
