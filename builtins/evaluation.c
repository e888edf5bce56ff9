/* evaluation.c — natives about evaluation itself: funcall, apply, eval, values,
 * function cells, macros, definitions (the targets of defun/defmacro/defvar). */
#include <alloca.h>

#include "../interp/compile.h"

static Value fn_funcall(Thread *th, int nargs, Value *args) { return call_function(th, args[0], nargs - 1, args + 1); }

static Value fn_apply(Thread *th, int nargs, Value *args) {
  Value fn = args[0];
  if (nargs == 2) return apply_list(th, fn, args[1]);
  Value spread = args[nargs - 1];
  intptr_t n = list_length(spread);
  if (n < 0 || !is_list(spread)) type_error(th, spread, SYM(list));
  int total = nargs - 2 + (int)n;
  if (total > CALL_ARGUMENTS_LIMIT) program_error(th, "Too many arguments (~D) in an application of ~S.", make_fixnum(total), fn);
  Value *v = total > 256 ? svec_of(make_svector(th, (size_t)total, NIL))->data : (Value *)alloca((size_t)total * sizeof(Value));
  int i = 0;
  for (; i < nargs - 2; i++) v[i] = args[i + 1];
  for (Value l = spread; is_cons(l); l = CDR(l)) v[i++] = CAR(l);
  return call_function(th, fn, total, v);
}

static Value fn_eval(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return eval_form(th, args[0]);
}

static Value fn_values(Thread *th, int nargs, Value *args) { return values_n(th, nargs, args); }

static Value fn_values_list(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value l = args[0];
  intptr_t n = list_length(l);
  if (n < 0 || !is_list(l)) type_error(th, l, SYM(list));
  if (n > MULTIPLE_VALUES_LIMIT) program_error(th, "Too many values (~D).", make_fixnum(n));
  int i = 0;
  for (; is_cons(l); l = CDR(l)) th->vals[i++] = CAR(l);
  th->nvals = i;
  return i ? th->vals[0] : NIL;
}

static Value check_function_name(Thread *th, Value name) {
  if (is_symbol(name)) return name;
  if (is_cons(name) && CAR(name) == SYM(setf) && is_cons(CDR(name)) && is_symbol(CAR(CDR(name))) &&
      CDR(CDR(name)) == NIL)
    return name;
  type_error_c(th, name, "(OR SYMBOL (CONS (EQL SETF) (CONS SYMBOL NULL)))");
}

static Value *function_cell(Thread *th, Value name) {
  check_function_name(th, name);
  if (is_symbol(name)) return &symbol_of(th, name)->function;
  return &symbol_of(th, CAR(CDR(name)))->setf_fn;
}

static Value fn_fboundp(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value *cell = function_cell(th, args[0]);
  if (*cell != UNBOUND) return SYM(t);
  if (is_symbol(args[0]) && (symbol_of(th, args[0])->h.flags & SYM_SPECIAL_OP)) return SYM(t);
  return NIL;
}

static Value fn_fdefinition(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value *cell = function_cell(th, args[0]);
  if (*cell == UNBOUND) {
    if (is_symbol(args[0]) && (symbol_of(th, args[0])->h.flags & SYM_SPECIAL_OP)) return args[0];
    undefined_function_error(th, args[0]);
  }
  return *cell;
}

static Value fn_set_fdefinition(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value fn = args[0];
  if (!is_function(fn) && !is_type(fn, T_MACRO)) type_error(th, fn, SYM(function_t));
  *function_cell(th, args[1]) = fn;
  return fn;
}

static Value fn_fmakunbound(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  *function_cell(th, args[0]) = UNBOUND;
  return args[0];
}

static Value fn_macro_function(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value sym = check_symbol(th, args[0]);
  Value env = arg_or(args[1], NIL);
  for (Value l = env; is_cons(l); l = CDR(l)) {
    Value r = CAR(l);
    if (!is_type(r, T_SVECTOR) || RF(r, RF_NAME) != sym) continue;
    intptr_t k = fixnum_val(RF(r, RF_KIND));
    if (k == R_MACRO) return RF(r, RF_EXTRA);
    if (k == R_FUN) return NIL;
  }
  Value f = symbol_of(th, sym)->function;
  return is_type(f, T_MACRO) ? ((Macro *)f)->expander : NIL;
}

