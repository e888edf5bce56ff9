/* repl.c — the clove program: command line, script runner and the listener, with GNU
 * readline on a terminal. It is an embedder like any other: it uses only include/clove.h. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "include/clove.h"

static CloveVM *the_vm;
static volatile sig_atomic_t in_readline;
static volatile sig_atomic_t abandon; /* Ctrl-C interrupted a continuation line */
static char *continued_text; /* the form's earlier lines while the line being edited continues it, else NULL */

/* Ctrl-C stops running Lisp code; at the prompt it abandons the line being typed. There
 * readline has caught the signal, restored the terminal and resent it to us from its own
 * code, so its functions may be called. */
static void on_sigint(int sig) {
  (void)sig;
  if (in_readline) {
    rl_replace_line("", 0);
    if (continued_text) {
      /* Ctrl-C on a continuation line: the whole form goes, and a fresh prompt comes
       * (read_key ends the line, which moves to the next). */
      abandon = 1;
      return;
    }
    rl_crlf();
    rl_on_new_line();
    rl_redisplay();
    return;
  }
  if (the_vm) clove_interrupt(the_vm);
}

/* readline's own rl_getc reads again after a signal; this one ends the line when Ctrl-C
 * abandoned the form being continued. */
static int read_key(FILE *in) {
  for (;;) {
    if (abandon) return '\n';
    unsigned char c;
    ssize_t r = read(fileno(in), &c, 1);
    if (r == 1) return c;
    if (r == 0) return EOF;
    if (errno != EINTR) return RL_ISSTATE(RL_STATE_READCMD) ? READERR : EOF;
    rl_check_signals(); /* runs on_sigint for a Ctrl-C readline caught */
  }
}

/* (quit) in a background process may end the program while readline has the terminal
 * in raw mode. */
static void restore_terminal(void) {
  if (in_readline) rl_deprep_terminal();
}

#define HISTORY_SIZE 1000
static char history_path[4096];

/* The lines of the form being typed, joined by newlines: one history entry, and what Tab
 * completion reads to know which call a keyword is an argument of. */
static char *form_text;

/* Whether text leaves a list, string, |symbol| or #| comment open, read as Lisp does. */
static bool form_open(const char *text) {
  int depth = 0;
  for (const char *p = text; *p; p++) {
    switch (*p) {
    case '(': depth++; break;
    case ')':
      if (depth > 0) depth--;
      break;
    case ';':
      while (p[1] && p[1] != '\n') p++;
      break;
    case '\\':
      if (!*++p) return false;
      break;
    case '"':
    case '|': {
      char close = *p;
      for (p++; *p != close; p++) {
        if (!*p) return true;
        if (*p == '\\' && !*++p) return true;
      }
      break;
    }
    case '#':
      if (p[1] == '\\') {
        p += 2; /* #\( is a character */
        if (!*p) return false;
      } else if (p[1] == '|') {
        int nest = 1;
        for (p += 2; nest > 0; p++) {
          if (!*p) return true;
          if (p[0] == '#' && p[1] == '|') nest++, p++;
          else if (p[0] == '|' && p[1] == '#') nest--, p++;
        }
        p--;
      }
      break;
    default: break;
    }
  }
  return depth > 0;
}

static bool blank(const char *s) { return s[strspn(s, " \t\r\n")] == 0; }

/* Puts the form typed in the history as one entry, unless it is blank or equal to the
 * entry before it. */
static void remember(void) {
  if (!form_text || blank(form_text)) return;
  HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
  if (!last || strcmp(last->line, form_text) != 0) add_history(form_text);
}

/* The listener's line reader (clove_set_line_reader). A line continues the form before
 * it when the listener shows no prompt and that form is still open; otherwise (a prompt,
 * or a line a program reads) it starts a new one. A form goes in the history once it is
 * complete, or when the next one starts without it being so (after a reader error). */
static char *read_line(const char *prompt, void *data) {
  (void)data;
  bool continued = form_text && !*prompt && form_open(form_text);
  if (form_text && !continued && form_open(form_text)) remember();
  continued_text = continued ? form_text : NULL;
  in_readline = 1;
  char *line = readline(prompt);
  in_readline = 0;
  continued_text = NULL;
  if (abandon) {
    abandon = 0;
    free(form_text);
    form_text = NULL;
    clove_abandon_form(the_vm);
    return line ? line : strdup("");
  }
  if (!line) {
    if (form_text && form_open(form_text)) remember();
    free(form_text);
    form_text = NULL;
    return NULL;
  }
  size_t old = continued ? strlen(form_text) : 0, n = strlen(line);
  char *text = malloc(old + n + 2);
  if (text) {
    if (continued) {
      memcpy(text, form_text, old);
      text[old++] = '\n';
    }
    memcpy(text + old, line, n + 1);
    free(form_text);
    form_text = text;
    if (!form_open(form_text)) remember();
  }
  return line;
}

/* Tab: what clove_complete_in offers for the word before the cursor, in the light of the
 * form typed before it (this line's start and the form's earlier lines); never file names. */
