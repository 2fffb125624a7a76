"""Interleaving traces of mixed primitive workloads in CPython 3.13 (virtual clock), which
spec/sync/traces.spec.ts replays on genloop and must match tick for tick.
Run: PYENV_VERSION=3.13.0 python3 spec/sync/cpython/traces.py
Timers never share a deadline (CPython does not order equal deadlines: SCH-07)."""
import asyncio, json, importlib.util, os

spec = importlib.util.spec_from_file_location("hb", os.path.join(os.path.dirname(__file__), "held-back.py"))
src = open(spec.origin).read().split("\nfor f in (")[0]
ns = {}
exec(src, ns)
run = ns["run"]


async def queue_workload():
    q = asyncio.Queue(2)
    log = []
    T = lambda: f"{round(asyncio.get_running_loop().time() * 1000, 3):g}"

    async def producer(name, n, pause):
        for i in range(n):
            await q.put(f"{name}{i}")
            log.append(f"put {name}{i} @{T()}")
            for _ in range(pause):
                await asyncio.sleep(0)

    async def consumer(name, work):
        while True:
            item = await q.get()
            log.append(f"{name} got {item} @{T()}")
            for _ in range(work):
                await asyncio.sleep(0)
            q.task_done()

    cs = [asyncio.create_task(consumer("c1", 1)), asyncio.create_task(consumer("c2", 3))]
    ps = [asyncio.create_task(producer("a", 4, 0)), asyncio.create_task(producer("b", 3, 2)), asyncio.create_task(producer("c", 2, 1))]
    await asyncio.gather(*ps)
    await q.join()
    log.append(f"joined @{T()}")
    for c in cs:
        c.cancel()
    await asyncio.gather(*cs, return_exceptions=True)
    return log


async def semaphore_workload():
    sem = asyncio.Semaphore(2)
    log = []
    T = lambda: f"{round(asyncio.get_running_loop().time() * 1000, 3):g}"

    async def worker(i):
        try:
            async with sem:
                log.append(f"in {i} @{T()}")
                await asyncio.sleep((7 + 3 * i) / 1000)
                log.append(f"out {i} @{T()}")
        except asyncio.CancelledError:
            log.append(f"cancelled {i} @{T()}")
            raise

    ts = [asyncio.create_task(worker(i)) for i in range(7)]
    await asyncio.sleep(0)
    await asyncio.sleep(0.001)
    ts[3].cancel()
    await asyncio.sleep(0.0085)
    ts[4].cancel()
    ts[1].cancel()
    sem.release(); sem.release()  # two extra units
    log.append(f"released extra @{T()} value={sem._value}")
    await asyncio.gather(*ts, return_exceptions=True)
    log.append(f"end value={sem._value}")
    return log


async def condition_workload():
    cond = asyncio.Condition()
    state = {"n": 0}
    log = []

    async def waiter(i):
        try:
            async with cond:
                r = await cond.wait_for(lambda: state["n"] > i)
                log.append(f"w{i} woke n={state['n']} r={r}")
        except asyncio.CancelledError:
            log.append(f"w{i} cancelled locked={cond.locked()}")
            raise

    ts = [asyncio.create_task(waiter(i)) for i in range(5)]
    await asyncio.sleep(0)
    async with cond:
        state["n"] = 2
        cond.notify(2)
        ts[0].cancel()
    for _ in range(3):
        await asyncio.sleep(0)
    log.append("phase2")
    async with cond:
        state["n"] = 10
        cond.notify_all()
        ts[3].cancel()
    await asyncio.gather(*ts, return_exceptions=True)
    log.append([("cancelled" if t.cancelled() else "done") for t in ts])
    return log


async def lock_event_workload():
    lock = asyncio.Lock()
    ev = asyncio.Event()
    log = []

    async def user(i):
        await ev.wait()
        log.append(f"u{i} saw event")
        async with lock:
            log.append(f"u{i} locked")
            await asyncio.sleep(0)
            if i == 1:
                ev.clear()
            log.append(f"u{i} unlocking")

    ts = [asyncio.create_task(user(i)) for i in range(4)]
    await asyncio.sleep(0)
    ev.set()
    await asyncio.sleep(0)
    ts[2].cancel()
    await asyncio.gather(*ts, return_exceptions=True)
    log.append(f"locked={lock.locked()} set={ev.is_set()}")
    return log


print(json.dumps({f.__name__: run(f()) for f in (queue_workload, semaphore_workload, condition_workload, lock_event_workload)}, indent=1))
