"""The CPython asyncio interpreter of the differential program language (see README.md).

Reads a JSON array of programs on stdin and writes one JSON line per program on stdout:
{"trace": [...]} or {"crash": "..."} when the interpreter itself failed.
It mirrors interpret.ts / ops.ts op for op; OPS below is the registry (add an op with @op).

Time: the virtual loop counts in the programs' unit, milliseconds (asyncio.sleep(5) sleeps
5 virtual units), so all times are exact integers.
"""
import asyncio
import heapq
import json
import sys
from asyncio import base_events, events


class Boom(Exception):
    pass


class Deadlock(Exception):
    pass


class FifoTimerHandle(events.TimerHandle):
    """A TimerHandle ordered by (deadline, scheduling sequence).

    CPython's own heap order for equal deadlines is arbitrary (catalogue SCH-07; call_later's
    docs say it is undefined which runs first). genloop guarantees FIFO, one of the orders
    CPython allows; making the oracle pick that same order lets programs share deadlines.
    """
    __slots__ = ('_seq',)

    def __lt__(self, other):
        if self._when != other._when:
            return self._when < other._when
        return self._seq < other._seq


class FakeSelector:
    """select() jumps the virtual clock by the timeout, as test_utils.TestLoop does."""

    def __init__(self, loop):
        self.loop = loop

    def select(self, timeout):
        if timeout is None:
            raise Deadlock("the loop would wait forever")
        if timeout > 0:
            self.loop._vtime += timeout
        return []

    def close(self):
        pass


class VirtualLoop(base_events.BaseEventLoop):
    def __init__(self):
        super().__init__()
        self._vtime = 0
        self._timer_seq = 0
        self._selector = FakeSelector(self)
        self._created = []  # every task, in creation order

    def time(self):
        return self._vtime

    def call_at(self, when, callback, *args, context=None):
        self._check_closed()
        timer = FifoTimerHandle(when, callback, args, self, context)
        timer._seq = self._timer_seq
        self._timer_seq += 1
        heapq.heappush(self._scheduled, timer)
        timer._scheduled = True
        return timer

    def create_task(self, coro, **kwargs):
        # The slot is taken before the task exists: an eager task's first step runs inside
        # super().create_task and may create tasks, which come after it in creation order.
        slot = len(self._created)
        self._created.append(None)
        task = super().create_task(coro, **kwargs)
        self._created[slot] = task
        return task

    def _process_events(self, event_list):
        pass

    def _write_to_self(self):
        pass


_cpython_all_tasks = asyncio.tasks.all_tasks


def all_tasks_in_creation_order(loop=None):
    """asyncio.run's shutdown cancels all_tasks(), a set whose order is arbitrary (object
    hashes); genloop cancels in creation order, one of the orders CPython may pick.
    asyncio.runners calls tasks.all_tasks, so the oracle swaps in this ordered version."""
    if loop is None:
        loop = events.get_running_loop()
    if not isinstance(loop, VirtualLoop):
        return _cpython_all_tasks(loop)
    return [t for t in loop._created if t is not None and not t.done()]


asyncio.tasks.all_tasks = all_tasks_in_creation_order


class InsertionOrderedSet:
    """The set operations TaskGroup uses on its `_tasks`, iterating in insertion order."""
    __slots__ = ('_items',)

    def __init__(self):
        self._items = {}

    def add(self, item):
        self._items[item] = None

    def discard(self, item):
        self._items.pop(item, None)

    def __iter__(self):
        return iter(list(self._items))

    def __len__(self):
        return len(self._items)

    def __contains__(self, item):
        return item in self._items

    def remove(self, item):
        del self._items[item]

    def clear(self):
        self._items.clear()


_cpython_task_group_init = asyncio.TaskGroup.__init__


def task_group_init_ordered(self):
    """TaskGroup keeps its tasks in a set, so its abort cancels them in hash order; genloop
    cancels them in creation order, one of the orders CPython may pick (found by the fuzzer:
    seed 2 program 714)."""
    _cpython_task_group_init(self)
    self._tasks = InsertionOrderedSet()


asyncio.TaskGroup.__init__ = task_group_init_ordered


