/* autoload.c — loading the embedded stdlib lazily: a top-level DEFUN or DEFMACRO
 * becomes a stub that reads and evaluates its own text the first time it is used. */
#include "lisp_scan.h"
#include "stream.h"
#include "types_internal.h"

/* The top-level forms of a file, from the index the build made (tools/embed_stdlib.c:
 * {count, start, end, ...}) or found by scanning when there is none. */
typedef struct Forms {
  const char *src;
  size_t n, i;
  const unsigned *index; /* next {start, end}, or NULL */
  unsigned left;
} Forms;

static void forms_init(Forms *f, const char *src, const unsigned *index) {
  f->src = src;
  f->n = strlen(src);
  f->i = 0;
  f->index = index ? index + 1 : NULL;
  f->left = index ? index[0] : 0;
}

/* False at the end; *end is 0 when the rest is not a balanced list (for the reader). */
static bool forms_next(Forms *f, size_t *start, size_t *end) {
  if (f->index) {
    if (f->left == 0) return false;
    *start = f->index[0];
    *end = f->index[1];
    f->index += 2;
    f->left--;
    return true;
  }
  *end = next_form(f->src, f->n, f->i, start);
  if (*start >= f->n) return false;
  f->i = *end ? *end : f->n;
  return true;
}

static bool token_char(char c) {
  return c && c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '(' && c != ')' && c != '"' && c != ';' &&
         c != '\'';
}

static bool word_is(const char *s, size_t len, const char *word) {
  if (strlen(word) != len) return false;
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    if (c >= 'a' && c <= 'z') c = (char)(c - 32);
    if (c != word[i]) return false;
  }
  return true;
}

/* The token at or after i in s[..end): *start is where it begins; returns where it ends. */
static size_t token_at(const char *s, size_t end, size_t i, size_t *start) {
  size_t a = skip_space(s, end, i), b = a;
  while (b < end && token_char(s[b])) b++;
  *start = a;
  return b;
}

/* ---- Stubs ---- */

static Value fn_autoload(Thread *th, int nargs, Value *args);
static Value load_module(Thread *th, Value text);

static const NativeDesc autoload_desc = {
    "CCL::%AUTOLOAD", fn_autoload, 0, 0, NAT_REST | NAT_MV, NULL, "(&rest args)",
    "A definition of the built-in library that is read the first time it is used."};

static bool is_stub(Value fn) { return is_type(fn, T_NATIVE) && native_of(fn)->desc == &autoload_desc; }

/* A definition's text, kept as (address . length) in the embedded source, which lives as
 * long as the process: decoding every stub's text into a string at start-up cost more
 * than reading the few that get used. */
static Value source_slice(Thread *th, const char *p, size_t len) {
  return cons(th, make_fixnum((intptr_t)p), make_fixnum((intptr_t)len));
}

static Value eval_text(Thread *th, Value text) {
  if (is_cons(text))
    text = make_string_utf8(th, (const char *)fixnum_val(CAR(text)), (size_t)fixnum_val(CDR(text)));
  size_t top = th->dyn_top;
  bind_special(th, SYM(package), th->vm->pkg_ccl);
  Value stream = make_string_input_stream(th, text, 0, string_of(text)->len);
  Value form = lisp_read(th, stream, true, NIL, false, false);
  Value r = eval_form(th, form);
  unwind_to(th, top);
  return r;
}

static Value cell_function(Thread *th, Value sym) {
  Value cell = symbol_of(th, sym)->function;
  return is_type(cell, T_MACRO) ? ((Macro *)cell)->expander : cell;
}

static void loader_release(Thread *th, void *data) {
  UNUSED(data);
  th->vm->loader_owner = NULL;
  if (th->vm->nthreads > 0) thread_notify_released(th);
}

/* Reads and evaluates the definition behind stub; returns what it defined. One
 * process at a time reads library text: another that needs a definition meanwhile
 * waits, then finds it made (a module's stubs are gone while it is being read). */
