// The UI adapters of examples/ui (React, Vue, Svelte), each driven by a tiny fake of the
// framework API it uses: they follow a policy's changes with stable snapshots.
import { expect } from "chai";
import { restartable, sleep } from "../../lib/index.js";
import { createUsePolicy as createReactHook } from "../../examples/ui/react.js";
import { createUsePolicy as createVueComposable } from "../../examples/ui/vue.js";
import { policyStore } from "../../examples/ui/svelte.js";
import type { PolicySnapshot } from "../../examples/ui/snapshot.js";
import { vrun } from "../helpers.js";

function searchPolicy() {
  return restartable(function* search(q: string) {
    yield* sleep(10);
    if (q === "bad") throw new RangeError("bad query");
    return `results for ${q}`;
  });
}

describe("examples/ui: React, Vue and Svelte adapters", () => {
  it("React: useSyncExternalStore gets a stable snapshot that changes with the policy", () => {
    const out = vrun(
      (function* () {
        const search = searchPolicy();
        let renders = 0;
        let notify: () => void = () => {};
        let getSnapshot: () => PolicySnapshot<string> = () => {
          throw new Error("not subscribed");
        };
        const fakeReact = {
          useSyncExternalStore<T>(subscribe: (onChange: () => void) => () => void, get: () => T): T {
            getSnapshot = get as unknown as () => PolicySnapshot<string>;
            subscribe(() => {
              renders++;
              notify();
            });
            return get();
          },
        };
        const usePolicy = createReactHook(fakeReact);
        const first = usePolicy(search);
        const same = getSnapshot() === first;
        search.perform("a");
        search.perform("ab");
        const running = getSnapshot();
        yield* sleep(20);
        const done = getSnapshot();
        return [first.isIdle, same, running.isRunning, done.lastValue, done.isIdle, renders > 0, getSnapshot() === done];
      })(),
    );
    expect(out).to.deep.equal([true, true, true, "results for ab", true, true, true]);
  });

  it("Vue: a shallow ref updated on changes, unsubscribed when the scope is disposed", () => {
    const out = vrun(
      (function* () {
        const search = searchPolicy();
        const disposers: (() => void)[] = [];
        const usePolicy = createVueComposable({
          shallowRef: <T>(value: T) => ({ value }),
          onScopeDispose: (fn) => void disposers.push(fn),
        });
        const state = usePolicy(search);
        search.perform("bad");
        yield* sleep(20);
        const failed = state.value;
        disposers.forEach((d) => d());
        search.perform("x");
        yield* sleep(20);
        return [(failed.lastError as Error).message, failed.isIdle, state.value === failed];
      })(),
    );
    expect(out).to.deep.equal(["bad query", true, true]);
  });

  it("Svelte: the store contract (called at once, then on each change, until unsubscribed)", () => {
    const out = vrun(
      (function* () {
        const search = searchPolicy();
        const values: string[] = [];
        const unsubscribe = policyStore(search).subscribe((s) => values.push(s.isRunning ? "running" : `idle ${s.lastValue ?? "-"}`));
        search.perform("q");
        yield* sleep(20);
        unsubscribe();
        search.perform("r");
        yield* sleep(20);
        return values;
      })(),
    );
    expect(out).to.deep.equal(["idle -", "running", "idle results for q"]);
  });
});
