/* printer_impl.h — what printer.c (settings, dispatch, symbols, lists, circularity) and
 * printer_objects.c (arrays, structures and every #<...> object) share; private to them. */
#ifndef CLOVE_PRINTER_IMPL_H
#define CLOVE_PRINTER_IMPL_H

#include "lisp.h"
#include "stream.h"

#define PR_NO_LIMIT INTPTR_MAX
#define SYM_OF(p, name) ((p)->th->vm->sym.s_##name)

enum PrintCase { PC_UPCASE, PC_DOWNCASE, PC_CAPITALIZE };

/* One call of the printer: the *print-...* settings read once, the label table of
 * *print-circle*, and a small output buffer (flushed before anything else writes). */
typedef struct Printer {
  Thread *th;
  Value stream; /* where characters go now: the caller's stream, or pass one's scratch */
  bool escape, readably, radix, gensym, array, circle;
  unsigned base;
  enum PrintCase pcase;
  intptr_t level;       /* levels left at the top, or PR_NO_LIMIT */
  intptr_t length;      /* *print-length*, or PR_NO_LIMIT */
  intptr_t print_level; /* the variable's value, for :print-function's depth; -1 if none */

  /* *print-circle*: pass 1 numbers the objects seen twice, pass 2 prints the labels.
   * The table lives in the GC heap so that an unwind leaks nothing. */
  int pass; /* 0 no circularity detection, 1 locating, 2 printing */
  Value ckeys, cvals;
  size_t ccount, ccap;
  intptr_t next_label;

  size_t depth; /* nesting, to refuse a car-chain deeper than the C stack allows */

  size_t nbuf;
  uint32_t buf[256];
} Printer;

/* Output */
void pr_flush(Printer *p);
void pr_char(Printer *p, uint32_t c);
void pr_chars(Printer *p, const uint32_t *s, size_t n);
void pr_cstr(Printer *p, const char *ascii);
void pr_decimal(Printer *p, uintmax_t n);
void pr_address(Printer *p, Value obj); /* " #x<hex>" as CCL's %write-address */

/* The printer proper: obj with `level` levels left (CCL's write-internal). */
void pr_object(Printer *p, Value obj, intptr_t level);
void pr_symbol(Printer *p, Value sym);
void pr_pname(Printer *p, Value name);             /* a symbol name alone, escaped and cased */
void pr_symbol_princ(Printer *p, Value sym);       /* as (princ sym): the :type of #<...> */
void pr_symbol_prin1(Printer *p, Value sym);       /* as ~S inside a #<...> */
void pr_name_princ(Printer *p, const char *upper); /* a keyword-like name printed with ~A */
void pr_escaped_chars(Printer *p, const uint32_t *s, size_t n, uint32_t delim);

/* Starts "#<", or signals PRINT-NOT-READABLE under *print-readably*. */
void pr_unreadable_start(Printer *p, Value obj);

/* printer_objects.c: everything that is not a number, character, symbol, string or list.
 * Returns after having printed obj (the depth check already made by the caller where CCL
 * makes it). */
void pr_other(Printer *p, Value obj, intptr_t level);
/* True for the objects CCL truncates to "#" when no levels are left. */
bool pr_level_checked(Printer *p, Value obj);

/* Characters of a (possibly complex) string, or NULL. */
const uint32_t *pr_string_chars(Value s, size_t *len);
bool pr_is_string(Value v);
bool pr_is_bit_vector(Value v);

/* Character case (CCL's lower-case-p & co. over the scripts with simple case pairs). */
bool pr_lower_case_p(uint32_t c);
bool pr_upper_case_p(uint32_t c);
uint32_t pr_char_downcase(uint32_t c);
uint32_t pr_char_upcase(uint32_t c);

/* Plain helpers */
Value pr_plist_get(Value plist, Value key, Value dflt);

#endif
