/*
 * A native host that embeds genloop in JavaScriptCore through its C API.
 *
 * It loads genloop's ES2015 bundles and a game script (game.js), then runs its own 60 Hz frame
 * loop on virtual frames (no real sleeping): each frame it sets the game clock, completes the
 * fake asset loads that are due, and drives genloop with loop.nextDeadline() and loop.step()
 * until nothing is due or the frame's CPU budget is spent. It never runs the engine's job loop.
 * JavaScriptCore's execution time limit (JSContextGroupSetExecutionTimeLimit) stops a runaway
 * step; genloop.recoverInterruptedStep() then cancels the task that was running and the loop
 * goes on. At the end it prints per-frame genloop time (p50/p99) and the game's report.
 *
 *   host <genloop bundle.js>... <game.js> [frames]
 *
 * The bundles are either the whole API (dist/genloop.iife.min.js) or only the parts the game uses,
 * in order: the core, the features (the game sets an effect handler and an instrument) and the
 * hosts area (recoverInterruptedStep):
 *   host dist/genloop.core.iife.min.js dist/genloop.features.iife.min.js dist/genloop.hosts.iife.min.js game.js
 */
#include <JavaScriptCore/JavaScript.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* From JavaScriptCore's JSContextRefPrivate.h: exported by libjavascriptcoregtk, not in its headers. */
typedef bool (*JSShouldTerminateCallback)(JSContextRef ctx, void *context);
JS_EXPORT void JSContextGroupSetExecutionTimeLimit(JSContextGroupRef group, double limit, JSShouldTerminateCallback callback, void *context);

#define FRAME_MS (1000.0 / 60.0)
#define FRAME_BUDGET_MS 4.0   /* genloop's share of a frame */
#define STEP_LIMIT_S 0.25     /* one step running longer than this is stopped */
#define MAX_LOADS 4096

struct load {
  JSObjectRef resolve;
  JSStringRef name;
  long due_frame;
};

static struct load loads[MAX_LOADS];
static int load_count = 0;
static long frame = 0;

static double cpu_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1000.0 + t.tv_nsec / 1e6;
}

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    perror(path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *text = malloc(size + 1);
  if (fread(text, 1, size, f) != (size_t)size) {
    perror(path);
    exit(2);
  }
  text[size] = '\0';
  fclose(f);
  return text;
}

static void print_value(JSContextRef ctx, JSValueRef value, FILE *out) {
  JSStringRef s = JSValueToStringCopy(ctx, value, NULL);
  size_t max = JSStringGetMaximumUTF8CStringSize(s);
  char *buf = malloc(max);
  JSStringGetUTF8CString(s, buf, max);
  fprintf(out, "%s\n", buf);
  free(buf);
  JSStringRelease(s);
}

static void fail_on(JSContextRef ctx, JSValueRef exception, const char *what) {
  if (exception == NULL) return;
  fprintf(stderr, "%s failed: ", what);
  print_value(ctx, exception, stderr);
  exit(1);
}

static JSValueRef js_print(JSContextRef ctx, JSObjectRef fn, JSObjectRef self, size_t argc, const JSValueRef argv[], JSValueRef *exception) {
  if (argc > 0) print_value(ctx, argv[0], stdout);
  return JSValueMakeUndefined(ctx);
}

static JSValueRef js_cpu_ms(JSContextRef ctx, JSObjectRef fn, JSObjectRef self, size_t argc, const JSValueRef argv[], JSValueRef *exception) {
  return JSValueMakeNumber(ctx, cpu_ms());
}

