# The context-variable scenarios of spec/context/cpython.spec.ts, on CPython's asyncio: prints
# one JSON object, scenario name -> result. Times are in seconds here, milliseconds in genloop.
import asyncio
import contextvars
import json

cv = contextvars.ContextVar("cv", default="-")


async def callbacks():
    out = []
    loop = asyncio.get_running_loop()
    cv.set("a")
    loop.call_soon(lambda: out.append(["soon", cv.get()]))
    loop.call_later(0.001, lambda: out.append(["later", cv.get()]))
    loop.call_at(loop.time() + 0.001, lambda: out.append(["at", cv.get()]))
    given = contextvars.Context()
    loop.call_soon(lambda tag: out.append([tag, cv.get()]), "given", context=given)

    def setter():
        cv.set("from-cb")
        out.append(["cb-set", cv.get()])

    loop.call_soon(setter)
    loop.call_soon(lambda: cv.set("into-task"), context=asyncio.current_task().get_context())
    loop.call_soon_threadsafe(lambda: out.append(["threadsafe", cv.get()]), context=given)
    cv.set("b")
    await asyncio.sleep(0.01)
    out.append(["task after", cv.get()])
    out.append(["given size", len(given)])
    return out


async def done_callbacks():
    out = []
    loop = asyncio.get_running_loop()
    given = contextvars.Context()
    f = loop.create_future()
    cv.set("c")
    f.add_done_callback(lambda _: out.append(["done", cv.get()]))
    f.add_done_callback(lambda _: out.append(["done-given", cv.get()]), context=given)
    f.add_done_callback(lambda _: cv.set("set by done callback"), context=asyncio.current_task().get_context())
    cv.set("d")
    f.set_result(1)
    await asyncio.sleep(0)
    f.add_done_callback(lambda _: out.append(["late", cv.get()]))
    await asyncio.sleep(0)
    out.append(["task after", cv.get()])
    return out


async def child(name):
    seen = cv.get()
    cv.set(name)
    await asyncio.sleep(0)
    return [seen, cv.get()]


async def set_it(value):
    cv.set(value)
    return cv.get()


async def composition():
    out = []
    cv.set("e")
    out.append(["gather", await asyncio.gather(child("x"), child("y")), cv.get()])
    out.append(["wait_for", await asyncio.wait_for(set_it("wf"), 1), cv.get()])
    cv.set("f")
    out.append(["shield", await asyncio.shield(set_it("sh")), cv.get()])
    async with asyncio.timeout(1):
        cv.set("in-timeout")
    out.append(["timeout", cv.get()])
    cv.set("g")
    async with asyncio.TaskGroup() as tg:
        t = tg.create_task(child("tg"))
        cv.set("body")
    out.append(["task group", t.result(), cv.get()])
    task = asyncio.ensure_future(child("ensured"))
    cv.set("h")
    out.append(["ensure_future", await task, cv.get()])
    return out


async def given_contexts():
    out = []
    ctx = contextvars.copy_context()
    cv.set("i")
    await asyncio.create_task(set_it("given"), context=ctx)
    out.append(["given", ctx.get(cv), cv.get()])
    await asyncio.create_task(set_it("shared"), context=asyncio.current_task().get_context())
    out.append(["shared", cv.get()])
    t1 = asyncio.create_task(child("one"), context=ctx)
    t2 = asyncio.create_task(child("two"), context=ctx)
    out.append(["two tasks, one context", await t1, await t2, ctx.get(cv)])
    return out


def entered():
    out = []
    loop = asyncio.new_event_loop()
    # (asyncio 3.12+ calls the exception handler inside the failed handle's context, which fails
    # again here; genloop calls it normally: spec/context/tasks.spec.ts checks the report.)
    loop.set_exception_handler(lambda _loop, _context: None)
    ctx = contextvars.Context()

    async def body():
        out.append("ran")

    t = loop.create_task(body(), context=ctx)
    ctx.run(lambda: (loop.call_soon(loop.stop), loop.run_forever()))
    out.append(["done after entered step", t.done()])
    t2 = loop.create_task(body(), context=ctx)
    loop.run_until_complete(t2)
    out.append(["done when not entered", t2.done()])
    t.cancel()
    loop.call_soon(loop.stop)
    loop.run_forever()
    loop.close()
    return out


results = {}
for name, fn in [("callbacks", callbacks), ("doneCallbacks", done_callbacks), ("composition", composition), ("givenContexts", given_contexts)]:
    results[name] = asyncio.run(fn())
results["entered"] = entered()
print(json.dumps(results))
