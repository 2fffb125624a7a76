// genloop/channels: channels with explicit buffer policies, event channels over host
// subscriptions, broadcast, and a consumption loop. The core never imports this module.
export { buffers, type BufferPolicy, type BufferKind } from "./buffers.js";
export { Channel, ChannelClosedError, type ChannelResult } from "./channel.js";
export { eventChannel, EventChannel, type Subscribe, type Unsubscribe } from "./event-channel.js";
export { Broadcast } from "./broadcast.js";
export { forEach } from "./for-each.js";
