import { Semaphore } from "./semaphore.js";

/** asyncio.BoundedSemaphore: a `Semaphore` whose `release()` throws `RangeError` past the initial value. */
export class BoundedSemaphore extends Semaphore {
  /** @internal */ readonly _boundValue: number;

  constructor(value = 1) {
    super(value);
    this._boundValue = value;
  }

  /** Gives a unit back; `RangeError` if that would exceed the initial value. */
  override release(): void {
    if (this._value >= this._boundValue) {
      throw new RangeError(
        `BoundedSemaphore released too many times: the value is already at its bound ${this._boundValue}`,
      );
    }
    super.release();
  }
}