static Value fn_set_macro_function(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value fn = args[0];
  Value sym = check_symbol(th, args[1]);
  if (!is_function(fn)) type_error(th, fn, SYM(function_t));
  Macro *m = gc_alloc(th, T_MACRO, sizeof(Macro));
  m->expander = fn;
  symbol_of(th, sym)->function = obj_value(m);
  return fn;
}

static Value fn_special_operator_p(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value sym = check_symbol(th, args[0]);
  if (sym == SYM(multiple_value_bind) || sym == SYM(named_lambda) || sym == SYM(macro_lambda) ||
      sym == SYM(destructuring_bind) || sym == SYM(declare))
    return NIL;
  return BOOL(th, symbol_of(th, sym)->h.flags & SYM_SPECIAL_OP);
}

static Value fn_macroexpand_1(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  bool expanded;
  Value r = macroexpand_1(th, args[0], arg_or(args[1], NIL), &expanded);
  return values2(th, r, BOOL(th, expanded));
}

static Value fn_macroexpand(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  bool expanded;
  Value r = macroexpand_all_top(th, args[0], arg_or(args[1], NIL), &expanded);
  return values2(th, r, BOOL(th, expanded));
}

/* (%defun name function): installs a global function; returns name. */
static Value fn_pct_defun(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value name = check_function_name(th, args[0]);
  Value fn = args[1];
  if (is_type(fn, T_CLOSURE) && closure_of(fn)->name == NIL) closure_of(fn)->name = name;
  Value *cell = function_cell(th, name);
  if (is_symbol(name) && (symbol_of(th, name)->h.flags & SYM_SPECIAL_OP))
    program_error(th, "~S is a special operator and can't be redefined as a function.", name);
  *cell = fn;
  return name;
}

/* (%defmacro name function) */
static Value fn_pct_defmacro(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value sym = check_symbol(th, args[0]);
  Value v[2] = {args[1], sym};
  fn_set_macro_function(th, 2, v);
  return sym;
}

/* (%proclaim-special symbol) */
static Value fn_pct_proclaim_special(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value sym = check_symbol(th, args[0]);
  if (symbol_of(th, sym)->h.flags & SYM_CONSTANT) program_error(th, "Can't declare constant ~S special.", sym);
  symbol_of(th, sym)->h.flags |= SYM_SPECIAL;
  return sym;
}

/* (%defconstant symbol value) */
static Value fn_pct_defconstant(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value sym = check_symbol(th, args[0]);
  Symbol *s = symbol_of(th, sym);
  if ((s->h.flags & SYM_CONSTANT) && s->value != UNBOUND && !equal(s->value, args[1]))
    simple_error(th, "Constant ~S is already defined with a different value (~S).", sym, s->value);
  if (s->h.flags & SYM_SPECIAL) program_error(th, "~S is already defined as a special variable.", sym);
  s->value = args[1];
  s->h.flags |= SYM_CONSTANT;
  return sym;
}

static Value fn_compile(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value name = args[0];
  Value def = arg_or(args[1], UNSUPPLIED);
  Value fn;
  if (def == UNSUPPLIED) {
    if (name == NIL) program_error(th, "COMPILE needs a definition when the name is NIL.");
    fn = *function_cell(th, name);
    if (fn == UNBOUND) undefined_function_error(th, name);
    if (is_type(fn, T_MACRO)) fn = ((Macro *)fn)->expander;
  } else if (is_function(def)) {
    fn = def;
  } else {
    fn = eval_form(th, list2(th, SYM(function), def));
  }
  if (name != NIL && def != UNSUPPLIED) *function_cell(th, name) = fn;
  return values3(th, name != NIL ? name : fn, NIL, NIL);
}

static Value fn_constantp(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value x = args[0];
  if (is_symbol(x)) return BOOL(th, x == NIL || (symbol_of(th, x)->h.flags & SYM_CONSTANT));
  if (is_cons(x)) return BOOL(th, CAR(x) == SYM(quote));
  return SYM(t);
}

static Value fn_functionp(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, is_function(args[0]));
}

static Value fn_function_name(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  if (!is_function(args[0])) type_error(th, args[0], SYM(function_t));
  return function_name(th, args[0]);
}

