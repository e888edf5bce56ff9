/* condition_report.c — what conditions say: the report of each standard condition class
 * in CCL's words, user :REPORT functions, a small FORMAT for reports until the real one
 * is loaded, and CCL's "> Error: ..." / "; Warning: ..." messages. */
#include <stdio.h>

#include "stream.h"
#include "types_internal.h"

/* ---- A small FORMAT ---- */

void report_format(Thread *th, Value stream, Value control, Value args) {
  format_to_stream(th, stream, control, args);
}

/* ---- Reports ---- */

static void say(Thread *th, Value stream, const char *control, Value args) {
  report_format(th, stream, make_string_c(th, control), args);
}

static Value slot(Thread *th, Value c, int which) { return condition_slot(th, c, ts_ref(th, which), NIL); }

/* CCL's stream-error-context: "on #<STREAM ...>, near position N" */
static void stream_context(Thread *th, Value c, Value stream) {
  Value s = condition_slot(th, c, ts_ref(th, TS_S_STREAM), UNBOUND);
  if (s == UNBOUND)
    return;
  stream_write_cstr(th, stream, "on ");
  print_object(th, s, stream, true);
  if (is_stream(s) && stream_of(s)->kind == SK_STRING_IN) {
    char buf[64];
    snprintf(buf, sizeof buf, ", near position %zu", stream_of(s)->pos);
    stream_write_cstr(th, stream, buf);
  }
}

static void write_simple_text(Thread *th, Value c, Value stream) {
  Value control = condition_slot(th, c, ts_ref(th, TS_S_FORMAT_CONTROL), UNBOUND);
  if (control == UNBOUND)
    return;
  report_format(th, stream, control, slot(th, c, TS_S_FORMAT_ARGUMENTS));
}

static void c_report(Thread *th, int code, Value c, Value stream) {
  switch (code) {
  case R_SIMPLE:
    write_simple_text(th, c, stream);
    break;
  case R_TYPE_ERROR: {
    Value control = slot(th, c, TS_S_FORMAT_CONTROL);
    Value args = condition_slot(th, c, ts_ref(th, TS_S_FORMAT_ARGUMENTS), UNBOUND);
    if (args == UNBOUND)
      args = list2(th, slot(th, c, TS_S_DATUM), slot(th, c, TS_S_EXPECTED_TYPE));
    report_format(th, stream, control, args);
    break;
  }
  case R_CELL:
    say(th, stream, "Cell error: ~S", list1(th, slot(th, c, TS_S_NAME)));
    break;
  case R_UNBOUND_VARIABLE:
    say(th, stream, "Unbound variable: ~S", list1(th, slot(th, c, TS_S_NAME)));
    break;
  case R_UNDEFINED_FUNCTION:
    say(th, stream, "Undefined function: ~S", list1(th, slot(th, c, TS_S_NAME)));
    break;
  case R_UNDEFINED_FUNCTION_CALL:
    say(th, stream, "Undefined function ~S called with arguments ~:S .",
        list2(th, slot(th, c, TS_S_NAME), slot(th, c, TS_S_FUNCTION_ARGUMENTS)));
    break;
  case R_UNBOUND_SLOT:
    say(th, stream, "Slot ~S is unbound in ~S",
        list2(th, slot(th, c, TS_S_NAME), slot(th, c, TS_S_INSTANCE)));
    break;
  case R_ARITH: {
    say(th, stream, "~S detected", list1(th, type_of(th, c)));
    Value operands = slot(th, c, TS_S_OPERANDS);
    if (operands != NIL)
      say(th, stream, "~&performing ~A on ~:S", list2(th, slot(th, c, TS_S_OPERATION), operands));
    break;
  }
  case R_EOF:
    stream_write_cstr(th, stream, "Unexpected end of file ");
    stream_context(th, c, stream);
    break;
  case R_READER:
    stream_write_cstr(th, stream, "Reader error ");
    stream_context(th, c, stream);
    stream_write_cstr(th, stream, ":\n");
    write_simple_text(th, c, stream);
    break;
  case R_STREAM_SIMPLE:
    stream_context(th, c, stream);
    stream_write_cstr(th, stream, " : ");
    stream_fresh_line(th, stream);
    write_simple_text(th, c, stream);
    break;
  case R_FILE:
    say(th, stream, "File error on file ~S", list1(th, slot(th, c, TS_S_PATHNAME)));
    break;
  case R_NO_SUCH_PACKAGE:
    say(th, stream, "There is no package named ~S .", list1(th, slot(th, c, TS_S_PACKAGE)));
    break;
  case R_PRINT_NOT_READABLE: {
    size_t top = th->dyn_top;
    bind_special(th, SYM(print_readably), NIL);
    say(th, stream, "~S cannot be printed readably.", list1(th, slot(th, c, TS_S_OBJECT)));
    unwind_to(th, top);
    break;
  }
  case R_INACTIVE_RESTART:
    say(th, stream, "Restart ~S is not active",
        list1(th, condition_slot(th, c, type_symbol(th, "RESTART-NAME"), NIL)));
    break;
  default:
    break;
  }
}

