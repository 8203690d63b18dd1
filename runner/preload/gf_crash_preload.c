/* gf_crash_preload.c - libgcfuzz_crash.so, preloaded into release-build
 * workers (LD_PRELOAD; never with ASan, which has its own report).
 *
 * A release build that crashes leaves only a signal: no frames, no bucket
 * but `signal:SIGSEGV`. This library installs a handler for the fatal
 * signals that writes the crashing thread's stack to stderr, one frame per
 * line, as module and offset (and the nearest exported symbol, a hint):
 *
 *   ==gcfuzz-crash== SIGSEGV
 *       #0 0x7f1c2a3b4c5d (/path/addon.node+0x1c5d) addon_init
 *   ==gcfuzz-crash== end KEY
 *
 * then lets the signal kill the process as before. KEY is the worker's
 * GCFUZZ_CRASH_KEY (gf_worker.c makes one per process): the daemon reads
 * only a report that ends with it, so lines the program itself writes
 * (console.error of a forged report) never name a file it opens. The key
 * is taken from the environment and wiped from it before Node starts
 * (process.env and /proc/self/environ do not show it); only a process
 * that is Node takes it, so the `gcfuzz __worker` wrapper passes it on. The daemon symbolizes
 * each frame from the module's ELF symbol table (static functions
 * included) and demangles it (gf_native.h).
 *
 * Node resets every signal's disposition at startup and then installs its
 * own SIGSEGV handler (WebAssembly traps) without chaining to what was
 * there, so a handler installed once would be gone. sigaction() is
 * interposed instead (and signal(), which glibc does not route through
 * it): for the fatal signals ours stays installed and what the program
 * asked for is kept as "theirs". On a fault, a WebAssembly trap is V8's
 * (asked first, no report); then their handler runs, if they have one,
 * exactly as without us: a program that handles its own faults (an
 * mprotect fix-up that returns, a siglongjmp out) is not a crash, and
 * nothing of ours is left set when it recovers. Only when the signal's
 * disposition is the default (Node's own handler resets it so and returns,
 * and the fault comes again) is the report written and the process
 * killed. Every thread gets an alternate signal stack (pthread_create is
 * interposed too), so a stack overflow in a pool thread is reported.
 * Only async-signal-safe calls in the handler: backtrace() is called once
 * in the constructor so that its unwinder is loaded before any crash.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAX_FRAMES 64

static const int fatal[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
static char altstack[64 * 1024];

typedef int (*sigaction_fn)(int, const struct sigaction *, struct sigaction *);
typedef int (*wasm_trap_fn)(int, siginfo_t *, void *);
static sigaction_fn real_sigaction;
static wasm_trap_fn v8_wasm_trap; /* v8::TryHandleWebAssemblyTrapPosix, when node has it */
static struct sigaction theirs[NSIG];

static int is_fatal(int sig) {
  for (size_t i = 0; i < sizeof fatal / sizeof *fatal; i++)
    if (fatal[i] == sig) return 1;
  return 0;
}

static void put(const char *s) {
  ssize_t rc = write(2, s, strlen(s));
  (void)rc;
}

static void put_hex(unsigned long v) {
  char buf[2 + 16 + 1], *p = buf + sizeof buf - 1;
  *p = '\0';
  do {
    *--p = "0123456789abcdef"[v & 15];
    v >>= 4;
  } while (v);
  *--p = 'x';
  *--p = '0';
  put(p);
}

static void put_dec(unsigned v) {
  char buf[12], *p = buf + sizeof buf - 1;
  *p = '\0';
  do {
    *--p = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  put(p);
}

static const char *signal_name(int sig) {
  switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGILL: return "SIGILL";
    case SIGFPE: return "SIGFPE";
    default: return "SIGABRT";
  }
}

static volatile int reporting; /* one report per process */
static char key[64];           /* GCFUZZ_CRASH_KEY, "" when none */

/* Their handler, as the kernel would have run it; 0 if they have none. */
static int run_theirs(int sig, siginfo_t *info, void *uctx) {
  struct sigaction *t = &theirs[sig];
  if ((t->sa_flags & SA_SIGINFO) && t->sa_sigaction) {
    void (*fn)(int, siginfo_t *, void *) = t->sa_sigaction;
    if (t->sa_flags & SA_RESETHAND) t->sa_handler = SIG_DFL;
    fn(sig, info, uctx);
    return 1;
  }
  if (!(t->sa_flags & SA_SIGINFO) && t->sa_handler != SIG_DFL && t->sa_handler != SIG_IGN && t->sa_handler) {
    void (*fn)(int) = t->sa_handler;
    if (t->sa_flags & SA_RESETHAND) t->sa_handler = SIG_DFL;
    fn(sig);
    return 1;
  }
  return 0;
}

