/* symbols.c — natives over symbols and packages: names, values, gensym,
 * interning, exporting, using; the package functions of CL. */
#include "../interp/lisp.h"

static Value string_designator(Thread *th, Value x) {
  if (is_any_string(x)) return x;
  if (is_symbol(x)) return symbol_name(th, x);
  if (is_char(x)) {
    Value s = make_string_n(th, 1);
    string_of(s)->data[0] = char_code(x);
    return s;
  }
  type_error_c(th, x, "(OR STRING SYMBOL CHARACTER)");
}

static Value package_arg(Thread *th, Value x) {
  if (x == UNSUPPLIED) return current_package(th);
  Value p = find_package(th, x);
  if (p == NIL) lisp_error(th, SYM(package_error), "There is no package named ~S .", string_designator(th, x));
  return p;
}

static Value fn_symbol_name(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return symbol_name(th, check_symbol(th, args[0]));
}

static Value fn_symbol_package(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return symbol_of(th, check_symbol(th, args[0]))->package;
}

static Value fn_symbol_value(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return symbol_value(th, check_symbol(th, args[0]));
}

static Value fn_set(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value sym = check_symbol(th, args[0]);
  if (symbol_of(th, sym)->h.flags & SYM_CONSTANT) program_error(th, "Can't set constant ~S.", sym);
  set_symbol_value(th, sym, args[1]);
  return args[1];
}

static Value fn_boundp(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, symbol_value_or(th, check_symbol(th, args[0]), UNBOUND) != UNBOUND);
}

static Value fn_makunbound(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value sym = check_symbol(th, args[0]);
  if (symbol_of(th, sym)->h.flags & SYM_CONSTANT) program_error(th, "Can't make constant ~S unbound.", sym);
  set_symbol_value(th, sym, UNBOUND);
  return sym;
}

static Value fn_make_symbol(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  if (!is_any_string(args[0])) type_error(th, args[0], SYM(string));
  return make_symbol(th, args[0]);
}

static Value fn_copy_symbol(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value sym = check_symbol(th, args[0]);
  Value copy = make_symbol(th, symbol_name(th, sym));
  if (arg_or(args[1], NIL) != NIL) {
    Symbol *s = symbol_of(th, sym), *c = sym_raw(copy);
    c->value = s->value;
    c->function = s->function;
    c->plist = s->plist;
  }
  return copy;
}

static Value name_with_counter(Thread *th, Value prefix, Value counter) {
  size_t plen;
  const uint32_t *p = string_chars(prefix, &plen);
  char digits[32];
  int n = snprintf(digits, sizeof digits, "%ld", (long)fixnum_val(counter));
  Value s = make_string_n(th, plen + (size_t)n);
  memcpy(string_of(s)->data, p, plen * sizeof(uint32_t));
  for (int i = 0; i < n; i++) string_of(s)->data[plen + (size_t)i] = (uint32_t)digits[i];
  return s;
}

static Value fn_gensym(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value x = arg_or(args[0], UNSUPPLIED);
  Value prefix = make_string_c(th, "G");
  Value counter = symbol_value(th, SYM(gensym_counter));
  if (x != UNSUPPLIED) {
    if (is_integer(x)) {
      if (!is_fixnum(x) || fixnum_val(x) < 0) type_error_c(th, x, "UNSIGNED-BYTE");
      counter = x;
    } else if (is_any_string(x)) {
      prefix = x;
    } else {
      type_error_c(th, x, "(OR STRING UNSIGNED-BYTE)");
    }
  }
  if (x == UNSUPPLIED || !is_integer(x)) {
    if (!is_fixnum(counter)) type_error_c(th, counter, "UNSIGNED-BYTE");
    set_symbol_value(th, SYM(gensym_counter), make_fixnum(fixnum_val(counter) + 1));
  }
  return make_symbol(th, name_with_counter(th, prefix, counter));
}