static char **completions;
static size_t completion_next;
static int completion_start; /* where in rl_line_buffer the word starts */

static char *next_completion(const char *text, int state) {
  if (state == 0) {
    if (completions) {
      for (size_t k = completion_next; completions[k]; k++) free(completions[k]);
      free(completions);
    }
    size_t old = continued_text ? strlen(continued_text) + 1 : 0, n = (size_t)completion_start;
    char *before = malloc(old + n + 1);
    if (before) {
      if (continued_text) {
        memcpy(before, continued_text, old - 1);
        before[old - 1] = '\n';
      }
      memcpy(before + old, rl_line_buffer, n);
      before[old + n] = 0;
    }
    completions = clove_complete_in(the_vm, text, before);
    free(before);
    completion_next = 0;
  }
  if (!completions || !completions[completion_next]) return NULL;
  return completions[completion_next++]; /* readline frees it */
}

static char **attempt_completion(const char *text, int start, int end) {
  (void)end;
  completion_start = start;
  rl_attempted_completion_over = 1;
  return rl_completion_matches(text, next_completion);
}

/* Each history entry is a whole form, so an entry may span lines: the file marks where
 * each begins with a time stamp line, a ";" comment to a Lisp eye. */
static void start_history(void) {
  using_history();
  stifle_history(HISTORY_SIZE);
  history_comment_char = ';';
  history_write_timestamps = 1;
  const char *home = getenv("HOME");
  if (!home || !*home) return;
  snprintf(history_path, sizeof history_path, "%s/.clove_history", home);
  read_history(history_path);
  /* Entries from a file without time stamps get one, else they would be written without
   * and read back as lines of the entry before. */
  HIST_ENTRY **list = history_list();
  char stamp[32];
  snprintf(stamp, sizeof stamp, ";%lu", (unsigned long)time(NULL));
  for (int i = 0; list && list[i]; i++) {
    if (list[i]->timestamp && list[i]->timestamp[0]) continue;
    char *t = strdup(stamp);
    if (!t) break;
    free(list[i]->timestamp);
    list[i]->timestamp = t;
  }
}

static void start_line_editing(CloveVM *vm) {
  rl_readline_name = "clove";
  rl_variable_bind("blink-matching-paren", "on");
  /* Off, Ctrl-D leaves the cursor after the prompt (readline ends bracketed paste with a
   * carriage return and a newline), as the listener expects; pasted lines are read one by one. */
  rl_variable_bind("enable-bracketed-paste", "off");
  rl_basic_word_break_characters = " \t\n()'\"`,;";
  rl_completer_word_break_characters = rl_basic_word_break_characters;
  rl_attempted_completion_function = attempt_completion;
  rl_getc_function = read_key;
  start_history();
  clove_set_line_reader(vm, read_line, NULL);
}

static void end_line_editing(void) {
  if (history_path[0]) write_history(history_path);
  free(form_text);
  form_text = NULL;
}

static void usage(FILE *out) {
  fprintf(out,
          "Usage: clove [OPTION]... [FILE [ARG]...]\n"
          "Run FILE as a Lisp script, or start the listener when there is no FILE and no -e.\n"
          "\n"
          "  -e, --eval FORM   evaluate FORM (may be repeated; processed in order with -l)\n"
          "  -l, --load FILE   load FILE (may be repeated)\n"
          "  -n, --no-init     do not load ~/.clove-init.lisp\n"
          "  -Q, --quiet       do not print the banner\n"
          "  -b, --batch       exit with status 1 on an unhandled error instead of entering the break loop\n"
          "  -V, --version     print the version and exit\n"
          "  -h, --help        print this help and exit\n");
}

/* An unhandled error: message and backtrace, as CCL prints them. */
static void report_error(CloveVM *vm, FILE *out) {
  const char *bt = clove_error_backtrace(vm);
  /* Continuation lines are indented under the message, as CCL does. */
  fputs("> Error: ", out);
  for (const char *p = clove_error_text(vm); *p; p++) {
    fputc(*p, out);
    if (*p == '\n') fputs(">        ", out);
  }
  fputc('\n', out);
  /* "While executing" names the function that signalled, not the signalling machinery. */
  const char *who = bt;
  static const char *const machinery[] = {"ERROR", "CERROR", "SIGNAL", "WARN", NULL};
  for (;;) {
    size_t len = strcspn(who, "\n");
    bool skip = false;
    for (int k = 0; machinery[k]; k++)
      if (len == strlen(machinery[k]) && strncmp(who, machinery[k], len) == 0) skip = true;
    if (!skip || who[len] == 0) break;
    who += len + 1;
  }
  size_t first = strcspn(who, "\n");
  if (first > 0) fprintf(out, "> While executing: %.*s, in process listener(1).\n", (int)first, who);
  if (*clove_error_location(vm)) fprintf(out, "> While loading the form at %s\n", clove_error_location(vm));
  if (*bt) {
    fprintf(out, "Backtrace:\n");
    int i = 0;
    for (const char *p = bt; *p;) {
      size_t n = strcspn(p, "\n");
      fprintf(out, "  %d: %.*s\n", i++, (int)n, p);
      p += n;
      if (*p) p++;
    }
  }
  fflush(out);
}

