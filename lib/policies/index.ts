// Public exports of this area; lib/index.ts re-exports them.
export {};
