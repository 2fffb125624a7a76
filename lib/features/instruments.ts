// Instruments (`addInstrument`, `removeInstrument`, `instruments` and the `instruments` option):
// installed on EventLoop when this module is part of the program.
import { describeValue } from "../describe.js";
import { checkInstrument, Instrumentation, type Instrument } from "../instrument.js";
import { EventLoop, loopOptionHandlers } from "../loop.js";
import { installMethods } from "./install.js";

installMethods(EventLoop.prototype, {
  addInstrument(instrument: Instrument): void {
    checkInstrument("addInstrument", instrument);
    (this._instrumentation ??= new Instrumentation(this)).add(instrument);
  },

  removeInstrument(instrument: Instrument): void {
    if (this._instrumentation === null || !this._instrumentation.remove(instrument)) {
      throw new RangeError(`removeInstrument: ${describeValue(instrument)} is not installed on this loop`);
    }
  },

  instruments(): Instrument[] {
    return this._instrumentation === null ? [] : this._instrumentation.list.slice();
  },
});

loopOptionHandlers.instruments = (loop, instruments) => {
  if (!Array.isArray(instruments)) {
    throw new TypeError(`EventLoop: instruments must be an array of instruments, got ${describeValue(instruments)}`);
  }
  for (const instrument of instruments) loop.addInstrument(instrument);
};