static Value fn_gentemp(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value prefix = supplied(args[0]) ? args[0] : make_string_c(th, "T");
  if (!is_any_string(prefix)) type_error(th, prefix, SYM(string));
  Value pkg = package_arg(th, args[1]);
  for (;;) {
    Value name = name_with_counter(th, prefix, make_fixnum((intptr_t)++th->vm->gensym_counter));
    int st;
    find_symbol(th, name, pkg, &st);
    if (!st) return intern(th, name, pkg, NULL);
  }
}

static Value fn_intern(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  if (!is_any_string(args[0])) type_error(th, args[0], SYM(string));
  Value pkg = package_arg(th, args[1]);
  int st;
  Value sym = intern(th, args[0], pkg, &st);
  static const char *const status_names[] = {NULL, "INTERNAL", "EXTERNAL", "INHERITED"};
  return values2(th, sym, st ? keyword_c(th, status_names[st]) : NIL);
}

static Value fn_find_symbol(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  if (!is_any_string(args[0])) type_error(th, args[0], SYM(string));
  Value pkg = package_arg(th, args[1]);
  int st;
  Value sym = find_symbol(th, args[0], pkg, &st);
  static const char *const status_names[] = {NULL, "INTERNAL", "EXTERNAL", "INHERITED"};
  return values2(th, st ? sym : NIL, st ? keyword_c(th, status_names[st]) : NIL);
}

static Value symbols_arg(Thread *th, Value x) { return is_list(x) ? x : list1(th, x); }

static Value fn_export(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value pkg = package_arg(th, args[1]);
  for (Value l = symbols_arg(th, args[0]); is_cons(l); l = CDR(l)) {
    Value sym = check_symbol(th, CAR(l));
    int st;
    Value found = find_symbol(th, symbol_name(th, sym), pkg, &st);
    if (!st || found != sym)
      lisp_error(th, SYM(package_error), "The symbol ~S is not accessible in package ~A.", sym, package_of(pkg)->name);
    if (st == 3) hash_put(th, package_of(pkg)->internals, symbol_name(th, sym), sym);
    export_symbol(th, sym, pkg);
  }
  return SYM(t);
}

static Value fn_unexport(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value pkg = package_arg(th, args[1]);
  for (Value l = symbols_arg(th, args[0]); is_cons(l); l = CDR(l)) {
    Value sym = check_symbol(th, CAR(l));
    Value name = symbol_name(th, sym);
    Value found;
    if (hash_get2(th, package_of(pkg)->externals, name, &found) && found == sym) {
      hash_remove(th, package_of(pkg)->externals, name);
      hash_put(th, package_of(pkg)->internals, name, sym);
    }
  }
  return SYM(t);
}

static void import_one(Thread *th, Value sym, Value pkg, bool shadowing) {
  Value name = symbol_name(th, sym);
  int st;
  Value found = find_symbol(th, name, pkg, &st);
  if (st && found != sym && !shadowing && st != 3)
    lisp_error(th, SYM(package_error), "Importing ~S into ~A would conflict with ~S.", sym, package_of(pkg)->name, found);
  if (st == 2 && found == sym) return;
  if (shadowing) {
    hash_remove(th, package_of(pkg)->internals, name);
    hash_remove(th, package_of(pkg)->externals, name);
    if (!memq_list(sym, package_of(pkg)->shadowing))
      package_of(pkg)->shadowing = cons(th, sym, package_of(pkg)->shadowing);
  }
  if (!(st == 1 && found == sym)) hash_put(th, package_of(pkg)->internals, name, sym);
  if (symbol_of(th, sym)->package == NIL) symbol_of(th, sym)->package = pkg;
}

static Value fn_import(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value pkg = package_arg(th, args[1]);
  for (Value l = symbols_arg(th, args[0]); is_cons(l); l = CDR(l)) import_one(th, check_symbol(th, CAR(l)), pkg, false);
  return SYM(t);
}

