// `Array.prototype.fill` where the engine has one (Duktape and mujs have none), read as a
// property so that those engines take the loop below instead.
const nativeFill = Array.prototype.fill as ((this: unknown[], value: undefined) => unknown[]) | undefined;

/**
 * `capacity` slots holding `undefined`, for a ring buffer. A hole a ring buffer writes into is
 * slow in XS (Moddable's engine): it keeps an array with holes as its present items only and copies
 * them all at each write into a hole, so filling 10^5 slots of `new Array(n)` one by one took 16 s
 * there. `fill` makes the array dense in XS, and costs V8 and JSC no more than the holes did.
 */
export function emptySlots<T>(capacity: number): (T | undefined)[] {
  const slots: (T | undefined)[] = new Array(capacity);
  if (nativeFill !== undefined) return nativeFill.call(slots, undefined) as (T | undefined)[];
  for (let i = 0; i < capacity; i++) slots[i] = undefined;
  return slots;
}