static Value load_stub(Thread *th, Value stub) {
  Value sym = native_of(stub)->name;
  size_t top = th->dyn_top;
  if (th->vm->loader_owner != th) {
    while (th->vm->loader_owner) thread_wait_released(th, "Lock wait");
    Value fn = cell_function(th, sym);
    if (is_function(fn) && !is_stub(fn)) return fn;
    th->vm->loader_owner = th;
    DynEntry e = {.kind = DYN_UNWIND, .ccleanup = loader_release, .cdata = NULL};
    dyn_push(th, e);
  }
  Value data = native_of(stub)->data; /* (text . module-p) */
  if (CDR(data) != NIL) load_module(th, CAR(data));
  else eval_text(th, CAR(data));
  Value fn = cell_function(th, sym);
  if (!is_function(fn) || is_stub(fn)) simple_error(th, "Loading the library definition of ~S did not define it.", sym);
  unwind_to(th, top);
  return fn;
}

static Value fn_autoload(Thread *th, int nargs, Value *args) {
  Value fn = load_stub(th, th->native_self);
  return call_function(th, fn, nargs, args);
}

Value autoload_resolve(Thread *th, Value fn) { return is_stub(fn) ? load_stub(th, fn) : fn; }

static void install_stub(Thread *th, Value sym, Value text, bool macro, bool module) {
  Value stub = make_native(th, &autoload_desc, sym);
  th->vm->autoloads = cons(th, sym, th->vm->autoloads);
  native_of(stub)->data = cons(th, text, BOOL(th, module));
  if (macro) {
    Macro *m = gc_alloc(th, T_MACRO, sizeof(Macro));
    m->expander = stub;
    symbol_of(th, sym)->function = obj_value(m);
  } else {
    symbol_of(th, sym)->function = stub;
  }
}

/* The symbol a definition's name token denotes when read in CCL, or NIL when the
 * token is not a plain name (package prefixes other than CCL, escapes): then the
 * form is evaluated at once instead. */
static Value name_symbol(Thread *th, const char *s, size_t len) {
  if (len >= 5 && word_is(s, 5, "CCL::")) {
    s += 5;
    len -= 5;
  } else if (len >= 4 && word_is(s, 4, "CCL:")) {
    s += 4;
    len -= 4;
  }
  if (len == 0 || len > 200) return NIL;
  char buf[256];
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    if (c == ':' || c == '|' || c == '\\' || c == '#' || (unsigned char)c >= 0x80) return NIL;
    buf[i] = (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
  }
  buf[len] = 0;
  return intern_c(th, buf, th->vm->pkg_ccl);
}

/* A file whose first lines say "autoload: module" is read whole the first time one
 * of the names it defines (DEFUN, DEFMACRO, DEFGENERIC) is used; at start-up only its
 * EXPORT forms run, so that its symbols are in place. */
static Value load_module(Thread *th, Value text) {
  if (memq_list(text, th->vm->loaded_modules)) return NIL;
  th->vm->loaded_modules = cons(th, text, th->vm->loaded_modules);
  const char *src = (const char *)fixnum_val(text);
  /* The module defines these names itself (DEFGENERIC refuses a cell that already
   * holds an ordinary function), so its stubs go first. */
  for (Value l = th->vm->autoloads; is_cons(l); l = CDR(l)) {
    Symbol *s = symbol_of(th, CAR(l));
    Value fn = is_type(s->function, T_MACRO) ? ((Macro *)s->function)->expander : s->function;
    if (is_stub(fn) && CAR(native_of(fn)->data) == text) s->function = UNBOUND;
  }
  size_t top = th->dyn_top;
  bind_special(th, SYM(package), th->vm->pkg_ccl);
  Value whole = make_string_utf8(th, src, strlen(src));
  Value stream = make_string_input_stream(th, whole, 0, string_of(whole)->len);
  load_stream(th, stream, false);
  unwind_to(th, top);
  return SYM(t);
}