def as_completed_init_ordered(self, aws, timeout):
    """asyncio.tasks._AsCompletedIterator.__init__ of 3.13 with its two sets in insertion
    order: futures already done when as_completed is called are handed out in the order
    their done callbacks were added, which CPython takes from set (hash) order; genloop
    takes the order they were given in, one of the orders CPython may pick (found by the
    fuzzer: seed 11 program 1579). Everything else is CPython's own code."""
    self._done = asyncio.Queue()
    self._timeout_handle = None
    loop = events.get_event_loop()
    todo = InsertionOrderedSet()
    for aw in dict.fromkeys(aws):
        todo.add(asyncio.ensure_future(aw, loop=loop))
    for f in todo:
        f.add_done_callback(self._handle_completion)
    if todo and timeout is not None:
        self._timeout_handle = loop.call_later(timeout, self._handle_timeout)
    self._todo = todo
    self._todo_left = len(todo)


asyncio.tasks._AsCompletedIterator.__init__ = as_completed_init_ordered


# ---------------------------------------------------------------------------------------------
# Trace helpers (same shapes as program.ts)

def error_string(e):
    name = type(e).__name__
    if name in ('Boom', 'CancelledError'):
        return f'{name}:{e}'
    if isinstance(e, BaseExceptionGroup):
        return f'{name}[{",".join(sorted(error_string(x) for x in e.exceptions))}]'
    return name


def outcome(v):
    return {'err': error_string(v)} if isinstance(v, BaseException) else {'ok': plain(v)}


def now(ctx):
    t = ctx.loop.time()
    return int(t) if float(t).is_integer() else t


class Ctx:
    def __init__(self):
        self.loop = None
        self.trace = []
        self.tasks = {}
        self.labels = {}
        self.syncs = {}  # locks, events, semaphores, conditions, queues by name (newSync)
        self.notified = {}  # per condition: how many condNotify ops ran


class Frame:
    def __init__(self, label, caught=None, group=None, timeout=None):
        self.label = label
        self.caught = caught  # a 1-tuple (error,) inside an exception handler
        self.group = group  # the TaskGroup tgSpawn adds to
        self.timeout = timeout  # the timeout scope reschedule / expired act on

    def but(self, **changes):
        fields = dict(label=self.label, caught=self.caught, group=self.group, timeout=self.timeout)
        fields.update(changes)
        return Frame(**fields)


def emit(ctx, label, kind, *details):
    ctx.trace.append([now(ctx), label, kind, *details])


async def run_body(ctx, frame, body):
    for o in body:
        status = await OPS[o['op']](ctx, frame, o)
        if status is not None:
            return status
    return None


async def main_body(ctx, program):
    if program.get('eager'):
        asyncio.get_running_loop().set_task_factory(asyncio.eager_task_factory)
    return await task_body(ctx, 'main', program['main'])


async def task_body(ctx, label, body, group=None):
    task = asyncio.current_task()
    ctx.tasks.setdefault(label, task)
    ctx.labels[task] = label
    emit(ctx, label, 'start')
    try:
        status = await run_body(ctx, Frame(label, group=group), body)
        value = label if status is None else status[0]
        emit(ctx, label, 'return', value)
        return value
    except BaseException as e:
        emit(ctx, label, 'raise', error_string(e))
        raise


# ---------------------------------------------------------------------------------------------
# The op registry

OPS = {}


def op(name):
    def register(fn):
        OPS[name] = fn
        return fn
    return register


def matches(e, kind):
    if kind == 'Boom':
        return isinstance(e, Boom)
    if kind == 'CancelledError':
        return isinstance(e, asyncio.CancelledError)
    if kind == 'Exception':
        return isinstance(e, Exception)
    return True  # "any": BaseException


def do_cancel(task, msg):
    if task is None:
        return 'missing'
    return task.cancel() if msg is None else task.cancel(msg)


@op('sleep')
async def op_sleep(ctx, frame, o):
    await asyncio.sleep(o['ms'])
    emit(ctx, frame.label, 'slept', o['ms'])


@op('spawn')
async def op_spawn(ctx, frame, o):
    task = asyncio.create_task(task_body(ctx, o['name'], o['body']), name=o['name'])
    ctx.tasks[o['name']] = task
    emit(ctx, frame.label, 'spawn', o['name'])


@op('await')
async def op_await(ctx, frame, o):
    task = ctx.tasks.get(o['task'])
    if task is None:
        emit(ctx, frame.label, 'await', o['task'], 'missing')
        return
    try:
        value = await task
        emit(ctx, frame.label, 'await', o['task'], outcome(value))
    except BaseException as e:
        emit(ctx, frame.label, 'await', o['task'], {'err': error_string(e)})
        raise


