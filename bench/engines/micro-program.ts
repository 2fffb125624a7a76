// The micro-benchmark program of `npm run bench -- micro` (bench/micro.ts lowers it for each
// engine): the cost of the pieces a task switch and a cancellation are made of, in plain JavaScript
// without genloop. It prints one `RESULT {"op", "ns", "over"}` line per operation (nanoseconds per
// operation, `over` naming the operation subtracted from it, if any) and `DONE` at the end.
declare function print(line: string): void;
/** Set by the driver before this script: the samples per operation (the median is reported). */
declare const microConfig: { rounds: number };

/** `Date.now()` counts whole milliseconds, the one clock every engine has: a sample lasts at least this long. */
const MIN_SAMPLE_MS = 40;
/** What the bodies compute, read at the end so that no engine can drop a body as dead code. */
let sink = 0;

/** The median, over the rounds (after a warm-up sample), of the nanoseconds per unit of `body(units)`. */
function nsPerUnit(units: number, body: (units: number) => number): number {
  const samples: number[] = [];
  for (let r = -1; r < microConfig.rounds; r++) {
    const t0 = Date.now();
    let runs = 0;
    let ms = 0;
    do {
      sink = (sink + body(units)) | 0;
      runs++;
      ms = Date.now() - t0;
    } while (ms < MIN_SAMPLE_MS);
    if (r >= 0) samples.push((ms * 1e6) / (runs * units));
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1];
}

const measured: { [op: string]: number } = {};
/**
 * The first pass, which prints nothing: the engine's code warms up (QuickJS is WebAssembly, which
 * Node compiles again, faster, once it has run a while: the first operations measured would pay).
 */
let warmingUp = false;

/** Measures `body` and prints its cost per unit, less `over`'s (an operation measured before) when given. */
function measure(op: string, units: number, body: (units: number) => number, over?: string): void {
  const ns = nsPerUnit(units, body);
  measured[op] = ns;
  if (warmingUp) return;
  const net = over === undefined ? ns : ns - measured[over];
  print("RESULT " + JSON.stringify(over === undefined ? { op: op, ns: net } : { op: op, ns: net, over: over }));
}

// --- single operations, each in a loop of its own, less the empty loop ---------------------------

class Adder {
  total = 0;
  add(a: number, b: number): number {
    return (a + b) | 0;
  }
}
function add(a: number, b: number): number {
  return (a + b) | 0;
}
class Task {
  flags = 0;
}
const task: object = new Task();
const taskPrototype: object = Task.prototype;
const adder = new Adder();
const LOOP = 10000;

function singleOperations(): void {
  const loop = "loop iteration";
  measure(loop, LOOP, (n) => {
    let acc = 0;
    for (let i = 0; i < n; i++) acc = (acc + i) | 0;
    return acc;
  });
  measure("function call", LOOP, (n) => {
    let acc = 0;
    for (let i = 0; i < n; i++) acc = add(acc, i);
    return acc;
  }, loop);
  measure("method call", LOOP, (n) => {
    let acc = 0;
    for (let i = 0; i < n; i++) acc = adder.add(acc, i);
    return acc;
  }, loop);
  measure("try/finally", LOOP, (n) => {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      try {
        acc = (acc + i) | 0;
      } finally {
        acc = acc | 0;
      }
    }
    return acc;
  }, loop);
  measure("instanceof", LOOP, (n) => {
    let acc = 0;
    for (let i = 0; i < n; i++) acc = (acc + i + (task instanceof Task ? 1 : 0)) | 0;
    return acc;
  }, loop);
  measure("isPrototypeOf", LOOP, (n) => {
    let acc = 0;
    for (let i = 0; i < n; i++) acc = (acc + i + (taskPrototype.isPrototypeOf(task) ? 1 : 0)) | 0;
    return acc;
  }, loop);
  measure("allocated { value, done }", LOOP, (n) => {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      const result = { value: i, done: false };
      acc = (acc + result.value) | 0;
    }
    return acc;
  }, loop);
}

// --- a round-robin switch of generators ----------------------------------------------------------

const TASKS = 100;
const SWITCHES = 100;

/** An iterator that yields once and then finishes, allocating nothing: the protocol a typed switch uses. */
class OneStep {
  private stepped = false;
  private static readonly pending: IteratorResult<undefined, undefined> = { value: undefined, done: false };
  private static readonly finished: IteratorResult<undefined, undefined> = { value: undefined, done: true };
  [Symbol.iterator](): this {
    return this;
  }
  next(): IteratorResult<undefined, undefined> {
    if (this.stepped) {
      this.stepped = false;
      return OneStep.finished;
    }
    this.stepped = true;
    return OneStep.pending;
  }
  /** Rethrows what is thrown in, as a coroutine that does not catch it. */
  throw(error: unknown): IteratorResult<undefined, undefined> {
    this.stepped = false;
    throw error;
  }
  return(): IteratorResult<undefined, undefined> {
    this.stepped = false;
    return OneStep.finished;
  }
}

