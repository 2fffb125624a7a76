// A classic check-then-act race, and how seeded schedule exploration finds it. Two withdrawals
// from one account: each checks the balance, writes an audit record (10 ms), then debits. In
// asyncio's default order the test passes; but the second request arrives at the very moment the
// first one's audit ends, and which of those two wakes first is not fixed (two timers due at the
// same time). `explore` tries that other order and finds the overdraft; holding a lock from the
// check to the debit fixes it.
import { Lock, createTask, gather, sleep, type Coroutine } from "../lib/index.js";
import { explore, runTest, ScheduleFailure } from "../lib/testing/index.js";

export interface Account {
  balance: number;
}

const AUDIT_MS = 10;

/** Racy: the balance can change between the check and the debit. */
export function* withdraw(account: Account, amount: number): Coroutine<boolean> {
  if (account.balance < amount) return false; // check
  yield* sleep(AUDIT_MS); // write the audit record
  account.balance -= amount; // act, on a check that may be stale by now
  return true;
}

/** Fixed: the check and the debit happen under one lock, so nobody acts in between. */
export function withdrawLocked(lock: Lock): (account: Account, amount: number) => Coroutine<boolean> {
  return function* (account, amount) {
    return yield* lock.with(() => withdraw(account, amount));
  };
}

/** The test: a withdrawal now and another 10 ms later, from an account that covers only one. */
export function twoWithdrawals(withdrawFn: (account: Account, amount: number) => Coroutine<boolean>): () => Coroutine<void> {
  return function* () {
    const account: Account = { balance: 100 };
    function* later(): Coroutine<boolean> {
      yield* sleep(AUDIT_MS); // the second request arrives as the first one's audit ends
      return yield* withdrawFn(account, 80);
    }
    const results = yield* gather(createTask(withdrawFn(account, 80)), createTask(later()));
    if (account.balance < 0) throw new Error(`overdraft: balance ${account.balance} after withdrawals ${JSON.stringify(results)}`);
    if (results.filter(Boolean).length !== 1) throw new Error(`expected exactly one withdrawal, got ${JSON.stringify(results)}`);
  };
}

export const racyTest = twoWithdrawals(withdraw);
export const fixedTest = function* (): Coroutine<void> {
  yield* twoWithdrawals(withdrawLocked(new Lock()))();
};

/** Runs the demonstration, printing what it finds. */
export function main(): void {
  runTest(racyTest);
  console.log("racy version, asyncio's default order: passes");
  try {
    explore(racyTest, { seeds: 100 });
    console.log("racy version: no failure in 100 seeds");
  } catch (error) {
    if (!(error instanceof ScheduleFailure)) throw error;
    console.log(`racy version, explored: ${error.message}`);
  }
  explore(fixedTest, { seeds: 100 });
  console.log("fixed version: passes under all 100 seeds");
}

if (typeof process !== "undefined" && process.argv[1]?.endsWith("check-then-act.js")) main();