def gather_awaitables(ctx, items):
    aws = []
    for item in items:
        if 'task' in item:
            task = ctx.tasks.get(item['task'])
            aws.append(task if task is not None else asyncio.sleep(0, 'missing'))
        elif 'sleep' in item:
            aws.append(asyncio.sleep(item['sleep'], 'slept'))
        else:
            aws.append(task_body(ctx, item['label'], item['body']))
    return aws


@op('gather')
async def op_gather(ctx, frame, o):
    aws = gather_awaitables(ctx, o['items'])
    try:
        results = await asyncio.gather(*aws, return_exceptions=o['returnExceptions'])
        emit(ctx, frame.label, 'gather', [outcome(r) for r in results])
    except BaseException as e:
        emit(ctx, frame.label, 'gather', {'err': error_string(e)})
        raise


@op('cancel')
async def op_cancel(ctx, frame, o):
    emit(ctx, frame.label, 'cancel', o['task'], do_cancel(ctx.tasks.get(o['task']), o['msg']))


@op('cancelLater')
async def op_cancel_later(ctx, frame, o):
    def fire():
        emit(ctx, 'cb', 'cancel', o['task'], do_cancel(ctx.tasks.get(o['task']), o['msg']))
    ctx.loop.call_later(o['ms'], fire)
    emit(ctx, frame.label, 'cancelLater', o['task'], o['ms'])


@op('gatherFuture')
async def op_gather_future(ctx, frame, o):
    aws = gather_awaitables(ctx, o['items'])
    ctx.tasks[o['name']] = asyncio.gather(*aws, return_exceptions=o['returnExceptions'])
    emit(ctx, frame.label, 'gatherFuture', o['name'])


@op('callSoon')
async def op_call_soon(ctx, frame, o):
    def callback():
        emit(ctx, 'cb', 'soon', o['tag'])
        if o.get('fail'):
            raise Boom(o['tag'])
    asyncio.get_running_loop().call_soon(callback)
    emit(ctx, frame.label, 'callSoon', o['tag'])


@op('doneCallback')
async def op_done_callback(ctx, frame, o):
    task = ctx.tasks.get(o['task'])
    if task is not None:
        task.add_done_callback(lambda f: emit(ctx, 'cb', 'done', o['task'], future_state(f)))
    emit(ctx, frame.label, 'doneCallback', o['task'], task is not None)


@op('future')
async def op_future(ctx, frame, o):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    ctx.tasks[o['name']] = fut

    def settle():
        if fut.done():
            emit(ctx, 'cb', 'settle', o['name'], 'done already')
            return
        how = o['how']
        if how == 'result':
            fut.set_result(o['name'])
        elif how == 'error':
            fut.set_exception(Boom(o['name']))
        elif o['msg'] is None:
            fut.cancel()
        else:
            fut.cancel(o['msg'])
        emit(ctx, 'cb', 'settle', o['name'], how)
    loop.call_later(o['ms'], settle)
    emit(ctx, frame.label, 'future', o['name'])


@op('awaitSelf')
async def op_await_self(ctx, frame, o):
    try:
        await asyncio.current_task()
        emit(ctx, frame.label, 'awaitSelf', 'no error')
    except BaseException as e:
        emit(ctx, frame.label, 'awaitSelf', error_string(e))
        raise


@op('raise')
async def op_raise(ctx, frame, o):
    raise Boom(o['msg'])


@op('try')
async def op_try(ctx, frame, o):
    kind = o.get('catch')
    try:
        try:
            return await run_body(ctx, frame, o['body'])
        except BaseException as e:
            if kind is None or not matches(e, kind):
                raise
            emit(ctx, frame.label, 'caught', error_string(e))
            return await run_body(ctx, frame.but(caught=(e,)), o.get('handler', []))
    finally:
        if 'finally' in o:
            emit(ctx, frame.label, 'finally')
            status = await run_body(ctx, frame, o['finally'])
            if status is not None:
                return status  # a return in finally wins, as in JavaScript


@op('reraise')
async def op_reraise(ctx, frame, o):
    emit(ctx, frame.label, 'reraise')
    if frame.caught is not None:
        raise frame.caught[0]


@op('cancelling')
async def op_cancelling(ctx, frame, o):
    emit(ctx, frame.label, 'cancelling', asyncio.current_task().cancelling())


