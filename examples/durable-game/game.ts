// The game of the save/restore example (examples/durable-game.ts): coroutines on a frame-driven
// loop, durable. Its only inputs from outside are effects — the controller's stick (the host's
// `game.stick` handler) and random numbers (`random()`) — so its journal is its save file.
// Engine-neutral: the example runs it in Node and, bundled, in QuickJS.
import { EventLoop, VirtualClock, defineEffect, runDue, sleep, spawn, type Coroutine } from "../../lib/index.js";
import { DurableRun, MemoryStore, effectKey, random } from "../../lib/durable/portable.js";

export const FRAME_MS = 16;

/** The controller's stick for the player: -1, 0 or 1; the host answers with its input for this frame. */
const stick = defineEffect<{ player: string }, number>("game.stick");

interface Enemy {
  name: string;
  x: number;
}
interface World {
  frame: number;
  player: { x: number; hp: number; score: number };
  enemies: Enemy[];
}

function* player(world: World): Coroutine<void> {
  for (;;) {
    world.player.x += yield* stick({ player: "p1" });
    world.player.score += world.enemies.filter((e) => Math.abs(e.x - world.player.x) > 5).length;
    yield* sleep(50);
  }
}

function* enemy(world: World, self: Enemy): Coroutine<void> {
  for (;;) {
    const roll = yield* random();
    self.x += roll < 0.5 ? -1 : 1;
    if (Math.abs(self.x - world.player.x) <= 1) world.player.hp--;
    yield* sleep(100 + Math.floor(roll * 200));
  }
}

function* game(world: World): Coroutine<void> {
  yield* spawn(player(world), { name: "player" });
  for (let wave = 1; wave <= 3; wave++) {
    yield* sleep(2000);
    const goblin = { name: `goblin-${wave}`, x: wave * 7 };
    world.enemies.push(goblin);
    yield* spawn(enemy(world, goblin), { name: goblin.name });
  }
}

/** The scripted controller (the host's input device): what the stick says at a frame. */
export function stickAt(frame: number): number {
  return (Math.floor(frame / 30) % 3) - 1;
}

/** A number in [0, 1) from a string (FNV-1a): reproducible randomness, keyed by the effect's position. */
function unitHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h / 4294967296;
}

export interface PlayOptions {
  /** The save to restore (a journal's text); "" for a new game. */
  save: string;
  /** Play frames [0, until). */
  until: number;
  /** Render the frames from this one on. */
  renderFrom: number;
}

/**
 * Plays the game frame by frame, as a host's game loop does: each frame gives genloop its due
 * work (`runDue`) and renders, then advances the game clock by one frame. Frames the save covers
 * are replayed from it (the handlers are not called); the rest run live and extend it.
 * @returns the rendered frames and the save (the journal) at the end.
 */
export function play(options: PlayOptions): { frames: string[]; save: string } {
  const store = MemoryStore.from(options.save);
  const durable = new DurableRun({ store, clock: new VirtualClock(), runId: "game" });
  const clock = durable.clock as VirtualClock;
  const world: World = { frame: 0, player: { x: 0, hp: 20, score: 0 }, enemies: [] };
  const loop = new EventLoop({
    clock,
    effects: {
      "game.stick": (_effect, ctx) => ctx.resolve(stickAt(world.frame)),
      // Random numbers the host derives from each draw's stable key: the same draws in every run.
      "durable.random": (_effect, ctx) => ctx.resolve(unitHash(effectKey())),
    },
  });
  durable.attach(loop);
  loop.createTask(game(world), { name: "game" });
  const frames: string[] = [];
  for (world.frame = 0; world.frame < options.until; world.frame++) {
    runDue(loop);
    if (world.frame >= options.renderFrom) frames.push(render(world));
    clock.advance(FRAME_MS);
  }
  return { frames, save: store.toString() };
}

function render(world: World): string {
  const { x, hp, score } = world.player;
  const enemies = world.enemies.map((e) => `${e.name}@${e.x}`).join(" ");
  return `frame ${world.frame} t=${world.frame * FRAME_MS}ms player@${x} hp=${hp} score=${score} ${enemies}`.trimEnd();
}
