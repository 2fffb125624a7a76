// The `scheduleSeed` option (see ScheduleShuffle): installed when this module is part of the program.
import { loopOptionHandlers } from "../loop.js";
import { checkScheduleSeed, ScheduleShuffle } from "../schedule-shuffle.js";

loopOptionHandlers.scheduleSeed = (loop, seed) => {
  loop._shuffle = new ScheduleShuffle(checkScheduleSeed("EventLoop", seed));
};