@op('uncancel')
async def op_uncancel(ctx, frame, o):
    emit(ctx, frame.label, 'uncancel', asyncio.current_task().uncancel())


@op('inspect')
async def op_inspect(ctx, frame, o):
    task = ctx.tasks.get(o['task'])
    if task is None:
        state = 'missing'
    else:
        cancelling = task.cancelling() if isinstance(task, asyncio.Task) else None
        state = [task.done(), task.cancelled(), cancelling]
    emit(ctx, frame.label, 'inspect', o['task'], state)


@op('return')
async def op_return(ctx, frame, o):
    return (o['value'],)


@op('call')
async def op_call(ctx, frame, o):
    status = await run_body(ctx, frame, o['body'])
    emit(ctx, frame.label, 'called', None if status is None else status[0])


# ---------------------------------------------------------------------------------------------
# lib/compose ops (ops-compose.ts)

async def traced(ctx, frame, kind, aw, show):
    try:
        value = await aw
    except BaseException as e:
        emit(ctx, frame.label, kind, {'err': error_string(e)})
        raise
    emit(ctx, frame.label, kind, {'ok': show(value)})
    return value


def futures_of(ctx, names):
    return [ctx.tasks[n] for n in names if n in ctx.tasks]


@op('shield')
async def op_shield(ctx, frame, o):
    [aw] = gather_awaitables(ctx, [o['item']])
    await traced(ctx, frame, 'shield', asyncio.shield(aw), outcome)


@op('waitFor')
async def op_wait_for(ctx, frame, o):
    [aw] = gather_awaitables(ctx, [o['item']])
    await traced(ctx, frame, 'waitFor', asyncio.wait_for(aw, o['ms']), outcome)


@op('wait')
async def op_wait(ctx, frame, o):
    present = [n for n in o['tasks'] if n in ctx.tasks]

    def show(result):
        done = result[0]
        return [sorted(n for n in present if ctx.tasks[n] in done),
                sorted(n for n in present if ctx.tasks[n] not in done)]
    aw = asyncio.wait(futures_of(ctx, o['tasks']), timeout=o['timeout'],
                      return_when=getattr(asyncio, o['returnWhen']))
    await traced(ctx, frame, 'wait', aw, show)


@op('asCompleted')
async def op_as_completed(ctx, frame, o):
    try:
        for aw in asyncio.as_completed(gather_awaitables(ctx, o['items']), timeout=o['timeout']):
            try:
                emit(ctx, frame.label, 'asCompleted', outcome(await aw))
            except Exception as e:
                emit(ctx, frame.label, 'asCompleted', {'err': error_string(e)})
    except BaseException as e:
        emit(ctx, frame.label, 'asCompleted', {'err': error_string(e)})
        raise
    emit(ctx, frame.label, 'asCompleted', 'end')


@op('timeout')
async def op_timeout(ctx, frame, o):
    cm = None
    try:
        ms = o['ms']
        if o.get('at'):
            scope = asyncio.timeout_at(None if ms is None else ctx.loop.time() + ms)
        else:
            scope = asyncio.timeout(ms)
        async with scope as cm:
            status = await run_body(ctx, frame.but(timeout=cm), o['body'])
    except BaseException as e:
        emit(ctx, frame.label, 'timeout', {'err': error_string(e)}, cm is not None and cm.expired())
        raise
    emit(ctx, frame.label, 'timeout', 'ok', cm.expired())
    return status


@op('reschedule')
async def op_reschedule(ctx, frame, o):
    emit(ctx, frame.label, 'reschedule', o['ms'], frame.timeout is not None)
    if frame.timeout is not None:
        frame.timeout.reschedule(None if o['ms'] is None else ctx.loop.time() + o['ms'])


@op('expired')
async def op_expired(ctx, frame, o):
    emit(ctx, frame.label, 'expired', frame.timeout.expired() if frame.timeout is not None else 'no scope')


@op('taskGroup')
async def op_task_group(ctx, frame, o):
    try:
        async with asyncio.TaskGroup() as tg:
            status = await run_body(ctx, frame.but(group=tg), o['body'])
    except BaseException as e:
        emit(ctx, frame.label, 'taskGroup', {'err': error_string(e)})
        raise
    emit(ctx, frame.label, 'taskGroup', 'ok')
    return status