static void on_fatal(int sig, siginfo_t *info, void *uctx) {
  if ((sig == SIGSEGV || sig == SIGBUS) && v8_wasm_trap && v8_wasm_trap(sig, info, uctx))
    return; /* a WebAssembly bounds check: V8 handled it, nothing crashed */
  /* Theirs first: it may recover (return after a fix-up, or jump out). A
   * handler that gives up resets the disposition and returns, and the
   * fault comes back here with no handler left: then it is a crash. (After
   * a SIGABRT handler abort() kills with no second chance: report now.) */
  if (run_theirs(sig, info, uctx) && sig != SIGABRT) return;
  /* Several pool threads often fault at once (one freed input each): the
   * first writes its report, the others wait here for the process to die. */
  if (__atomic_exchange_n(&reporting, 1, __ATOMIC_SEQ_CST))
    for (;;) pause();
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  void *pc[MAX_FRAMES];
  int n = backtrace(pc, MAX_FRAMES);
  put("==gcfuzz-crash== ");
  put(signal_name(sig));
  put("\n");
  for (int i = 0; i < n; i++) {
    Dl_info d;
    put("    #");
    put_dec((unsigned)i);
    put(" ");
    put_hex((unsigned long)pc[i]);
    if (dladdr(pc[i], &d) && d.dli_fname) {
      put(" (");
      put(d.dli_fname);
      put("+");
      put_hex((unsigned long)pc[i] - (unsigned long)d.dli_fbase);
      put(") ");
      put(d.dli_sname ? d.dli_sname : "?");
    }
    put("\n");
  }
  put("==gcfuzz-crash== end");
  if (key[0]) {
    put(" ");
    put(key);
  }
  put("\n");
  real_sigaction(sig, &dfl, NULL);
  /* Returning re-runs the faulting instruction (now fatal); abort() raises
   * again by itself; a signal sent by kill() needs raising. */
  if (sig == SIGABRT || (info && info->si_code <= 0)) raise(sig);
}

static void install_ours(int sig) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_fatal;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  real_sigaction(sig, &sa, NULL);
}

/* The interposed sigaction: the fatal signals keep our handler; the
 * program's wish is kept (and reported back) as theirs. */
int sigaction(int sig, const struct sigaction *act, struct sigaction *old) {
  if (real_sigaction == NULL) real_sigaction = (sigaction_fn)dlsym(RTLD_NEXT, "sigaction");
  if (sig <= 0 || sig >= NSIG || !is_fatal(sig)) return real_sigaction(sig, act, old);
  if (old) *old = theirs[sig];
  if (act) theirs[sig] = *act;
  return 0;
}

/* signal() for a fatal signal: kept as theirs, like sigaction(). */
sighandler_t signal(int sig, sighandler_t handler) {
  if (real_sigaction == NULL) real_sigaction = (sigaction_fn)dlsym(RTLD_NEXT, "sigaction");
  if (sig <= 0 || sig >= NSIG || !is_fatal(sig)) {
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    return real_sigaction(sig, &sa, &old) == 0 ? old.sa_handler : SIG_ERR;
  }
  sighandler_t old = (theirs[sig].sa_flags & SA_SIGINFO) ? SIG_DFL : theirs[sig].sa_handler;
  memset(&theirs[sig], 0, sizeof theirs[sig]);
  theirs[sig].sa_handler = handler;
  theirs[sig].sa_flags = SA_RESTART;
  return old;
}

/* Each thread its own alternate stack, so that a stack overflow still
 * reaches the handler: threads start through here. A thread that ends by
 * pthread_exit() leaves its 64 KiB mapped. */
typedef int (*pthread_create_fn)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
struct start { void *(*fn)(void *); void *arg; };

static void *start_with_altstack(void *p) {
  struct start st = *(struct start *)p;
  free(p);
  size_t size = 64 * 1024;
  void *mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem != MAP_FAILED) {
    stack_t ss = {.ss_sp = mem, .ss_size = size, .ss_flags = 0};
    sigaltstack(&ss, NULL);
  }
  void *ret = st.fn(st.arg);
  if (mem != MAP_FAILED) {
    stack_t off = {.ss_flags = SS_DISABLE};
    sigaltstack(&off, NULL);
    munmap(mem, size);
  }
  return ret;
}

int pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg) {
  static pthread_create_fn real;
  if (real == NULL) real = (pthread_create_fn)dlsym(RTLD_NEXT, "pthread_create");
  struct start *st = malloc(sizeof *st);
  if (st == NULL) return real(t, attr, fn, arg);
  st->fn = fn;
  st->arg = arg;
  int rc = real(t, attr, start_with_altstack, st);
  if (rc != 0) free(st);
  return rc;
}

/* The key into ours, wiped in place (the bytes /proc/self/environ shows)
 * and unset: a Node process's JavaScript must not learn it. A process that
 * is not Node (no N-API: gcfuzz's __worker wrapper) leaves it for the one
 * it starts. */
static void take_key(void) {
  char *v = getenv("GCFUZZ_CRASH_KEY");
  if (v == NULL || dlsym(RTLD_DEFAULT, "napi_create_object") == NULL) return;
  size_t n = strlen(v);
  if (n < sizeof key) memcpy(key, v, n + 1);
  memset(v, 0, n);
  unsetenv("GCFUZZ_CRASH_KEY");
}

__attribute__((constructor)) static void install(void) {
  void *warm[2];
  backtrace(warm, 2); /* loads the unwinder now, not inside the handler */
  if (real_sigaction == NULL) real_sigaction = (sigaction_fn)dlsym(RTLD_NEXT, "sigaction");
  v8_wasm_trap = (wasm_trap_fn)dlsym(RTLD_DEFAULT, "_ZN2v828TryHandleWebAssemblyTrapPosixEiP9siginfo_tPv");
  take_key();
  stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
  sigaltstack(&ss, NULL);
  for (size_t i = 0; i < sizeof fatal / sizeof *fatal; i++) {
    real_sigaction(fatal[i], NULL, &theirs[fatal[i]]);
    install_ours(fatal[i]);
  }
}
