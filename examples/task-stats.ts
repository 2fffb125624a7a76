// Per-task CPU time and a tracer with parent links, built only on the public instrument hooks:
// what a game host could print each frame. Run: npm run build:dev && node build/examples/task-stats.js
import { EventLoop, VirtualClock, sleep, spawn, type Instrument, type Task } from "../lib/index.js";

/** Milliseconds of CPU (here: wall) time spent in each task's steps, and who created whom. */
class TaskStats implements Instrument {
  readonly cpuMs = new Map<Task<unknown>, number>();
  readonly parent = new Map<Task<unknown>, Task<unknown> | null>();
  private running: Task<unknown> | null = null;
  private started = 0;

  constructor(private readonly now: () => number) {}

  taskCreated(task: Task<unknown>): void {
    this.parent.set(task, this.running);
    this.cpuMs.set(task, 0);
  }
  beforeTaskStep(task: Task<unknown>): void {
    this.running = task;
    this.started = this.now();
  }
  afterTaskStep(task: Task<unknown>): void {
    this.cpuMs.set(task, (this.cpuMs.get(task) ?? 0) + (this.now() - this.started));
    this.running = null;
  }

  /** One line per task, indented under its creator. */
  report(): string {
    const lines: string[] = [];
    const visit = (task: Task<unknown>, depth: number): void => {
      lines.push(`${"  ".repeat(depth)}${task.getName()}: ${(this.cpuMs.get(task) ?? 0).toFixed(1)} ms cpu`);
      for (const [child, parent] of this.parent) if (parent === task) visit(child, depth + 1);
    };
    for (const [task, parent] of this.parent) if (parent === null) visit(task, 0);
    return lines.join("\n");
  }
}

/** Busy work standing in for game logic: `units` of 1 ms on a fake CPU clock. */
let cpu = 0;
function work(units: number): void {
  cpu += units;
}

function* enemy(units: number) {
  for (let frame = 0; frame < 3; frame++) {
    work(units);
    yield* sleep(16);
  }
}
function* world() {
  yield* spawn(enemy(2), { name: "goblin" });
  yield* spawn(enemy(5), { name: "dragon" });
  work(1);
  yield* sleep(60);
}

const stats = new TaskStats(() => cpu);
const loop = new EventLoop({ clock: new VirtualClock(), instruments: [stats] });
loop.runUntilComplete(loop.createTask(world(), { name: "world" }));
console.log(stats.report());