@op('tgSpawn')
async def op_tg_spawn(ctx, frame, o):
    group = frame.group
    if group is None:  # only the shrinker makes this (it lifts ops out of their bodies)
        emit(ctx, frame.label, 'tgSpawn', o['name'], 'no group')
        return
    try:
        task = group.create_task(task_body(ctx, o['name'], o['body'], group), name=o['name'])
    except BaseException as e:
        emit(ctx, frame.label, 'tgSpawn', o['name'], {'err': error_string(e)})
        raise
    ctx.tasks[o['name']] = task
    emit(ctx, frame.label, 'tgSpawn', o['name'], 'ok')


# ---------------------------------------------------------------------------------------------
# lib/sync ops (ops-sync.ts): every blocking wait has a time limit; an Exception is traced and
# the body goes on, CancelledError goes on up.

SYNC_KINDS = {
    'lock': lambda arg: asyncio.Lock(),
    'event': lambda arg: asyncio.Event(),
    'semaphore': lambda arg: asyncio.Semaphore(arg),
    'boundedSemaphore': lambda arg: asyncio.BoundedSemaphore(arg),
    'condition': lambda arg: asyncio.Condition(),
    'queue': lambda arg: asyncio.Queue(arg),
    'lifoQueue': lambda arg: asyncio.LifoQueue(arg),
    'priorityQueue': lambda arg: asyncio.PriorityQueue(arg),
    'barrier': lambda arg: asyncio.Barrier(arg),
}


class Now:
    """A non-blocking call's result, as sync_op takes it (anything else is awaited)."""
    def __init__(self, value):
        self.value = value


async def sync_op(ctx, frame, kind, name, act):
    sync = ctx.syncs.get(name)
    if sync is None:
        emit(ctx, frame.label, kind, name, 'missing')
        return
    try:
        action = act(sync)
        value = action.value if isinstance(action, Now) else await action
        emit(ctx, frame.label, kind, name, {'ok': value})
    except BaseException as e:
        emit(ctx, frame.label, kind, name, {'err': error_string(e)})
        if not isinstance(e, Exception):
            raise


@op('newSync')
async def op_new_sync(ctx, frame, o):
    if isinstance(o['arg'], str):  # a condition on a lock made before
        ctx.syncs[o['name']] = asyncio.Condition(ctx.syncs.get(o['arg']))
    else:
        ctx.syncs[o['name']] = SYNC_KINDS[o['kind']](o['arg'])
    emit(ctx, frame.label, 'newSync', o['name'])


@op('hold')
async def op_hold(ctx, frame, o):
    sync = ctx.syncs.get(o['sync'])
    if sync is None:
        emit(ctx, frame.label, 'hold', o['sync'], 'missing')
        return
    try:
        if o['form'] == 'with':
            async with asyncio.timeout(o['ms']):
                async with sync:
                    emit(ctx, frame.label, 'acquired', o['sync'])
                    status = await run_body(ctx, frame, o['body'])
        else:
            await asyncio.wait_for(sync.acquire(), o['ms'])
            emit(ctx, frame.label, 'acquired', o['sync'])
            try:
                status = await run_body(ctx, frame, o['body'])
            finally:
                sync.release()
    except BaseException as e:
        emit(ctx, frame.label, 'hold', o['sync'], {'err': error_string(e)})
        if not isinstance(e, Exception):
            raise
        return None
    emit(ctx, frame.label, 'hold', o['sync'], 'released')
    cancel_after(ctx, frame, o.get('thenCancel'))
    return status


@op('eventWait')
async def op_event_wait(ctx, frame, o):
    await sync_op(ctx, frame, 'eventWait', o['sync'], lambda e: asyncio.wait_for(e.wait(), o['ms']))


@op('eventSet')
async def op_event_set(ctx, frame, o):
    def act(e):
        if o['clear']:
            e.clear()
        else:
            e.set()
        return Now(e.is_set())
    await sync_op(ctx, frame, 'eventClear' if o['clear'] else 'eventSet', o['sync'], act)


@op('condWait')
async def op_cond_wait(ctx, frame, o):
    await sync_op(ctx, frame, 'condWait', o['sync'], lambda c: asyncio.wait_for(c.wait(), o['ms']))


@op('condWaitFor')
async def op_cond_wait_for(ctx, frame, o):
    def reached():
        return ctx.notified.get(o['sync'], 0) >= o['target']
    await sync_op(ctx, frame, 'condWaitFor', o['sync'], lambda c: asyncio.wait_for(c.wait_for(reached), o['ms']))