static Value fn_arglist(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value f = args[0];
  if (is_symbol(f)) {
    Value cell = symbol_of(th, f)->function;
    f = is_type(cell, T_MACRO) ? ((Macro *)cell)->expander : cell;
  }
  f = autoload_resolve(th, f);
  if (is_type(f, T_CLOSURE)) return values2(th, lambda_of(closure_of(f)->lambda)->lambda_list, SYM(t));
  if (is_type(f, T_NATIVE) && (native_of(f)->desc->flags & NAT_FUNCALLABLE))
    return values2(th, svec_of(native_of(f)->data)->data[FIN_LAMBDA_LIST], SYM(t));
  if (is_type(f, T_NATIVE)) {
    const char *ll = native_of(f)->desc->lambda_list;
    if (ll) return values2(th, read_from_cstring(th, ll), SYM(t));
  }
  return values2(th, NIL, NIL);
}

static Value fn_gc(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  UNUSED(args);
  gc_collect(th);
  return NIL;
}

/* Documentation lives with the function (its Lambda or native descriptor), and
 * for everything else in the symbol's plist under CCL::%DOCUMENTATION, an alist. */
static Value doc_key(Thread *th) { return intern_c(th, "%DOCUMENTATION", th->vm->pkg_ccl); }

static Value function_doc(Thread *th, Value fn) {
  if (is_type(fn, T_MACRO)) fn = ((Macro *)fn)->expander;
  fn = autoload_resolve(th, fn);
  if (is_type(fn, T_CLOSURE)) return lambda_of(closure_of(fn)->lambda)->doc;
  if (is_type(fn, T_NATIVE) && (native_of(fn)->desc->flags & NAT_FUNCALLABLE))
    return svec_of(native_of(fn)->data)->data[FIN_DOCUMENTATION];
  if (is_type(fn, T_NATIVE) && native_of(fn)->desc->doc) return make_string_c(th, native_of(fn)->desc->doc);
  return NIL;
}

static Value plist_doc_cell(Thread *th, Value sym, Value type) {
  Symbol *s = symbol_of(th, sym);
  Value key = doc_key(th);
  for (Value p = s->plist; is_cons(p) && is_cons(CDR(p)); p = CDR(CDR(p)))
    if (CAR(p) == key) {
      for (Value a = CAR(CDR(p)); is_cons(a); a = CDR(a))
        if (is_cons(CAR(a)) && CAR(CAR(a)) == type) return CAR(a);
      return NIL;
    }
  return NIL;
}

/* The docstrings of special operators, variables and classes are a table in
 * stdlib/docs.lisp, installed the first time anyone asks for documentation. */
static void install_documentation_table(Thread *th) {
  Value done = intern_c(th, "*DOCUMENTATION-INSTALLED*", th->vm->pkg_ccl);
  if (symbol_value_or(th, done, NIL) != NIL) return;
  symbol_of(th, done)->value = SYM(t);
  Value installer = intern_c(th, "%INSTALL-DOCUMENTATION", th->vm->pkg_ccl);
  if (symbol_of(th, installer)->function != UNBOUND) funcall0(th, installer);
}

static Value fn_documentation(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value x = args[0], type = args[1];
  install_documentation_table(th);
  if (is_function(x)) return function_doc(th, x);
  if (!is_symbol(x)) return NIL;
  Value cell = plist_doc_cell(th, x, type);
  if (cell != NIL) return CDR(cell);
  if (type == SYM(function_t) || type == intern_c(th, "FUNCTION", th->vm->pkg_cl)) {
    Value fn = symbol_of(th, x)->function;
    if (fn != UNBOUND) return function_doc(th, fn);
  }
  return NIL;
}

static Value fn_set_documentation(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value x = args[0], type = args[1], doc = args[2];
  if (is_type(x, T_CLOSURE)) {
    lambda_of(closure_of(x)->lambda)->doc = doc;
    return doc;
  }
  if (is_type(x, T_NATIVE) && (native_of(x)->desc->flags & NAT_FUNCALLABLE)) {
    svec_of(native_of(x)->data)->data[FIN_DOCUMENTATION] = doc;
    return doc;
  }
  Value sym = check_symbol(th, x);
  Value cell = plist_doc_cell(th, sym, type);
  if (cell != NIL) {
    CDR(cell) = doc;
    return doc;
  }
  Symbol *s = symbol_of(th, sym);
  Value key = doc_key(th);
  for (Value p = s->plist; is_cons(p) && is_cons(CDR(p)); p = CDR(CDR(p)))
    if (CAR(p) == key) {
      CAR(CDR(p)) = cons(th, cons(th, type, doc), CAR(CDR(p)));
      return doc;
    }
  s->plist = cons(th, key, cons(th, list1(th, cons(th, type, doc)), s->plist));
  return doc;
}

