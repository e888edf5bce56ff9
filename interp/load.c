/* load.c — evaluating a stream of forms: LOAD of files, the embedded stdlib,
 * and strings; *package* and *load-pathname* are rebound around each load. */
#include <stdlib.h>
#include <unistd.h>

#include "control.h"
#include "stream.h"

/* Reads and evaluates every form of stream; returns the last value. */
static void restore_load_stream(Thread *th, void *saved) { th->load_stream = (Value)saved; }

Value load_stream(Thread *th, Value stream, bool print) {
  size_t top = th->dyn_top;
  DynEntry e = {.kind = DYN_UNWIND, .ccleanup = restore_load_stream, .cdata = (void *)th->load_stream};
  dyn_push(th, e);
  th->load_stream = stream;
  bind_special(th, SYM(package), current_package(th));
  Value eof = cons(th, NIL, NIL); /* a fresh object no form can be */
  Value last = NIL;
  for (;;) {
    Value form = lisp_read(th, stream, false, eof, false, false);
    if (form == eof) break;
    last = eval_form(th, form);
    if (print) {
      Value out = standard_output(th);
      print_object(th, last, out, true);
      stream_write_char(th, out, '\n');
    }
  }
  unwind_to(th, top);
  return last;
}

static void close_stream_cleanup(Thread *th, void *stream) { stream_close(th, (Value)stream, false); }

typedef struct LoadArgs {
  Value stream;
  bool print;
  Value result;
} LoadArgs;

static void load_body(Thread *th, void *data) {
  LoadArgs *a = data;
  a->result = load_stream(th, a->stream, a->print);
}

Value load_file(Thread *th, Value path, bool verbose, bool print, bool if_does_not_exist_error) {
  char *cpath = string_to_cstr(path);
  FILE *probe = fopen(cpath, "r");
  if (!probe) {
    free(cpath);
    if (!if_does_not_exist_error) return NIL;
    lisp_error(th, SYM(file_error), "~S does not exist.", path);
  }
  /* A script's "#!" first line is not Lisp. */
  long start = 0;
  if (fgetc(probe) == '#' && fgetc(probe) == '!') {
    int ch;
    while ((ch = fgetc(probe)) != EOF && ch != '\n') {
    }
    start = ftell(probe);
  }
  int fd = dup(fileno(probe));
  fclose(probe);
  lseek(fd, start, SEEK_SET);
  free(cpath);
  if (verbose) {
    Value out = standard_output(th);
    stream_write_cstr(th, out, ";Loading ");
    print_object(th, path, out, true);
    stream_write_cstr(th, out, "...\n");
  }
  Value stream = make_fd_stream(th, fd, STRM_INPUT | STRM_OWN_FD, path);
  if (start > 0) stream_of(stream)->line = 2;
  size_t top = th->dyn_top;
  bind_special(th, SYM(load_pathname), path);
  bind_special(th, SYM(load_truename), path);
  LoadArgs a = {stream, print, NIL};
  with_cleanup(th, load_body, &a, close_stream_cleanup, (void *)stream);
  unwind_to(th, top);
  return SYM(t);
}

Value load_cstring(Thread *th, const char *name, const char *src) {
  Value s = make_string_c(th, src);
  Value stream = make_string_input_stream(th, s, 0, string_of(s)->len);
  stream_of(stream)->name = make_string_c(th, name);
  return load_stream(th, stream, false);
}

/* "file:line" of the top-level form being loaded, or NIL outside LOAD. */
Value current_load_location(Thread *th) {
  Value s = th->load_stream;
  if (!is_stream(s) || !is_any_string(stream_of(s)->name)) return NIL;
  char *name = string_to_cstr(stream_of(s)->name);
  char buf[4200];
  snprintf(buf, sizeof buf, "%s:%ld", name, stream_of(s)->form_line);
  free(name);
  return make_string_c(th, buf);
}