@op('condNotify')
async def op_cond_notify(ctx, frame, o):
    def act(c):
        ctx.notified[o['sync']] = ctx.notified.get(o['sync'], 0) + 1
        if o['n'] is None:
            c.notify_all()
        else:
            c.notify(o['n'])
        return Now(None)
    await sync_op(ctx, frame, 'condNotify', o['sync'], act)


QUEUE_ACTIONS = {
    'put': lambda q, o: asyncio.wait_for(q.put(o['item']), o['ms']),
    'get': lambda q, o: asyncio.wait_for(q.get(), o['ms']),
    'join': lambda q, o: asyncio.wait_for(q.join(), o['ms']),
    'putNowait': lambda q, o: Now(q.put_nowait(o['item'])),
    'getNowait': lambda q, o: Now(q.get_nowait()),
    'taskDone': lambda q, o: Now(q.task_done()),
    'shutdown': lambda q, o: Now(q.shutdown(o['immediate'])),
}


def cancel_after(ctx, frame, target):
    if target is not None:
        emit(ctx, frame.label, 'cancel', target, do_cancel(ctx.tasks.get(target), None))


@op('queueOp')
async def op_queue(ctx, frame, o):
    await sync_op(ctx, frame, f"queue.{o['action']}", o['sync'], lambda q: QUEUE_ACTIONS[o['action']](q, o))
    cancel_after(ctx, frame, o.get('thenCancel'))


BARRIER_ACTIONS = {
    'wait': lambda b, o: asyncio.wait_for(b.wait(), o['ms']),
    'reset': lambda b, o: b.reset(),
    'abort': lambda b, o: b.abort(),
}


@op('barrierOp')
async def op_barrier(ctx, frame, o):
    await sync_op(ctx, frame, f"barrier.{o['action']}", o['sync'], lambda b: BARRIER_ACTIONS[o['action']](b, o))


@op('syncState')
async def op_sync_state(ctx, frame, o):
    def act(s):
        if isinstance(s, asyncio.Queue):
            return Now([s.qsize(), s.empty(), s.full()])
        if isinstance(s, asyncio.Event):
            return Now(s.is_set())
        if isinstance(s, asyncio.Barrier):
            return Now([s.n_waiting, s.broken])
        return Now(s.locked())
    await sync_op(ctx, frame, 'syncState', o['sync'], act)


# ---------------------------------------------------------------------------------------------

def future_state(task):
    if not task.done():
        return 'pending'
    if task.cancelled():
        return 'cancelled'
    e = task.exception()
    return f'err:{error_string(e)}' if e is not None else 'ok:' + json.dumps(plain(task.result()), separators=(',', ':'))


def plain(value):
    """A result as JSON can say it: errors (in a gather's results) as {err}."""
    if isinstance(value, list):
        return [{'err': error_string(v)} if isinstance(v, BaseException) else plain(v) for v in value]
    return value


def report_kind(message):
    if 'shutdown' in message:
        return 'shutdown'
    if 'never retrieved' in message or 'destroyed but it is pending' in message:
        return None
    return 'other'


def interpret(program):
    ctx = Ctx()

    def handler(loop, context):
        kind = report_kind(context.get('message', ''))
        if kind is None or ctx.loop is None:
            return
        task = context.get('task')
        label = ctx.labels.get(task, '?') if task is not None else None
        emit(ctx, 'loop', 'report', kind, label, error_string(context.get('exception')))

    def factory():
        loop = VirtualLoop()
        loop.set_exception_handler(handler)
        ctx.loop = loop
        return loop

    try:
        with asyncio.Runner(loop_factory=factory) as runner:
            result = outcome(runner.run(main_body(ctx, program)))
    except Deadlock:
        raise
    except BaseException as e:
        result = {'err': error_string(e)}
    ctx.loop = None  # late garbage-collector reports are not traced
    trace = ctx.trace
    trace.append(['end', 'run', result])
    for label, task in ctx.tasks.items():
        trace.append(['end', label, future_state(task)])
    return trace


def main():
    programs = json.load(sys.stdin)
    out = sys.stdout
    for program in programs:
        try:
            line = json.dumps({'trace': interpret(program)}, separators=(',', ':'))
        except BaseException as e:  # the interpreter itself failed: say so, go on
            line = json.dumps({'crash': f'{type(e).__name__}: {e}'})
        out.write(line + '\n')
    out.flush()


if __name__ == '__main__':
    main()
