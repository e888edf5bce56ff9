/* package.c — packages: finding, making, interning, exporting, using; the
 * standard packages COMMON-LISP, KEYWORD, CCL and COMMON-LISP-USER. */
#include "lisp.h"

Value current_package(Thread *th) { return symbol_value(th, SYM(package)); }

static bool name_matches(Value pkg, const uint32_t *chars, size_t len) {
  Package *p = package_of(pkg);
  size_t n;
  const uint32_t *pn = string_chars(p->name, &n);
  if (n == len && memcmp(pn, chars, len * sizeof(uint32_t)) == 0) return true;
  for (Value l = p->nicknames; is_cons(l); l = CDR(l)) {
    pn = string_chars(CAR(l), &n);
    if (n == len && memcmp(pn, chars, len * sizeof(uint32_t)) == 0) return true;
  }
  return false;
}

Value find_package(Thread *th, Value designator) {
  if (is_type(designator, T_PACKAGE)) return designator;
  Value name = designator;
  if (is_symbol(designator)) name = symbol_name(th, designator);
  else if (is_char(designator)) {
    uint32_t c = char_code(designator);
    for (Value l = th->vm->packages; is_cons(l); l = CDR(l))
      if (name_matches(CAR(l), &c, 1)) return CAR(l);
    return NIL;
  }
  size_t len;
  const uint32_t *chars = string_chars(name, &len);
  if (!chars) type_error_c(th, designator, "(OR STRING SYMBOL CHARACTER PACKAGE)");
  for (Value l = th->vm->packages; is_cons(l); l = CDR(l))
    if (name_matches(CAR(l), chars, len)) return CAR(l);
  return NIL;
}

Value make_package(Thread *th, Value name, Value nicknames, Value use) {
  Package *p = gc_alloc(th, T_PACKAGE, sizeof(Package));
  Value pkg = obj_value(p);
  p->name = name;
  p->nicknames = nicknames;
  p->use_list = NIL;
  p->used_by = NIL;
  p->shadowing = NIL;
  p->internals = make_hash_table(th, HT_EQUAL, 64);
  p->externals = make_hash_table(th, HT_EQUAL, 64);
  th->vm->packages = cons(th, pkg, th->vm->packages);
  for (; is_cons(use); use = CDR(use)) {
    Value used = find_package(th, CAR(use));
    if (used == NIL) lisp_error(th, SYM(package_error), "There is no package named ~S .", CAR(use));
    use_package(th, used, pkg);
  }
  return pkg;
}

Value find_symbol(Thread *th, Value name, Value package, int *status) {
  Package *p = package_of(package);
  Value sym;
  if (!is_type(name, T_STRING)) { /* a string with a fill pointer ...: the general lookup */
    size_t len;
    const uint32_t *chars = string_chars(name, &len);
    if (!chars) return *status = 0, NIL;
    name = make_string_n(th, len);
    memcpy(string_of(name)->data, chars, len * sizeof(uint32_t));
  }
  uint64_t hash = hash_string_chars(string_of(name)->data, string_of(name)->len);
  if (hash_get_string(th, p->externals, name, hash, &sym)) {
    *status = 2;
    return sym;
  }
  if (hash_get_string(th, p->internals, name, hash, &sym)) {
    *status = 1;
    return sym;
  }
  for (Value l = p->use_list; is_cons(l); l = CDR(l)) {
    if (hash_get_string(th, package_of(CAR(l))->externals, name, hash, &sym)) {
      *status = 3;
      return sym;
    }
  }
  *status = 0;
  return NIL;
}

bool is_keyword(Thread *th, Value v) {
  return is_symbol(v) && v != NIL && sym_raw(v)->package == th->vm->pkg_keyword;
}

/* A new symbol named name in package, which has none accessible by that name. */
static Value intern_new(Thread *th, Value name, Value package) {
  Value sym = make_symbol(th, name);
  Symbol *s = sym_raw(sym);
  s->package = package;
  if (package == th->vm->pkg_keyword) {
    s->value = sym;
    s->h.flags |= SYM_CONSTANT | SYM_KEYWORD;
    hash_put(th, package_of(package)->externals, s->name, sym);
  } else {
    hash_put(th, package_of(package)->internals, s->name, sym);
  }
  return sym;
}

Value intern(Thread *th, Value name, Value package, int *status) {
  int st;
  Value sym = find_symbol(th, name, package, &st);
  if (status) *status = st;
  if (st) return sym;
  return intern_new(th, name, package);
}

/* C code interns the same names again and again (at start-up and at run time): an
 * ASCII name that already has its symbol is found without making a string. */
Value intern_c(Thread *th, const char *name, Value package) {
  size_t n = 0;
  bool ascii = true;
  for (; name[n]; n++) ascii &= (unsigned char)name[n] < 0x80;
  if (ascii) {
    Package *p = package_of(package);
    uint64_t hash = hash_ascii(name, n);
    Value sym;
    if (hash_get_ascii(p->externals, name, n, hash, &sym) || hash_get_ascii(p->internals, name, n, hash, &sym))
      return sym;
    for (Value l = p->use_list; is_cons(l); l = CDR(l))
      if (hash_get_ascii(package_of(CAR(l))->externals, name, n, hash, &sym)) return sym;
    return intern_new(th, make_string_c(th, name), package);
  }
  return intern(th, make_string_c(th, name), package, NULL);
}

Value keyword_c(Thread *th, const char *name) { return intern_c(th, name, th->vm->pkg_keyword); }

void export_symbol(Thread *th, Value sym, Value package) {
  Package *p = package_of(package);
  Value name = symbol_name(th, sym);
  int st;
  Value found = find_symbol(th, name, package, &st);
  if (st == 2 && found == sym) return;
  if (st && found != sym)
    lisp_error(th, SYM(package_error), "Exporting ~S would conflict with ~S in ~A.", sym, found, p->name);
  /* Name conflicts in packages that use this one */
  for (Value l = p->used_by; is_cons(l); l = CDR(l)) {
    int st2;
    Value other = find_symbol(th, name, CAR(l), &st2);
    if (st2 && other != sym && !memq_list(other, package_of(CAR(l))->shadowing))
      lisp_error(th, SYM(package_error), "Exporting ~S from ~A would cause a name conflict with ~S in ~A.", sym,
                 p->name, other, package_of(CAR(l))->name);
  }
  hash_remove(th, p->internals, name);
  hash_put(th, p->externals, name, sym);
}

void use_package(Thread *th, Value used, Value user) {
  Package *u = package_of(user);
  if (memq_list(used, u->use_list) || used == user) return;
  /* Conflicts: an external of `used` with the same name as a different accessible symbol */
  size_t i = 0;
  Value k, v;
  while (hash_next(package_of(used)->externals, &i, &k, &v)) {
    int st;
    Value mine = find_symbol(th, k, user, &st);
    if (st && mine != v && !memq_list(mine, u->shadowing))
      lisp_error(th, SYM(package_error), "Using ~A in ~A would cause a name conflict: ~S and ~S.",
                 package_of(used)->name, u->name, v, mine);
  }
  /* Keep the order packages were used in, as (package-use-list) shows them. */
  Value cell = list1(th, used);
  if (u->use_list == NIL) {
    u->use_list = cell;
  } else {
    Value l = u->use_list;
    while (is_cons(CDR(l))) l = CDR(l);
    CDR(l) = cell;
  }
  package_of(used)->used_by = cons(th, user, package_of(used)->used_by);
}

bool memq_list(Value x, Value list) {
  for (; is_cons(list); list = CDR(list))
    if (CAR(list) == x) return true;
  return false;
}
