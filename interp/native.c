/* native.c — turning NativeDesc tables into Lisp functions: the symbol (with
 * its package prefix), the parsed keyword list, the function cell. */
#include <stdlib.h>

#include "lisp.h"

Value make_native(Thread *th, const NativeDesc *desc, Value name) {
  Native *n = gc_alloc(th, T_NATIVE, sizeof(Native));
  n->desc = desc;
  n->name = name;
  n->keys = NIL;
  n->data = NIL;
  n->nkeys = 0;
  Value nv = obj_value(n);
  if (desc->keys && *desc->keys) {
    Value keys = NIL;
    const char *p = desc->keys;
    while (*p) {
      while (*p == ' ') p++;
      const char *start = p;
      while (*p && *p != ' ') p++;
      if (p > start) {
        char buf[64];
        size_t len = (size_t)(p - start);
        if (len >= sizeof buf) len = sizeof buf - 1;
        for (size_t i = 0; i < len; i++) {
          char c = start[i];
          buf[i] = (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
        }
        buf[len] = 0;
        keys = cons(th, keyword_c(th, buf), keys);
        n->nkeys++;
      }
    }
    n->keys = nreverse_list(keys);
  }
  return nv;
}

/* "NAME" -> pkg (exported when pkg is CL), "CCL:NAME" exported from CCL,
 * "CCL::NAME" internal to CCL. */
static Value native_symbol(Thread *th, const char *name, Value pkg) {
  const char *colon = strchr(name, ':');
  bool external = pkg == th->vm->pkg_cl;
  if (colon) {
    Value s = make_string_utf8(th, name, (size_t)(colon - name));
    pkg = find_package(th, s);
    if (pkg == NIL) simple_error(th, "Native ~S names an unknown package.", make_string_c(th, name));
    external = colon[1] != ':';
    name = colon + (external ? 1 : 2);
  }
  /* Names are upcased as the reader would (tables may spell "CadR"). */
  Value s = make_string_c(th, name);
  for (size_t i = 0; i < string_of(s)->len; i++) {
    uint32_t c = string_of(s)->data[i];
    if (c >= 'a' && c <= 'z') string_of(s)->data[i] = c - 32;
  }
  Value sym = intern(th, s, pkg, NULL);
  if (external) export_symbol(th, sym, pkg);
  return sym;
}

void define_natives_in(Thread *th, const NativeDesc *table, Value pkg) {
  for (const NativeDesc *d = table; d->name; d++) {
    Value sym = native_symbol(th, d->name, pkg);
    symbol_of(th, sym)->function = make_native(th, d, sym);
  }
}

void define_natives(Thread *th, const NativeDesc *table) { define_natives_in(th, table, th->vm->pkg_cl); }