static Value fn_shadowing_import(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value pkg = package_arg(th, args[1]);
  for (Value l = symbols_arg(th, args[0]); is_cons(l); l = CDR(l)) import_one(th, check_symbol(th, CAR(l)), pkg, true);
  return SYM(t);
}

static Value fn_shadow(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value pkg = package_arg(th, args[1]);
  for (Value l = symbols_arg(th, args[0]); is_cons(l); l = CDR(l)) {
    Value name = string_designator(th, CAR(l));
    Value sym;
    if (!hash_get2(th, package_of(pkg)->internals, name, &sym) && !hash_get2(th, package_of(pkg)->externals, name, &sym)) {
      sym = make_symbol(th, name);
      sym_raw(sym)->package = pkg;
      hash_put(th, package_of(pkg)->internals, symbol_name(th, sym), sym);
    }
    if (!memq_list(sym, package_of(pkg)->shadowing))
      package_of(pkg)->shadowing = cons(th, sym, package_of(pkg)->shadowing);
  }
  return SYM(t);
}

static Value fn_unintern(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value sym = check_symbol(th, args[0]);
  Value pkg = package_arg(th, args[1]);
  Value name = symbol_name(th, sym);
  Value found;
  bool removed = false;
  if (hash_get2(th, package_of(pkg)->internals, name, &found) && found == sym) removed = hash_remove(th, package_of(pkg)->internals, name);
  if (hash_get2(th, package_of(pkg)->externals, name, &found) && found == sym) removed = hash_remove(th, package_of(pkg)->externals, name);
  if (removed && symbol_of(th, sym)->package == pkg) symbol_of(th, sym)->package = NIL;
  return BOOL(th, removed);
}

static Value fn_find_package(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return find_package(th, args[0]);
}

static Value names_list(Thread *th, Value x) {
  Value out = NIL;
  for (Value l = symbols_arg(th, x); is_cons(l); l = CDR(l)) out = cons(th, string_designator(th, CAR(l)), out);
  return nreverse_list(out);
}

static Value fn_make_package(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value name = string_designator(th, args[0]);
  if (find_package(th, name) != NIL) lisp_error(th, SYM(package_error), "A package named ~S already exists.", name);
  Value nicks = names_list(th, arg_or(args[1], NIL));
  for (Value l = nicks; is_cons(l); l = CDR(l))
    if (find_package(th, CAR(l)) != NIL) lisp_error(th, SYM(package_error), "A package named ~S already exists.", CAR(l));
  Value use = args[2];
  if (!supplied(use)) {
    Value defaults = intern_c(th, "*MAKE-PACKAGE-USE-DEFAULTS*", th->vm->pkg_ccl);
    use = symbol_value_or(th, defaults, list2(th, make_string_c(th, "COMMON-LISP"), make_string_c(th, "CCL")));
  }
  return make_package(th, name, nicks, symbols_arg(th, use));
}

static Value fn_package_name(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return package_of(package_arg(th, args[0]))->name;
}

static Value fn_package_nicknames(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return package_of(package_arg(th, args[0]))->nicknames;
}

static Value fn_package_use_list(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return package_of(package_arg(th, args[0]))->use_list;
}

static Value fn_package_used_by_list(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return package_of(package_arg(th, args[0]))->used_by;
}

static Value fn_package_shadowing_symbols(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return package_of(package_arg(th, args[0]))->shadowing;
}

static Value fn_list_all_packages(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  UNUSED(args);
  Value out = NIL;
  for (Value l = th->vm->packages; is_cons(l); l = CDR(l)) out = cons(th, CAR(l), out);
  return out;
}

static Value fn_use_package(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value pkg = package_arg(th, args[1]);
  for (Value l = symbols_arg(th, args[0]); is_cons(l); l = CDR(l)) use_package(th, package_arg(th, CAR(l)), pkg);
  return SYM(t);
}

static Value remove_from(Thread *th, Value x, Value list) {
  Value out = NIL;
  for (; is_cons(list); list = CDR(list))
    if (CAR(list) != x) out = cons(th, CAR(list), out);
  return nreverse_list(out);
}

