"""Establishes the held-back sync scenarios (LOCK-01/02, EVT-04, COND-05/10, SEM-07/08,
Q-11/13/16) and Barrier traces in CPython 3.13 on a virtual clock, printing what the
genloop specs assert. Run: PYENV_VERSION=3.13.0 python3 spec/sync/cpython/held-back.py"""
import asyncio


class VirtualLoop(asyncio.SelectorEventLoop):
    """Jumps time to the next timer instead of waiting (like genloop's VirtualClock)."""

    def __init__(self):
        super().__init__()
        self._t = 0.0

    def time(self):
        return self._t

    def _run_once(self):
        if not self._ready and self._scheduled:
            self._t = max(self._t, self._scheduled[0]._when)
        super()._run_once()


def run(coro):
    loop = VirtualLoop()
    try:
        return loop.run_until_complete(coro)
    finally:
        loop.close()


async def lock_01():
    lock = asyncio.Lock()
    try:
        await lock
    except TypeError as e:
        return type(e).__name__, lock.locked()


async def lock_02():
    lock = asyncio.Lock()
    result, snaps = [], []
    await lock.acquire()

    async def c(i):
        if await lock.acquire():
            result.append(i)
        return True

    t1, t2 = asyncio.create_task(c(1)), asyncio.create_task(c(2))
    await asyncio.sleep(0); snaps.append(list(result))
    lock.release(); await asyncio.sleep(0); snaps.append(list(result))
    await asyncio.sleep(0); snaps.append(list(result))
    t3 = asyncio.create_task(c(3))
    lock.release(); await asyncio.sleep(0); snaps.append(list(result))
    lock.release(); await asyncio.sleep(0); snaps.append(list(result))
    return snaps, [t.result() for t in (t1, t2, t3)]


async def evt_04():
    ev = asyncio.Event()
    out = [ev.is_set()]
    ev.set(); out.append(ev.is_set())
    ev.clear(); out.append(ev.is_set())
    return out


async def cond_05():
    cond = asyncio.Condition()
    out = []
    for f in (cond.notify, cond.notify_all):
        try:
            f()
        except RuntimeError as e:
            out.append(str(e))
    try:
        await cond.wait()
    except RuntimeError as e:
        out.append(str(e))
    out.append(await cond.wait_for(lambda: [1, 2, 3]))
    return out


async def cond_10():
    cond = asyncio.Condition()
    wake, raised = False, None

    async def func():
        nonlocal raised
        async with cond:
            try:
                await cond.wait_for(lambda: wake)
            except asyncio.CancelledError as e:
                raised = e
                raise

    task = asyncio.create_task(func())
    await asyncio.sleep(0)
    await cond.acquire()
    wake = True
    cond.notify()
    await asyncio.sleep(0)
    task.cancel(msg="foo")
    cond.release()
    try:
        await task
    except asyncio.CancelledError as e:
        return e.args, e is raised, cond.locked()


async def sem_07():
    out = []
    try:
        asyncio.BoundedSemaphore().release()
    except ValueError as e:
        out.append(str(e))
    sem = asyncio.Semaphore()
    await sem.acquire(); out.append(sem.locked())
    sem.release(); out.append(sem.locked())
    return out


async def sem_08():
    sem = asyncio.Semaphore(1)
    result = []

    async def coro(tag):
        await sem.acquire(); result.append(f'{tag}_1'); await asyncio.sleep(0.01); sem.release()
        await sem.acquire(); result.append(f'{tag}_2'); await asyncio.sleep(0.01); sem.release()

    await asyncio.gather(coro('c1'), coro('c2'), coro('c3'))
    return result


async def q_11():
    q = asyncio.Queue(1)
    q.put_nowait(1)
    p = asyncio.create_task(q.put(1))
    await asyncio.sleep(0)
    q.get_nowait()
    p.cancel()
    try:
        await p
    except asyncio.CancelledError:
        return len(q._putters), q.qsize()


async def q_13():
    q = asyncio.Queue()
    t = asyncio.create_task(q.get())
    await asyncio.sleep(0)
    await q.put('a')
    return await t


async def q_16():
    q = asyncio.Queue(1)
    q.put_nowait("data")
    join_task = asyncio.create_task(q.join())
    put_task = asyncio.create_task(q.put("data2"))
    await asyncio.sleep(0)
    q.shutdown()
    out = [q.qsize()]
    await asyncio.sleep(0)
    out.append(type(put_task.exception()).__name__)
    out.append(await q.get())
    await asyncio.sleep(0)
    out.append(join_task.done())
    q.task_done()
    await asyncio.sleep(0)
    out.append(join_task.done())
    return out


async def barrier_trace():
    """Index order and tick at which each of 3 parties leaves, with a 4th arriving mid-drain."""
    b = asyncio.Barrier(3)
    log = []

    async def party(name, delay):
        await asyncio.sleep(delay)
        i = await b.wait()
        log.append((name, i, asyncio.get_running_loop().time()))

    await asyncio.gather(*(party(n, d) for n, d in (("a", 0), ("b", 0.01), ("c", 0.02), ("d", 0.025), ("e", 0.03), ("f", 0.035))))
    return log


for f in (lock_01, lock_02, evt_04, cond_05, cond_10, sem_07, sem_08, q_11, q_13, q_16, barrier_trace):
    print(f.__name__, run(f()))
