// Preloaded into WebKitGTK's processes by drivers.mjs: every signal handler they install runs with errno saved
// and restored around it, as POSIX asks of handlers. JavaScriptCore's handler that suspends a thread for the
// garbage collector returns from sigsuspend() with errno left at EINTR; GLib's setuid check, interrupted so, reads
// that as getauxval() failing and aborts the web process ("GLib-ERROR **: getauxval () failed: Interrupted system
// call", then "WebProcess CRASHED"), at random, a few times in a hundred page loads.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>

static struct sigaction installed[NSIG];

static void keeping_errno(int signal, siginfo_t *info, void *context) {
  int saved = errno;
  const struct sigaction *handler = &installed[signal];
  if (handler->sa_flags & SA_SIGINFO) {
    handler->sa_sigaction(signal, info, context);
  } else if (handler->sa_handler != SIG_IGN && handler->sa_handler != SIG_DFL) {
    handler->sa_handler(signal);
  }
  errno = saved;
}

int sigaction(int signal, const struct sigaction *action, struct sigaction *old) {
  static int (*next)(int, const struct sigaction *, struct sigaction *);
  if (!next) next = (int (*)(int, const struct sigaction *, struct sigaction *))dlsym(RTLD_NEXT, "sigaction");
  if (signal <= 0 || signal >= NSIG) return next(signal, action, old);
  struct sigaction before = installed[signal];
  struct sigaction wrapped;
  const struct sigaction *given = action;
  if (action && action->sa_handler != SIG_IGN && action->sa_handler != SIG_DFL) {
    // Known before the trampoline is in place: a signal may come at once.
    installed[signal] = *action;
    wrapped = *action;
    wrapped.sa_flags |= SA_SIGINFO;
    wrapped.sa_sigaction = keeping_errno;
    given = &wrapped;
  }
  int result = next(signal, given, old);
  if (result != 0) installed[signal] = before;
  // The handler asked for before is the one the program installed, not the trampoline.
  if (result == 0 && old && old->sa_sigaction == keeping_errno) *old = before;
  return result;
}
