// The raw-generator limit: a minimal round-robin of gen.next() over an array FIFO, with a
// binary heap of sleeping tasks. No futures, no cancellation bookkeeping, no error handling,
// no per-iteration snapshot: the least any generator scheduler can do per step.
//
// Protocol of a raw coroutine: `yield` (undefined) goes to the back of the queue;
// `yield ms` (a number) sleeps; `yield [gen, gen, …]` runs the generators as children and
// resumes with their results in order.

type RawGen = Generator<unknown, unknown, unknown>;

export class RawTask {
  value: unknown = undefined;
  parent: RawTask | null = null;
  slot = 0;
  results: unknown[] | null = null;
  pending = 0;
  when = 0;
  cancelled = false;
  done = false;
  constructor(readonly gen: RawGen) {}
}

// Made on the first real-time sleep only: engines without SharedArrayBuffer run the virtual mode.
let cell: Int32Array | null = null;

export class RawLoop {
  private queue: RawTask[] = [];
  private head = 0;
  private heap: RawTask[] = [];
  private current = 0;

  /** `real`: sleeping blocks the thread (Atomics.wait); otherwise time jumps to the next timer. */
  constructor(private readonly real: boolean) {}

  now(): number {
    return this.real ? performance.now() : this.current;
  }

  spawn(gen: RawGen, parent: RawTask | null = null, slot = 0): RawTask {
    const t = new RawTask(gen);
    t.parent = parent;
    t.slot = slot;
    this.queue.push(t);
    return t;
  }

  /** Ends `task` at once (`gen.return()`): its `finally` blocks run now. */
  cancel(task: RawTask): void {
    if (task.done) return;
    task.cancelled = true;
    task.done = true;
    task.gen.return(undefined);
  }

  run(): void {
    for (;;) {
      const queue = this.queue;
      while (this.head < queue.length) {
        const t = queue[this.head];
        queue[this.head++] = undefined as unknown as RawTask;
        if (this.head >= 4096 && this.head * 2 >= queue.length) {
          queue.splice(0, this.head);
          this.head = 0;
        }
        if (!t.done) this.step(t);
      }
      const heap = this.heap;
      if (heap.length === 0) return;
      let now = this.now();
      const first = heap[0].when;
      if (first > now) {
        if (this.real) Atomics.wait((cell ??= new Int32Array(new SharedArrayBuffer(4))), 0, 0, first - now);
        else this.current = first;
        now = this.now();
      }
      while (heap.length > 0 && heap[0].when <= now) {
        const t = this.pop();
        if (!t.cancelled) queue.push(t);
      }
    }
  }

  private step(t: RawTask): void {
    const r = t.gen.next(t.value);
    t.value = undefined;
    if (r.done === true) {
      t.done = true;
      const p = t.parent;
      if (p !== null) {
        (p.results as unknown[])[t.slot] = r.value;
        if (--p.pending === 0) {
          p.value = p.results;
          p.results = null;
          this.queue.push(p);
        }
      }
      return;
    }
    const y = r.value;
    if (y === undefined) this.queue.push(t);
    else if (typeof y === "number") {
      t.when = this.now() + y;
      this.push(t);
    } else {
      const children = y as RawGen[];
      t.results = new Array(children.length);
      t.pending = children.length;
      for (let i = 0; i < children.length; i++) this.spawn(children[i], t, i);
    }
  }

  private push(t: RawTask): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(t);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heap[p].when <= t.when) break;
      heap[i] = heap[p];
      i = p;
    }
    heap[i] = t;
  }

  private pop(): RawTask {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop() as RawTask;
    const n = heap.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && heap[c + 1].when < heap[c].when) c++;
        if (heap[c].when >= last.when) break;
        heap[i] = heap[c];
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }
}