typedef struct Action {
  char kind; /* 'e' eval, 'l' load */
  const char *arg;
} Action;

static int finish(CloveVM *vm, int status) {
  clove_close(vm);
  return status;
}

static int read_eval_print_loop(CloveVM *vm, int batch) {
  for (;;) {
    CloveStatus st = clove_read_eval_print(vm);
    if (st == CLOVE_EOF) {
      if (isatty(0)) fputs("\n", stdout); /* Ctrl-D: the shell's prompt on a line of its own */
      return 0;
    }
    if (st == CLOVE_EXIT) return clove_exit_code(vm);
    if (st == CLOVE_ERROR && batch) return 1; /* the listener has reported it */
  }
}

static int run_listener(CloveVM *vm, int batch, int quiet) {
  clove_set_batch(vm, batch);
  clove_set_prompt(vm, !(batch && quiet));
  if (!isatty(0)) return read_eval_print_loop(vm, batch);
  start_line_editing(vm);
  int status = read_eval_print_loop(vm, batch);
  end_line_editing();
  return status;
}

int main(int argc, char **argv) {
  Action *actions = calloc((size_t)argc + 1, sizeof(Action));
  int nactions = 0, no_init = 0, quiet = 0, batch = 0;
  const char *script = NULL;
  int i = 1;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-e") || !strcmp(a, "--eval") || !strcmp(a, "-l") || !strcmp(a, "--load")) {
      if (i + 1 >= argc) {
        fprintf(stderr, "clove: option %s needs an argument\n", a);
        usage(stderr);
        return 2;
      }
      actions[nactions].kind = a[1] == 'e' || a[2] == 'e' ? 'e' : 'l';
      actions[nactions++].arg = argv[++i];
    } else if (!strcmp(a, "-n") || !strcmp(a, "--no-init")) {
      no_init = 1;
    } else if (!strcmp(a, "-Q") || !strcmp(a, "--quiet")) {
      quiet = 1;
    } else if (!strcmp(a, "-b") || !strcmp(a, "--batch")) {
      batch = 1;
    } else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
      printf("Clove Version %s\n", CLOVE_VERSION);
      return 0;
    } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      usage(stdout);
      return 0;
    } else if (!strcmp(a, "--")) {
      i++;
      break;
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "clove: unknown option %s\n", a);
      usage(stderr);
      return 2;
    } else {
      break;
    }
  }
  if (i < argc) script = argv[i];

  signal(SIGPIPE, SIG_IGN);
  /* Deep recursion is Lisp's business: let the main thread's stack grow to 64 MB (the
   * kernel keeps at least 128 MB free below it), so about 150,000 nested calls fit
   * before Clove signals a stack overflow. The library reads the limit when it opens. */
  struct rlimit rl;
  const rlim_t want = (rlim_t)64 << 20;
  if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want &&
      (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= want)) {
    rl.rlim_cur = want;
    setrlimit(RLIMIT_STACK, &rl);
  }
  CloveOptions opts = {argc, argv, no_init};
  CloveVM *vm = clove_open(&opts);
  if (!vm) return 1;
  the_vm = vm;
  signal(SIGINT, on_sigint);
  atexit(restore_terminal);

  for (int k = 0; k < nactions; k++) {
    CloveStatus st = actions[k].kind == 'e' ? clove_eval_string(vm, actions[k].arg, NULL)
                                            : clove_load_file(vm, actions[k].arg);
    if (st == CLOVE_EXIT) return finish(vm, clove_exit_code(vm));
    if (st == CLOVE_ERROR) {
      report_error(vm, stderr);
      return finish(vm, 1);
    }
  }
  free(actions);
  if (script) {
    CloveStatus st = clove_load_file(vm, script);
    if (st == CLOVE_EXIT) return finish(vm, clove_exit_code(vm));
    if (st == CLOVE_ERROR) {
      report_error(vm, stderr);
      return finish(vm, 1);
    }
    return finish(vm, 0);
  }
  if (nactions > 0) return finish(vm, 0);

  if (!no_init) {
    const char *home = getenv("HOME");
    if (home) {
      char path[4096];
      snprintf(path, sizeof path, "%s/.clove-init.lisp", home);
      if (access(path, R_OK) == 0 && clove_load_file(vm, path) == CLOVE_ERROR) {
        fprintf(stdout, ";; Error while loading %s:\n", path);
        report_error(vm, stdout);
      }
    }
  }
  if (!quiet) {
    printf("Welcome to Clove Version %s (a Clozure CL compatible Lisp)!\n", CLOVE_VERSION);
    fflush(stdout); /* the listener writes through its own stream */
  }
  return finish(vm, run_listener(vm, batch, quiet));
}