static bool is_module_source(const char *src) {
  const char *end = src;
  for (int lines = 0; *end && lines < 3; end++)
    if (*end == '\n') lines++;
  const char *m = strstr(src, "autoload: module");
  return m && m < end;
}

static void load_module_lazily(Thread *th, const char *src, const unsigned *index) {
  /* The module's stubs know it by the address of its text (the embedded stdlib, which
   * lives as long as the process), so that it is decoded only when it is read. */
  Value whole = make_fixnum((intptr_t)src);
  Forms forms;
  forms_init(&forms, src, index);
  size_t i, end;
  while (forms_next(&forms, &i, &end)) {
    if (end == 0) return;
    size_t h, he = token_at(src, end, i + 1, &h);
    bool defun = word_is(src + h, he - h, "DEFUN") || word_is(src + h, he - h, "DEFGENERIC");
    bool defmacro = word_is(src + h, he - h, "DEFMACRO");
    if (word_is(src + h, he - h, "EXPORT")) {
      eval_text(th, make_string_utf8(th, src + i, end - i));
    } else if (defun || defmacro) {
      size_t a, b = token_at(src, end, he, &a);
      Value sym = (b > a && src[a] != '(') ? name_symbol(th, src + a, b - a) : NIL;
      if (sym != NIL && !(symbol_of(th, sym)->h.flags & SYM_SPECIAL_OP)) install_stub(th, sym, whole, defmacro, true);
    }
  }
}

/* A library DEFINE-CONDITION is read when its class is first looked for (find_class
 * asks autoload_class) or one of its slot readers is first called (each becomes a stub
 * of the whole form): the names after :reader and :accessor are found in the text. */
static void defer_condition(Thread *th, Value name, const char *s, size_t n, Value text) {
  Symbol *sym = symbol_of(th, name);
  sym->plist = plist_put(th, sym->plist, intern_c(th, "%CLASS-STUB", th->vm->pkg_ccl), text);
  for (size_t i = 0; i + 1 < n; i++) {
    if (s[i] != ':' || (i > 0 && token_char(s[i - 1]) && s[i - 1] != '(')) continue;
    size_t k, ke = token_at(s, n, i + 1, &k);
    if (k != i + 1 || (!word_is(s + k, ke - k, "READER") && !word_is(s + k, ke - k, "ACCESSOR"))) continue;
    size_t a, b = token_at(s, n, ke, &a);
    Value reader = b > a ? name_symbol(th, s + a, b - a) : NIL;
    if (reader != NIL && symbol_of(th, reader)->function == UNBOUND) install_stub(th, reader, text, false, false);
    i = b;
  }
}

bool autoload_class(Thread *th, Value name) {
  Symbol *s = symbol_of(th, name);
  if (s->plist == NIL) return false;
  Value key = intern_c(th, "%CLASS-STUB", th->vm->pkg_ccl);
  Value text = plist_get(s->plist, key, NIL);
  if (text == NIL) return false;
  s->plist = plist_put(th, s->plist, key, NIL);
  eval_text(th, text);
  return true;
}

/* Evaluates the top-level forms of src, except that DEFUN and DEFMACRO forms with a
 * plain name become stubs. */