static Value fn_unuse_package(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value pkg = package_arg(th, args[1]);
  for (Value l = symbols_arg(th, args[0]); is_cons(l); l = CDR(l)) {
    Value used = package_arg(th, CAR(l));
    package_of(pkg)->use_list = remove_from(th, used, package_of(pkg)->use_list);
    package_of(used)->used_by = remove_from(th, pkg, package_of(used)->used_by);
  }
  return SYM(t);
}

static Value fn_rename_package(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value pkg = package_arg(th, args[0]);
  Value name = string_designator(th, args[1]);
  Value other = find_package(th, name);
  if (other != NIL && other != pkg) lisp_error(th, SYM(package_error), "A package named ~S already exists.", name);
  package_of(pkg)->name = name;
  package_of(pkg)->nicknames = names_list(th, arg_or(args[2], NIL));
  return pkg;
}

static Value fn_delete_package(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value pkg = find_package(th, args[0]);
  if (pkg == NIL) return NIL;
  if (package_of(pkg)->used_by != NIL)
    lisp_error(th, SYM(package_error), "Package ~A is used by other packages.", package_of(pkg)->name);
  th->vm->packages = remove_from(th, pkg, th->vm->packages);
  for (Value l = package_of(pkg)->use_list; is_cons(l); l = CDR(l))
    package_of(CAR(l))->used_by = remove_from(th, pkg, package_of(CAR(l))->used_by);
  package_of(pkg)->name = NIL;
  return SYM(t);
}

/* (%package-symbols package kind): kind :external, :internal, :inherited or :all */
static Value fn_package_symbols(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value pkg = package_arg(th, args[0]);
  Value kind = args[1];
  Value out = NIL;
  Value k, v;
  size_t i = 0;
  bool all = kind == keyword_c(th, "ALL");
  if (all || kind == keyword_c(th, "EXTERNAL"))
    while (hash_next(package_of(pkg)->externals, &i, &k, &v)) out = cons(th, v, out);
  i = 0;
  if (all || kind == keyword_c(th, "INTERNAL"))
    while (hash_next(package_of(pkg)->internals, &i, &k, &v)) out = cons(th, v, out);
  if (all || kind == keyword_c(th, "INHERITED"))
    for (Value u = package_of(pkg)->use_list; is_cons(u); u = CDR(u)) {
      i = 0;
      while (hash_next(package_of(CAR(u))->externals, &i, &k, &v)) {
        int st;
        Value mine = find_symbol(th, k, pkg, &st);
        if (st == 3 && mine == v) out = cons(th, v, out);
      }
    }
  return out;
}

static Value fn_packagep(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, is_type(args[0], T_PACKAGE));
}