static const NativeDesc evaluation_natives[] = {
    {"DOCUMENTATION", fn_documentation, 2, 2, 0, NULL, "(x doc-type)", "The documentation string of X of kind DOC-TYPE."},
    {"CCL::%SET-DOCUMENTATION", fn_set_documentation, 3, 3, 0, NULL, "(x doc-type string)", "Sets documentation."},
    {"FUNCALL", fn_funcall, 1, 1, NAT_REST | NAT_MV, NULL, "(function &rest args)", "Calls FUNCTION with ARGS."},
    {"APPLY", fn_apply, 2, 2, NAT_REST | NAT_MV, NULL, "(function arg &rest args)",
     "Calls FUNCTION with the ARGS followed by the elements of the last argument, a list."},
    {"EVAL", fn_eval, 1, 1, NAT_MV, NULL, "(form)", "Evaluates FORM in the null lexical environment."},
    {"VALUES", fn_values, 0, 0, NAT_REST | NAT_MV, NULL, "(&rest values)", "Returns its arguments as multiple values."},
    {"VALUES-LIST", fn_values_list, 1, 1, NAT_MV, NULL, "(list)", "Returns the elements of LIST as multiple values."},
    {"FBOUNDP", fn_fboundp, 1, 1, 0, NULL, "(name)", "True if NAME has a global function, macro or special operator definition."},
    {"FDEFINITION", fn_fdefinition, 1, 1, 0, NULL, "(name)", "The global function definition of NAME."},
    {"SYMBOL-FUNCTION", fn_fdefinition, 1, 1, 0, NULL, "(symbol)", "The global function definition of SYMBOL."},
    {"CCL::%SET-FDEFINITION", fn_set_fdefinition, 2, 2, 0, NULL, "(function name)", "Implements (setf fdefinition)."},
    {"FMAKUNBOUND", fn_fmakunbound, 1, 1, 0, NULL, "(name)", "Removes the global function definition of NAME."},
    {"MACRO-FUNCTION", fn_macro_function, 1, 2, 0, NULL, "(symbol &optional environment)",
     "The macro expander of SYMBOL, or NIL."},
    {"CCL::%SET-MACRO-FUNCTION", fn_set_macro_function, 2, 2, 0, NULL, "(function symbol)", "Implements (setf macro-function)."},
    {"SPECIAL-OPERATOR-P", fn_special_operator_p, 1, 1, 0, NULL, "(symbol)", "True if SYMBOL names a special operator."},
    {"MACROEXPAND-1", fn_macroexpand_1, 1, 2, NAT_MV, NULL, "(form &optional environment)",
     "Expands FORM once if it is a macro form; second value true if it was."},
    {"MACROEXPAND", fn_macroexpand, 1, 2, NAT_MV, NULL, "(form &optional environment)",
     "Expands FORM repeatedly until it is not a macro form; second value true if it was expanded."},
    {"CCL::%DEFUN", fn_pct_defun, 2, 2, 0, NULL, "(name function)", "Installs FUNCTION as the global definition of NAME."},
    {"CCL::%DEFMACRO", fn_pct_defmacro, 2, 2, 0, NULL, "(name function)", "Installs FUNCTION as the macro expander of NAME."},
    {"CCL::%PROCLAIM-SPECIAL", fn_pct_proclaim_special, 1, 1, 0, NULL, "(symbol)", "Proclaims SYMBOL special."},
    {"CCL::%DEFCONSTANT", fn_pct_defconstant, 2, 2, 0, NULL, "(symbol value)", "Defines SYMBOL as a constant."},
    {"COMPILE", fn_compile, 1, 2, NAT_MV, NULL, "(name &optional definition)",
     "Returns the function (every function is already compiled); with DEFINITION, installs it under NAME."},
    {"CONSTANTP", fn_constantp, 1, 2, 0, NULL, "(form &optional environment)", "True if FORM always evaluates to the same value."},
    {"FUNCTIONP", fn_functionp, 1, 1, 0, NULL, "(object)", "True if OBJECT is a function."},
    {"CCL:FUNCTION-NAME", fn_function_name, 1, 1, 0, NULL, "(function)", "The name of FUNCTION, or NIL."},
    {"CCL:ARGLIST", fn_arglist, 1, 1, NAT_MV, NULL, "(function-or-name)", "The lambda list of a function."},
    {"CCL:GC", fn_gc, 0, 0, 0, NULL, "()", "Runs a full garbage collection."},
    {0},
};

void builtins_evaluation_init(Thread *th) { define_natives(th, evaluation_natives); }
