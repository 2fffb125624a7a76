/**
 * The mapping a `Context` holds: a persistent (immutable) map from context variables to values.
 * Copying a context shares it, and setting a variable makes a new map that shares all but one
 * path with the old one, as Python's HAMT does.
 *
 * Representation: a bitmapped trie keyed by each variable's unique integer id, five bits per
 * level, low bits first. Ids never collide, so unlike a HAMT there are no collision nodes. A
 * branch holds a 32-bit bitmap of its occupied slots and a dense array of them (leaves and
 * sub-branches), in bit order. The common case, fewer than 32 variables, is one branch: a
 * lookup is a bit test and a popcount, a set copies one array. Depth is at most 7 (ids < 2^32).
 *
 * Invariants: no branch is empty; a branch below the root is never a single leaf (it is
 * collapsed into its parent's slot); `size` counts the leaves.
 */

import { ABSENT } from "./absent.js";

/** What a map is keyed by: a context variable, identified by its id. */
export interface ContextKey {
  readonly _id: number;
}

const BITS = 5;
const MASK = 31;

class Leaf {
  constructor(
    readonly key: ContextKey,
    readonly value: unknown,
  ) {}
}

class Branch {
  constructor(
    readonly bitmap: number,
    readonly slots: readonly Slot[],
  ) {}
}

type Slot = Leaf | Branch;

export { ABSENT };

export class ContextData {
  /** The empty map, shared by every empty context. */
  static readonly EMPTY = new ContextData(null, 0);

  private constructor(
    private readonly root: Branch | null,
    /** How many variables the map holds. */
    readonly size: number,
  ) {}

  /** The value of `key`, or `ABSENT`. */
  lookup(key: ContextKey): unknown {
    let node = this.root;
    if (node === null) return ABSENT;
    const id = key._id;
    for (let shift = 0; ; shift += BITS) {
      const bit = 1 << ((id >>> shift) & MASK);
      if ((node.bitmap & bit) === 0) return ABSENT;
      const slot: Slot = node.slots[bitCount(node.bitmap & (bit - 1))];
      if (slot instanceof Leaf) return slot.key === key ? slot.value : ABSENT;
      node = slot;
    }
  }

  /** A map with `key` bound to `value`. */
  set(key: ContextKey, value: unknown): ContextData {
    const leaf = new Leaf(key, value);
    if (this.root === null) return new ContextData(new Branch(1 << (key._id & MASK), [leaf]), 1);
    grew = false;
    const root = insert(this.root, 0, leaf);
    return new ContextData(root, grew ? this.size + 1 : this.size);
  }

  /** A map without `key` (this map itself when `key` is absent). */
  delete(key: ContextKey): ContextData {
    if (this.root === null) return this;
    const root = remove(this.root, 0, key);
    if (root === this.root) return this;
    if (root === null) return ContextData.EMPTY;
    // A root reduced to a single leaf stays a branch: lookups start from a branch.
    const branch = root instanceof Leaf ? new Branch(1 << (root.key._id & MASK), [root]) : root;
    return new ContextData(branch, this.size - 1);
  }

  /** Calls `visit(key, value)` for each entry, in the trie's order (by id, low bits first). */
  forEach(visit: (key: ContextKey, value: unknown) => void): void {
    if (this.root !== null) walk(this.root, visit);
  }
}

/** Set by `insert`: whether the key was new (so the size grows). */
let grew = false;

function insert(node: Branch, shift: number, leaf: Leaf): Branch {
  const bit = 1 << ((leaf.key._id >>> shift) & MASK);
  const index = bitCount(node.bitmap & (bit - 1));
  if ((node.bitmap & bit) === 0) {
    grew = true;
    return new Branch(node.bitmap | bit, insertAt(node.slots, index, leaf));
  }
  const slot = node.slots[index];
  let replacement: Slot;
  if (slot instanceof Branch) {
    replacement = insert(slot, shift + BITS, leaf);
  } else if (slot.key === leaf.key) {
    replacement = leaf;
  } else {
    grew = true;
    replacement = pair(slot, leaf, shift + BITS);
  }
  return new Branch(node.bitmap, replaceAt(node.slots, index, replacement));
}

/** A branch (at `shift`, or a chain of them) holding two leaves whose ids agree below `shift`. */
function pair(a: Leaf, b: Leaf, shift: number): Branch {
  const ia = (a.key._id >>> shift) & MASK;
  const ib = (b.key._id >>> shift) & MASK;
  if (ia === ib) return new Branch(1 << ia, [pair(a, b, shift + BITS)]);
  return new Branch((1 << ia) | (1 << ib), ia < ib ? [a, b] : [b, a]);
}

/** `node` without `key`: the same node if absent, a leaf when one leaf is left below the root, null when empty. */
function remove(node: Branch, shift: number, key: ContextKey): Slot | null {
  const bit = 1 << ((key._id >>> shift) & MASK);
  if ((node.bitmap & bit) === 0) return node;
  const index = bitCount(node.bitmap & (bit - 1));
  const slot = node.slots[index];
  let replacement: Slot | null = null;
  if (slot instanceof Branch) {
    replacement = remove(slot, shift + BITS, key);
    if (replacement === slot) return node;
  } else if (slot.key !== key) {
    return node;
  }
  if (replacement !== null) {
    if (replacement instanceof Leaf && node.slots.length === 1) return replacement;
    return new Branch(node.bitmap, replaceAt(node.slots, index, replacement));
  }
  const bitmap = node.bitmap & ~bit;
  if (bitmap === 0) return null;
  const slots = removeAt(node.slots, index);
  return slots.length === 1 && slots[0] instanceof Leaf ? slots[0] : new Branch(bitmap, slots);
}

function walk(node: Branch, visit: (key: ContextKey, value: unknown) => void): void {
  const slots = node.slots;
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i];
    if (slot instanceof Leaf) visit(slot.key, slot.value);
    else walk(slot, visit);
  }
}

/** The number of set bits of a 32-bit integer. */
function bitCount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  // The product is below 2^53, so it is exact; >>> keeps its low 32 bits.
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function insertAt(slots: readonly Slot[], index: number, slot: Slot): Slot[] {
  const out = slots.slice(0, index);
  out.push(slot);
  for (let i = index; i < slots.length; i++) out.push(slots[i]);
  return out;
}

function replaceAt(slots: readonly Slot[], index: number, slot: Slot): Slot[] {
  const out = slots.slice();
  out[index] = slot;
  return out;
}

function removeAt(slots: readonly Slot[], index: number): Slot[] {
  const out = slots.slice(0, index);
  for (let i = index + 1; i < slots.length; i++) out.push(slots[i]);
  return out;
}
