// `setHostSeam` (for record/replay layers such as genloop/durable): installed on EventLoop when
// this module is part of the program.
import { describeValue } from "../describe.js";
import type { HostSeam } from "../effects/host-seam.js";
import { RuntimeError } from "../errors.js";
import { EventLoop } from "../loop.js";
import { installMethods } from "./install.js";

installMethods(EventLoop.prototype, {
  setHostSeam(seam: HostSeam | null): void {
    if (seam !== null && (typeof seam !== "object" || typeof seam.hostEffect !== "function" || typeof seam.iterationStarting !== "function")) {
      throw new TypeError(`setHostSeam: expected an object with hostEffect and iterationStarting methods, or null, got ${describeValue(seam)}`);
    }
    if (seam !== null && this._hostSeam !== null && this._hostSeam !== seam) {
      throw new RuntimeError("setHostSeam: this loop already has a host seam (a durable run is attached); remove it first with setHostSeam(null)");
    }
    this._hostSeam = seam;
  },
});