static const NativeDesc symbol_natives[] = {
    {"SYMBOL-NAME", fn_symbol_name, 1, 1, 0, NULL, "(symbol)", "The name of SYMBOL, a string."},
    {"SYMBOL-PACKAGE", fn_symbol_package, 1, 1, 0, NULL, "(symbol)", "The home package of SYMBOL, or NIL."},
    {"SYMBOL-VALUE", fn_symbol_value, 1, 1, 0, NULL, "(symbol)", "The current dynamic value of SYMBOL."},
    {"SET", fn_set, 2, 2, 0, NULL, "(symbol value)", "Sets the dynamic value of SYMBOL."},
    {"BOUNDP", fn_boundp, 1, 1, 0, NULL, "(symbol)", "True if SYMBOL has a dynamic value."},
    {"MAKUNBOUND", fn_makunbound, 1, 1, 0, NULL, "(symbol)", "Makes SYMBOL unbound."},
    {"MAKE-SYMBOL", fn_make_symbol, 1, 1, 0, NULL, "(name)", "A fresh uninterned symbol named NAME."},
    {"COPY-SYMBOL", fn_copy_symbol, 1, 2, 0, NULL, "(symbol &optional copy-properties)", "A fresh uninterned copy of SYMBOL."},
    {"GENSYM", fn_gensym, 0, 1, 0, NULL, "(&optional x)", "A fresh uninterned symbol named from a prefix and *GENSYM-COUNTER*."},
    {"GENTEMP", fn_gentemp, 0, 2, 0, NULL, "(&optional prefix package)", "A fresh symbol interned in PACKAGE."},
    {"INTERN", fn_intern, 1, 2, NAT_MV, NULL, "(string &optional package)", "Finds or creates the symbol named STRING in PACKAGE."},
    {"FIND-SYMBOL", fn_find_symbol, 1, 2, NAT_MV, NULL, "(string &optional package)", "The symbol named STRING accessible in PACKAGE, and its status."},
    {"EXPORT", fn_export, 1, 2, 0, NULL, "(symbols &optional package)", "Makes SYMBOLS external in PACKAGE."},
    {"UNEXPORT", fn_unexport, 1, 2, 0, NULL, "(symbols &optional package)", "Makes SYMBOLS internal in PACKAGE."},
    {"IMPORT", fn_import, 1, 2, 0, NULL, "(symbols &optional package)", "Makes SYMBOLS present in PACKAGE."},
    {"SHADOWING-IMPORT", fn_shadowing_import, 1, 2, 0, NULL, "(symbols &optional package)", "Imports SYMBOLS, shadowing conflicting ones."},
    {"SHADOW", fn_shadow, 1, 2, 0, NULL, "(names &optional package)", "Makes PACKAGE's own symbols named NAMES shadow inherited ones."},
    {"UNINTERN", fn_unintern, 1, 2, 0, NULL, "(symbol &optional package)", "Removes SYMBOL from PACKAGE."},
    {"FIND-PACKAGE", fn_find_package, 1, 1, 0, NULL, "(name)", "The package named NAME, or NIL."},
    {"MAKE-PACKAGE", fn_make_package, 1, 1, 0, "nicknames use", "(name &key nicknames use)", "Creates a package."},
    {"PACKAGE-NAME", fn_package_name, 1, 1, 0, NULL, "(package)", "The name of PACKAGE."},
    {"PACKAGE-NICKNAMES", fn_package_nicknames, 1, 1, 0, NULL, "(package)", "The nicknames of PACKAGE."},
    {"PACKAGE-USE-LIST", fn_package_use_list, 1, 1, 0, NULL, "(package)", "The packages PACKAGE uses."},
    {"PACKAGE-USED-BY-LIST", fn_package_used_by_list, 1, 1, 0, NULL, "(package)", "The packages that use PACKAGE."},
    {"PACKAGE-SHADOWING-SYMBOLS", fn_package_shadowing_symbols, 1, 1, 0, NULL, "(package)", "PACKAGE's shadowing symbols."},
    {"LIST-ALL-PACKAGES", fn_list_all_packages, 0, 0, 0, NULL, "()", "A list of all packages."},
    {"USE-PACKAGE", fn_use_package, 1, 2, 0, NULL, "(packages &optional package)", "Makes PACKAGE inherit the external symbols of PACKAGES."},
    {"UNUSE-PACKAGE", fn_unuse_package, 1, 2, 0, NULL, "(packages &optional package)", "Undoes USE-PACKAGE."},
    {"RENAME-PACKAGE", fn_rename_package, 2, 3, 0, NULL, "(package new-name &optional new-nicknames)", "Renames PACKAGE."},
    {"DELETE-PACKAGE", fn_delete_package, 1, 1, 0, NULL, "(package)", "Deletes PACKAGE."},
    {"PACKAGEP", fn_packagep, 1, 1, 0, NULL, "(object)", "True if OBJECT is a package."},
    {"CCL::%PACKAGE-SYMBOLS", fn_package_symbols, 2, 2, 0, NULL, "(package kind)", "Symbols of PACKAGE of KIND (:external :internal :inherited :all)."},
    {0},
};

void builtins_symbols_init(Thread *th) { define_natives(th, symbol_natives); }