void write_condition_report(Thread *th, Value c, Value stream) {
  if (!is_condition(c)) {
    print_object(th, c, stream, false);
    return;
  }
  Value report = UNBOUND;
  for (Value l = class_of_obj(instance_of(c)->klass)->cpl; is_cons(l) && report == UNBOUND; l = CDR(l))
    report = plist_get(class_of_obj(CAR(l))->plist, SYM(k_report), UNBOUND);
  /* A condition made with a message by lisp_error and friends says that message,
   * unless its class has a report of its own in Lisp or reports its message itself. */
  bool has_text = condition_slot(th, c, ts_ref(th, TS_S_FORMAT_CONTROL), UNBOUND) != UNBOUND;
  if (is_fixnum(report)) {
    int code = (int)fixnum_val(report);
    if (has_text && code != R_SIMPLE && code != R_TYPE_ERROR)
      write_simple_text(th, c, stream);
    else
      c_report(th, code, c, stream);
    return;
  }
  if (is_any_string(report)) {
    stream_write_string(th, stream, report);
    return;
  }
  if (report != UNBOUND && report != NIL) {
    funcall2(th, report, c, stream);
    return;
  }
  if (has_text) {
    write_simple_text(th, c, stream);
    return;
  }
  stream_write_cstr(th, stream,
              typep(th, c, SYM(error))     ? "Error "
              : typep(th, c, SYM(warning)) ? "Warning "
                                           : "Condition ");
  print_object(th, c, stream, true);
}

Value condition_report_string(Thread *th, Value condition) {
  Value s = make_string_output_stream(th);
  write_condition_report(th, condition, s);
  return get_output_stream_string(th, s);
}

/* ---- "> Error: ..." ---- */

void print_break_message(Thread *th, Value stream, char prefix, const char *label, Value condition,
                         Value fn_name) {
  Value text = condition_report_string(th, condition);
  size_t len;
  const uint32_t *chars = string_chars(text, &len);
  char head[64];
  snprintf(head, sizeof head, "%c %s: ", prefix, label);
  size_t indent = strlen(head);
  stream_fresh_line(th, stream);
  stream_write_cstr(th, stream, head);
  for (size_t i = 0; i < len; i++) {
    stream_write_char(th, stream, chars[i]);
    if (chars[i] == '\n') {
      stream_write_char(th, stream, (uint32_t)prefix);
      for (size_t k = 1; k < indent; k++)
        stream_write_char(th, stream, ' ');
    }
  }
  stream_write_char(th, stream, '\n');
  if (fn_name != NIL) {
    char pre[4] = {prefix, 0};
    stream_write_cstr(th, stream, pre);
    stream_write_cstr(th, stream, " While executing: ");
    print_object(th, fn_name, stream, true);
    stream_write_cstr(th, stream, ", in process ");
    write_process_label(th, stream);
    stream_write_cstr(th, stream, ".\n");
  }
  stream_force_output(th, stream);
}