function* bareYields(switches: number): Generator<undefined, void, undefined> {
  for (let k = 0; k < switches; k++) yield;
}
function* delegatingYields(switches: number): Generator<undefined, void, undefined> {
  const step = new OneStep();
  for (let k = 0; k < switches; k++) yield* step;
}

/** Runs TASKS generators round robin, one resumption each in turn, until all have finished; returns the switches. */
function roundRobin(make: (switches: number) => Generator<undefined, void, undefined>): number {
  const tasks: Generator<undefined, void, undefined>[] = [];
  for (let t = 0; t < TASKS; t++) tasks.push(make(SWITCHES));
  let switches = 0;
  let alive = TASKS;
  while (alive > 0) {
    alive = 0;
    for (let t = 0; t < TASKS; t++) {
      switches++;
      if (!tasks[t].next().done) alive++;
    }
  }
  return switches;
}

function switches(): void {
  const bare = "switch, round robin, bare yield";
  measure(bare, TASKS * (SWITCHES + 1), () => roundRobin(bareYields));
  measure("switch, yield* of an iterator allocating nothing", TASKS * (SWITCHES + 1), () => roundRobin(delegatingYields), bare);
}

// --- a FIFO ------------------------------------------------------------------------------------

/** A growable ring buffer, its items taken in order through methods. */
class Ring<T> {
  private items: (T | undefined)[] = new Array<T | undefined>(16);
  private head = 0;
  private size = 0;
  push(item: T): void {
    if (this.size === this.items.length) this.grow();
    this.items[(this.head + this.size) & (this.items.length - 1)] = item;
    this.size++;
  }
  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & (this.items.length - 1);
    this.size--;
    return item;
  }
  private grow(): void {
    const items = new Array<T | undefined>(this.items.length * 2);
    for (let i = 0; i < this.size; i++) items[i] = this.items[(this.head + i) & (this.items.length - 1)];
    this.items = items;
    this.head = 0;
  }
}

const BATCH = 100;
const BATCHES = 100;
const ring = new Ring<object>();
const queued: object[] = [];

function fifo(): void {
  const array = "FIFO, array and an index, per item";
  measure(array, BATCH * BATCHES, () => {
    let acc = 0;
    for (let b = 0; b < BATCHES; b++) {
      let tail = 0;
      for (let i = 0; i < BATCH; i++) queued[tail++] = task;
      for (let head = 0; head < tail; head++) if (queued[head] === task) acc++;
    }
    return acc;
  });
  measure("FIFO, ring buffer's push/shift methods", BATCH * BATCHES, () => {
    let acc = 0;
    for (let b = 0; b < BATCHES; b++) {
      for (let i = 0; i < BATCH; i++) ring.push(task);
      for (let item = ring.shift(); item !== undefined; item = ring.shift()) if (item === task) acc++;
    }
    return acc;
  }, array);
}

// --- throwing into a suspended generator ---------------------------------------------------------

let finallies = 0;
/** What is thrown in: a plain object made once, so that no `Error` and its stack are part of the cost. */
const cancelled = { cancelled: true };
const sharedStep = new OneStep();

function* bareTryFinally(): Generator<undefined, void, undefined> {
  try {
    yield;
  } finally {
    finallies++;
  }
}
function* delegatingTryFinally(): Generator<undefined, void, undefined> {
  try {
    yield* sharedStep;
  } finally {
    finallies++;
  }
}

const GENERATORS = 1000;
type Ending = "next" | "throw" | "return";

/** Makes GENERATORS generators, starts each and ends it by `ending` (a throw caught here); returns how many threw. */
function endEach(make: () => Generator<undefined, void, undefined>, ending: Ending): number {
  let thrown = 0;
  for (let i = 0; i < GENERATORS; i++) {
    const gen = make();
    gen.next();
    if (ending === "next") gen.next();
    else if (ending === "return") gen.return(undefined);
    else {
      try {
        gen.throw(cancelled);
      } catch (error) {
        if (error === cancelled) thrown++;
      }
    }
  }
  return thrown;
}

function generatorEndings(): void {
  const shapes: [string, () => Generator<undefined, void, undefined>][] = [
    ["gen at yield", bareTryFinally],
    ["gen at yield* (its throw rethrows)", delegatingTryFinally],
  ];
  for (const [shape, make] of shapes) {
    const normal = `${shape} in try/finally: made, started, next() to its end`;
    measure(normal, GENERATORS, () => endEach(make, "next"));
    measure(`${shape}: throw() instead, caught outside`, GENERATORS, () => endEach(make, "throw"), normal);
    measure(`${shape}: return() instead`, GENERATORS, () => endEach(make, "return"), normal);
  }
}

try {
  warmingUp = true;
  singleOperations();
  switches();
  warmingUp = false;
  singleOperations();
  switches();
  fifo();
  generatorEndings();
  print("SINK " + (sink + finallies));
  print("DONE");
} catch (error) {
  print("ERROR " + String(error));
}
