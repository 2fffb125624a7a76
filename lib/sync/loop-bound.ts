import { RuntimeError } from "../errors.js";
import type { EventLoop } from "../loop.js";
import { getRunningLoop } from "../running.js";

/**
 * asyncio's `_LoopBoundMixin`: a primitive belongs to the loop on which it first had to
 * wait (creating one needs no loop), and using it from another loop is a `RuntimeError`,
 * since its waiters are futures of the first loop.
 */
export abstract class LoopBound {
  /** @internal */ _loop: EventLoop | null = null;

  /** @internal The running loop, which this primitive is (now) bound to. */
  _getLoop(): EventLoop {
    const loop = getRunningLoop();
    if (this._loop === null) this._loop = loop;
    else if (this._loop !== loop) {
      throw new RuntimeError(
        `${String(this)} is bound to a different event loop: a primitive belongs to the loop that first ` +
          "waited on it; create it inside the run() that uses it",
      );
    }
    return loop;
  }
}