/* hostStartLoad(name, frames, resolve): the host operation behind the game's custom effect. */
static JSValueRef js_start_load(JSContextRef ctx, JSObjectRef fn, JSObjectRef self, size_t argc, const JSValueRef argv[], JSValueRef *exception) {
  if (argc < 3 || !JSValueIsObject(ctx, argv[2]) || load_count == MAX_LOADS) {
    JSStringRef msg = JSStringCreateWithUTF8CString("hostStartLoad(name, frames, resolve): bad arguments or too many loads");
    *exception = JSValueMakeString(ctx, msg);
    JSStringRelease(msg);
    return JSValueMakeUndefined(ctx);
  }
  struct load *l = &loads[load_count++];
  l->name = JSValueToStringCopy(ctx, argv[0], NULL);
  l->due_frame = frame + (long)JSValueToNumber(ctx, argv[1], NULL);
  l->resolve = (JSObjectRef)argv[2];
  JSValueProtect(ctx, l->resolve);
  return JSValueMakeUndefined(ctx);
}

/* Completes the loads that are due this frame: resolve("data of <name>"). */
static void complete_loads(JSContextRef ctx) {
  int kept = 0;
  for (int i = 0; i < load_count; i++) {
    struct load *l = &loads[i];
    if (l->due_frame > frame) {
      loads[kept++] = *l;
      continue;
    }
    size_t max = JSStringGetMaximumUTF8CStringSize(l->name);
    char *name = malloc(max), *data = malloc(max + 16);
    JSStringGetUTF8CString(l->name, name, max);
    snprintf(data, max + 16, "data of %s", name);
    JSStringRef s = JSStringCreateWithUTF8CString(data);
    JSValueRef arg = JSValueMakeString(ctx, s);
    JSValueRef exception = NULL;
    JSObjectCallAsFunction(ctx, l->resolve, NULL, 1, &arg, &exception);
    fail_on(ctx, exception, "resolving an asset load");
    JSStringRelease(s);
    JSStringRelease(l->name);
    JSValueUnprotect(ctx, l->resolve);
    free(name);
    free(data);
  }
  load_count = kept;
}

static bool terminate_step(JSContextRef ctx, void *context) {
  return true; /* whatever ran past the limit is stopped */
}

static void define_function(JSGlobalContextRef ctx, const char *name, JSObjectCallAsFunctionCallback callback) {
  JSStringRef s = JSStringCreateWithUTF8CString(name);
  JSObjectSetProperty(ctx, JSContextGetGlobalObject(ctx), s, JSObjectMakeFunctionWithCallback(ctx, s, callback), kJSPropertyAttributeNone, NULL);
  JSStringRelease(s);
}

static JSValueRef property(JSContextRef ctx, JSObjectRef object, const char *name) {
  JSStringRef s = JSStringCreateWithUTF8CString(name);
  JSValueRef value = JSObjectGetProperty(ctx, object, s, NULL);
  JSStringRelease(s);
  return value;
}