void load_lazily(Thread *th, const char *name, const char *src, const unsigned *index) {
  if (is_module_source(src)) {
    load_module_lazily(th, src, index);
    return;
  }
  Forms forms;
  forms_init(&forms, src, index);
  size_t i, end;
  while (forms_next(&forms, &i, &end)) {
    if (end == 0) { /* not a list, or unbalanced: let the reader handle the rest */
      load_cstring(th, name, src + i);
      return;
    }
    size_t h, he = token_at(src, end, i + 1, &h);
    bool is_defun = word_is(src + h, he - h, "DEFUN"), is_defmacro = word_is(src + h, he - h, "DEFMACRO");
    bool is_defsetf = word_is(src + h, he - h, "DEFSETF"), is_defvar = word_is(src + h, he - h, "DEFVAR");
    bool is_condition = word_is(src + h, he - h, "DEFINE-CONDITION");
    Value sym = NIL;
    size_t a, b = token_at(src, end, he, &a);
    if ((is_defun || is_defmacro || is_defsetf || is_defvar || is_condition) && b > a && src[a] != '(')
      sym = name_symbol(th, src + a, b - a);
    if (is_defvar && sym != NIL && skip_space(src, end, b) == end - 1) {
      /* (defvar name): only a proclamation, made here without reading the form. */
      Symbol *s = symbol_of(th, sym);
      if (!(s->h.flags & SYM_CONSTANT)) {
        s->h.flags |= SYM_SPECIAL;
        continue;
      }
    }
    Value text = source_slice(th, src + i, end - i);
    if (is_defsetf && sym != NIL) {
      /* Read when SETF first needs it (CCL::%SETF-EXPANDER, setf.lisp). */
      Symbol *s = symbol_of(th, sym);
      s->plist = plist_put(th, s->plist, intern_c(th, "%SETF-STUB", th->vm->pkg_ccl), text);
    } else if (is_condition && sym != NIL) {
      defer_condition(th, sym, src + i, end - i, text);
    } else if ((is_defun || is_defmacro) && sym != NIL && !(symbol_of(th, sym)->h.flags & SYM_SPECIAL_OP)) {
      install_stub(th, sym, text, is_defmacro, false);
    } else {
      eval_text(th, text);
    }
  }
}

/* (ccl::%autoload-setf symbol): reads the library's DEFSETF of symbol if it is still
 * waiting (load_lazily keeps it in the plist); true if there was one. */
static Value fn_autoload_setf(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  if (!is_symbol(args[0])) return NIL;
  Symbol *s = symbol_of(th, args[0]);
  Value key = intern_c(th, "%SETF-STUB", th->vm->pkg_ccl);
  Value text = plist_get(s->plist, key, NIL);
  if (text == NIL) return NIL;
  s->plist = plist_put(th, s->plist, key, NIL);
  eval_text(th, text);
  return SYM(t);
}

/* (ccl::%autoload-pending): the names whose definitions have not been read yet. */
static Value fn_autoload_pending(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  UNUSED(args);
  Value out = NIL;
  for (Value l = th->vm->autoloads; is_cons(l); l = CDR(l)) {
    Value cell = symbol_of(th, CAR(l))->function;
    Value fn = is_type(cell, T_MACRO) ? ((Macro *)cell)->expander : cell;
    if (is_stub(fn) && !memq_list(CAR(l), out)) out = cons(th, CAR(l), out);
  }
  return out;
}

/* (ccl::%autoload-now symbol): reads the definition of symbol if it is still a stub. */
static Value fn_autoload_now(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value cell = symbol_of(th, check_symbol(th, args[0]))->function;
  Value fn = is_type(cell, T_MACRO) ? ((Macro *)cell)->expander : cell;
  if (is_stub(fn)) load_stub(th, fn);
  return args[0];
}

static const NativeDesc autoload_natives[] = {
    {"CCL::%AUTOLOAD-PENDING", fn_autoload_pending, 0, 0, 0, NULL, "()",
     "The library definitions that have not been read yet (they are read on first use)."},
    {"CCL::%AUTOLOAD-NOW", fn_autoload_now, 1, 1, 0, NULL, "(symbol)", "Reads the library definition of SYMBOL now."},
    {"CCL::%AUTOLOAD-SETF", fn_autoload_setf, 1, 1, 0, NULL, "(symbol)",
     "Reads the library's DEFSETF of SYMBOL if it has not been read yet; true if it was waiting."},
    {0},
};

void autoload_init(Thread *th) {
  th->vm->autoloads = NIL;
  th->vm->loaded_modules = NIL;
  define_natives(th, autoload_natives);
}
