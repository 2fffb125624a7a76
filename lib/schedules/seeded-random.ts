import { describeValue } from "../describe.js";

/**
 * A deterministic pseudo-random generator (mulberry32): the same seed gives the same
 * sequence of numbers in [0, 1) in every engine, so jittered schedules replay exactly.
 *
 * @param seed any integer (only its low 32 bits count)
 * @returns a function giving the next number of the sequence at each call
 * @throws TypeError when `seed` is not a finite number
 */
export function seededRandom(seed: number): () => number {
  if (typeof seed !== "number" || !isFinite(seed)) {
    throw new TypeError(`seededRandom: the seed must be a finite number, got ${describeValue(seed)}`);
  }
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = imul(state ^ (state >>> 15), 1 | state);
    t = (t + imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 32-bit integer multiplication (Math.imul), written out: ES5 engines (Duktape, mujs) lack it. */
function imul(a: number, b: number): number {
  const al = a & 0xffff;
  const bl = b & 0xffff;
  const high = (((a >>> 16) & 0xffff) * bl + al * ((b >>> 16) & 0xffff)) << 16;
  return (al * bl + (high >>> 0)) | 0;
}