static void evaluate(JSGlobalContextRef ctx, const char *path) {
  char *text = read_file(path);
  JSStringRef script = JSStringCreateWithUTF8CString(text);
  JSStringRef url = JSStringCreateWithUTF8CString(path);
  JSValueRef exception = NULL;
  JSEvaluateScript(ctx, script, NULL, url, 1, &exception);
  fail_on(ctx, exception, path);
  JSStringRelease(script);
  JSStringRelease(url);
  free(text);
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Whether an argument is a number of frames rather than a script. */
static int is_count(const char *arg) {
  if (*arg == '\0') return 0;
  for (; *arg != '\0'; arg++) {
    if (*arg < '0' || *arg > '9') return 0;
  }
  return 1;
}

int main(int argc, char **argv) {
  /* The scripts, in order (genloop's bundles, then the game), and an optional number of frames. */
  int scripts = argc - 1;
  long frames = 10000;
  if (scripts > 0 && is_count(argv[argc - 1])) {
    frames = atol(argv[argc - 1]);
    scripts--;
  }
  if (scripts < 2) {
    fprintf(stderr, "usage: %s <genloop bundle.js>... <game.js> [frames]\n", argv[0]);
    return 2;
  }

  JSContextGroupRef group = JSContextGroupCreate();
  JSGlobalContextRef ctx = JSGlobalContextCreateInGroup(group, NULL);
  define_function(ctx, "print", js_print);
  define_function(ctx, "hostCpuMs", js_cpu_ms);
  define_function(ctx, "hostStartLoad", js_start_load);
  for (int i = 1; i <= scripts; i++) evaluate(ctx, argv[i]);

  JSObjectRef game = JSValueToObject(ctx, property(ctx, JSContextGetGlobalObject(ctx), "game"), NULL);
  JSObjectRef loop = JSValueToObject(ctx, property(ctx, game, "loop"), NULL);
  JSObjectRef set_time = JSValueToObject(ctx, property(ctx, game, "setTime"), NULL);
  JSObjectRef recover = JSValueToObject(ctx, property(ctx, game, "recover"), NULL);
  JSObjectRef report = JSValueToObject(ctx, property(ctx, game, "report"), NULL);
  JSObjectRef step = JSValueToObject(ctx, property(ctx, loop, "step"), NULL);
  JSObjectRef next_deadline = JSValueToObject(ctx, property(ctx, loop, "nextDeadline"), NULL);

  /* From here on, every call into the engine is stopped once it runs longer than the limit. */
  JSContextGroupSetExecutionTimeLimit(group, STEP_LIMIT_S, terminate_step, NULL);

  double *frame_ms = malloc(sizeof(double) * frames);
  long steps = 0, over_budget = 0;
  for (frame = 0; frame < frames; frame++) {
    double now = frame * FRAME_MS;
    double start = cpu_ms();
    JSValueRef arg = JSValueMakeNumber(ctx, now);
    JSValueRef exception = NULL;
    JSObjectCallAsFunction(ctx, set_time, game, 1, &arg, &exception);
    fail_on(ctx, exception, "game.setTime");
    complete_loads(ctx);
    for (;;) {
      JSValueRef deadline = JSObjectCallAsFunction(ctx, next_deadline, loop, 0, NULL, &exception);
      fail_on(ctx, exception, "loop.nextDeadline");
      if (JSValueIsNull(ctx, deadline) || JSValueToNumber(ctx, deadline, NULL) > now) break;
      if (cpu_ms() - start >= FRAME_BUDGET_MS) {
        over_budget++; /* the rest waits for the next frame */
        break;
      }
      JSObjectCallAsFunction(ctx, step, loop, 0, NULL, &exception);
      steps++;
      if (exception != NULL) {
        /* A terminated step leaves the loop mid-step: genloop puts it back in order. */
        JSValueRef error = exception;
        exception = NULL;
        JSValueRef name = JSObjectCallAsFunction(ctx, recover, game, 0, NULL, &exception);
        fail_on(ctx, exception, "game.recover");
        if (JSValueIsNull(ctx, name)) fail_on(ctx, error, "loop.step");
        printf("frame %ld: the time limit stopped task ", frame);
        print_value(ctx, name, stdout);
      }
    }
    frame_ms[frame] = cpu_ms() - start;
  }

  qsort(frame_ms, frames, sizeof(double), compare_doubles);
  printf("frames: %ld (virtual, 60 Hz), loop steps: %ld, frames that hit the %.1f ms budget: %ld\n", frames, steps, FRAME_BUDGET_MS, over_budget);
  printf("per-frame genloop time: p50 %.3f ms, p99 %.3f ms, max %.3f ms\n", frame_ms[frames / 2], frame_ms[frames * 99 / 100], frame_ms[frames - 1]);
  JSValueRef exception = NULL;
  JSValueRef text = JSObjectCallAsFunction(ctx, report, game, 0, NULL, &exception);
  fail_on(ctx, exception, "game.report");
  print_value(ctx, text, stdout);

  free(frame_ms);
  JSGlobalContextRelease(ctx);
  JSContextGroupRelease(group);
  return 0;
}
