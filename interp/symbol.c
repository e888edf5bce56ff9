/* symbol.c — symbols: creation, the record behind NIL, global and thread-local
 * (dynamically bound) values. */
#include <stdlib.h>

#include "lisp.h"

Symbol *symbol_of(Thread *th, Value sym) {
  if (sym == NIL) return &th->vm->nil_symbol;
  return sym_raw(sym);
}

Value symbol_name(Thread *th, Value sym) { return symbol_of(th, sym)->name; }

static Value copy_simple_string(Thread *th, Value name) {
  size_t len;
  const uint32_t *chars = string_chars(name, &len);
  Value s = make_string_n(th, len);
  memcpy(string_of(s)->data, chars, len * sizeof(uint32_t));
  return s;
}

Value make_symbol(Thread *th, Value name) {
  Value name_copy = copy_simple_string(th, name);
  Symbol *s = gc_alloc(th, T_SYMBOL, sizeof(Symbol));
  s->name = name_copy;
  s->package = NIL;
  s->value = UNBOUND;
  s->function = UNBOUND;
  s->plist = NIL;
  s->setf_fn = UNBOUND;
  s->hash = (uint32_t)hash_string_chars(string_of(name_copy)->data, string_of(name_copy)->len);
  return obj_value(s);
}

static void ensure_tls(Thread *th, uint32_t index) {
  if (index < th->tls_cap) return;
  size_t cap = th->tls_cap ? th->tls_cap : 256;
  while (cap <= index) cap *= 2;
  Value *tls = realloc(th->tls, cap * sizeof(Value));
  if (!tls) simple_error(th, "out of memory growing the thread-local binding table");
  for (size_t i = th->tls_cap; i < cap; i++) tls[i] = NO_TLS;
  th->tls = tls;
  th->tls_cap = cap;
}

Value symbol_value_or(Thread *th, Value sym, Value dflt) {
  Symbol *s = symbol_of(th, sym);
  Value v = s->value;
  if (s->tls_index && s->tls_index < th->tls_cap && th->tls[s->tls_index] != NO_TLS) v = th->tls[s->tls_index];
  return v == UNBOUND ? dflt : v;
}

Value symbol_value(Thread *th, Value sym) {
  Value v = symbol_value_or(th, sym, UNBOUND);
  if (v == UNBOUND) unbound_variable_error(th, sym);
  return v;
}

void set_symbol_value(Thread *th, Value sym, Value v) {
  Symbol *s = symbol_of(th, sym);
  if (s->tls_index && s->tls_index < th->tls_cap && th->tls[s->tls_index] != NO_TLS)
    th->tls[s->tls_index] = v;
  else
    s->value = v;
}

/* Interrupts deferred by WITHOUT-INTERRUPTS run once *INTERRUPT-LEVEL* is no longer
 * negative: at the next safe point after the binding that made it so. */
static void interrupt_level_changed(Thread *th, Value sym) {
  if (th->interrupts_deferred && sym == SYM(interrupt_level)) {
    Value level = symbol_value_or(th, sym, make_fixnum(0));
    if (!is_fixnum(level) || fixnum_val(level) >= 0) {
      th->interrupts_deferred = false;
      __atomic_store_n(&th->interrupt_pending, 1, __ATOMIC_RELAXED);
    }
  }
}

void bind_special(Thread *th, Value sym, Value v) {
  Symbol *s = symbol_of(th, sym);
  if (!s->tls_index) s->tls_index = ++th->vm->next_tls_index;
  ensure_tls(th, s->tls_index);
  DynEntry e = {.kind = DYN_BIND, .a = sym, .b = th->tls[s->tls_index]};
  dyn_push(th, e);
  th->tls[s->tls_index] = v;
  interrupt_level_changed(th, sym);
}

/* Called by unwind_to for a DYN_BIND entry. */
void unbind_special(Thread *th, Value sym, Value saved) {
  Symbol *s = symbol_of(th, sym);
  th->tls[s->tls_index] = saved;
  interrupt_level_changed(th, sym);
}
