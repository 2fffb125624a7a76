// A fixed-step game loop that owns the thread and calls genloop once per frame, never blocking:
// each frame advances the loop's virtual clock by the frame time and, when nextDeadline() says
// work is due, runs it (runDue: loop.step() while due, within a budget). Game logic is
// written as coroutines: an enemy patrols, a spawner adds waves, a timed power-up expires,
// and when the player quits every task is cancelled so its `finally` cleanup runs.
//   node build/examples/game-loop.js
import { EventLoop, VirtualClock, runDue, sleep, type Coroutine, type Task } from "../lib/index.js";

const FRAME_MS = 16; // ~60 frames per second of game time
const log: string[] = [];
let frame = 0;
const say = (line: string) => log.push(`[frame ${String(frame).padStart(3)}] ${line}`);

function* patrol(name: string, route: string[]): Coroutine<void> {
  try {
    for (let lap = 0; ; lap++) {
      for (const point of route) {
        say(`${name} walks to ${point}`);
        yield* sleep(250); // walking takes a quarter second of game time
      }
    }
  } finally {
    say(`${name} despawns`);
  }
}

function* spawner(loop: EventLoop, enemies: Task<void>[]): Coroutine<void> {
  for (let wave = 1; wave <= 2; wave++) {
    yield* sleep(500);
    say(`wave ${wave}`);
    enemies.push(loop.createTask(patrol(`goblin-${wave}`, ["gate", "bridge"])));
  }
}

function* powerUp(): Coroutine<void> {
  say("power-up on");
  yield* sleep(800);
  say("power-up expired");
}

const clock = new VirtualClock();
const loop = new EventLoop({ clock });
const enemies: Task<void>[] = [];
loop.createTask(spawner(loop, enemies));
loop.createTask(powerUp());

/** True when genloop has work due now (nextDeadline: null = idle, else the loop time it is due). */
const due = (): boolean => {
  const next = loop.nextDeadline();
  return next !== null && next <= loop.time();
};

// The host's frame loop: update physics/rendering (not shown), then give genloop its slice,
// but only on frames where something is due, bounded so a busy frame cannot stall rendering.
let busyFrames = 0;
for (frame = 0; frame < 75; frame++) {
  if (due()) {
    busyFrames++;
    runDue(loop, { budgetMs: 4, maxIterations: 100 });
  }
  clock.advance(FRAME_MS);
}

// Quit: cancel what is still running and step the loop until their cleanup has run.
say("player quits");
for (const task of enemies) task.cancel();
while (due()) loop.step();
loop.close();
console.log(log.join("\n"));
console.log(`genloop had work on ${busyFrames} of ${frame} frames`);
