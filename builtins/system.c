/* system.c — the running image: quit, load, room, the environment, and the
 * implementation's identity. */
#include <stdlib.h>

#include "../interp/control.h"
#include "../interp/stream.h"

static Value fn_quit(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value code = arg_or(args[0], make_fixnum(0));
  if (code == NIL) code = make_fixnum(0);
  if (!is_fixnum(code) || fixnum_val(code) < 0 || fixnum_val(code) > 255) type_error_c(th, code, "(INTEGER 0 255)");
  th->vm->exit_code = (int)fixnum_val(code);
  streams_flush_all(th);
  if (th != th->vm->main_thread) quit_from_process(th, code);
  size_t idx = find_catch(th, SYM(quit_tag));
  if (idx == (size_t)-1) exit(th->vm->exit_code);
  th->throw_value = NIL;
  throw_to(th, idx);
}

static Value fn_load(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value path = args[0];
  if (is_stream(path)) return load_stream(th, path, arg_or(args[2], NIL) != NIL);
  if (!is_any_string(path)) type_error_c(th, path, "(OR STRING STREAM)");
  Value ifnot = arg_or(args[3], SYM(error));
  return load_file(th, path, arg_or(args[1], NIL) != NIL, arg_or(args[2], NIL) != NIL, ifnot != NIL);
}

static Value fn_room(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  UNUSED(args);
  GcStats s;
  gc_stats(th->vm, &s);
  Value out = standard_output(th);
  char buf[512];
  snprintf(buf, sizeof buf,
           "Approximately %zu bytes of memory can be allocated before the next collection.\n"
           "Heap: %zu bytes in use of %zu reserved (%zu objects, %zu conses).\n"
           "Collections: %zu, taking %.3f seconds in all.\n",
           s.heap_bytes > s.live_bytes ? s.heap_bytes - s.live_bytes : 0, s.live_bytes, s.heap_bytes, s.objects,
           s.conses, s.collections, s.gc_seconds);
  stream_write_cstr(th, out, buf);
  return values_n(th, 0, NULL);
}

static Value fn_getenv(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  if (!is_any_string(args[0])) type_error(th, args[0], SYM(string));
  char *name = string_to_cstr(args[0]);
  const char *v = getenv(name);
  free(name);
  return v ? make_string_c(th, v) : NIL;
}

static Value fn_setenv(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  if (!is_any_string(args[0])) type_error(th, args[0], SYM(string));
  if (!is_any_string(args[1])) type_error(th, args[1], SYM(string));
  char *name = string_to_cstr(args[0]);
  char *value = string_to_cstr(args[1]);
  int overwrite = arg_or(args[2], SYM(t)) != NIL;
  int r = setenv(name, value, overwrite);
  free(name);
  free(value);
  return make_fixnum(r == 0 ? 0 : -1);
}

static Value fn_lisp_implementation_type(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  UNUSED(args);
  return make_string_c(th, "Clove");
}

static Value fn_lisp_implementation_version(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  UNUSED(args);
  return make_string_c(th, "Version 0.1.0 (a Clozure CL compatible interpreter)");
}

static Value fn_machine_type(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  UNUSED(args);
  return make_string_c(th, "x86-64");
}

static Value fn_software_type(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  UNUSED(args);
  return make_string_c(th, "Linux");
}

static const NativeDesc system_natives[] = {
    {"CCL:QUIT", fn_quit, 0, 1, 0, NULL, "(&optional (exit-status 0))",
     "Ends the program with EXIT-STATUS, after flushing output and unwinding."},
    {"LOAD", fn_load, 1, 1, 0, "verbose print if-does-not-exist external-format",
     "(filespec &key verbose print if-does-not-exist external-format)",
     "Reads and evaluates each form of the file (or stream) FILESPEC."},
    {"ROOM", fn_room, 0, 1, NAT_MV, NULL, "(&optional x)", "Prints how memory is being used."},
    {"CCL:GETENV", fn_getenv, 1, 1, 0, NULL, "(name)", "The value of the environment variable NAME, or NIL."},
    {"CCL:SETENV", fn_setenv, 2, 3, 0, NULL, "(name value &optional (overwrite t))", "Sets the environment variable NAME."},
    {"LISP-IMPLEMENTATION-TYPE", fn_lisp_implementation_type, 0, 0, 0, NULL, "()", "The name of this Lisp."},
    {"LISP-IMPLEMENTATION-VERSION", fn_lisp_implementation_version, 0, 0, 0, NULL, "()", "The version of this Lisp."},
    {"MACHINE-TYPE", fn_machine_type, 0, 0, 0, NULL, "()", "The kind of machine."},
    {"SOFTWARE-TYPE", fn_software_type, 0, 0, 0, NULL, "()", "The operating system."},
    {0},
};

void builtins_system_init(Thread *th) {
  define_natives(th, system_natives);
  /* (quit) is also reachable as CL-USER::QUIT through CCL, as in CCL. */
}
