/* clos.c — the natives under stdlib/clos.lisp: standard classes and their instances (slot
 * vectors that end in their layout), and generic functions with their dispatch caches. */
#include "../interp/stream.h"
#include "../interp/types_internal.h"
#include "clos.h"

/* ---- Instances ----
 * A DEFCLASS instance's slot vector has one element per effective slot, then its layout:
 * the effective slot list of the class when the vector was made. Redefining the class
 * gives it a new list, so a stale vector is recognised at the next access and brought up
 * to date by CCL::%UPDATE-OBSOLETE-INSTANCE (the standard's lazy update). A shared slot
 * (:allocation :class) holds the class's Box for it in every instance. */

static Value check_class_arg(Thread *th, Value c) {
  if (!is_type(c, T_CLASS)) type_error(th, c, type_symbol(th, "CLASS"));
  return c;
}

static Instance *check_instance(Thread *th, Value x) {
  if (!is_type(x, T_INSTANCE)) type_error(th, x, SYM(standard_object));
  return instance_of(x);
}

static bool standard_class_p(Value c) { return is_type(c, T_CLASS) && obj_of(c)->flags == CK_STANDARD; }

static bool layout_current(Instance *in) {
  if (!standard_class_p(in->klass)) return true;
  Class *k = class_of_obj(in->klass);
  size_t n = (size_t)fixnum_val(k->nslots);
  return is_type(in->slots, T_SVECTOR) && svec_of(in->slots)->len == n + 1 && svec_of(in->slots)->data[n] == k->slots;
}

Value clos_instance_slots(Thread *th, Value x) {
  Instance *in = check_instance(th, x);
  if (!layout_current(in)) {
    funcall1(th, intern_c(th, "%UPDATE-OBSOLETE-INSTANCE", th->vm->pkg_ccl), x);
    if (!layout_current(in)) simple_error(th, "Could not update the obsolete instance ~S.", x);
  }
  return in->slots;
}

static Value *slot_cell(Thread *th, Value x, Value index) {
  Value slots = clos_instance_slots(th, x);
  size_t n = svec_of(slots)->len - (standard_class_p(instance_of(x)->klass) ? 1 : 0);
  if (!is_fixnum(index) || fixnum_val(index) < 0 || (size_t)fixnum_val(index) >= n)
    type_error_c(th, index, "(INTEGER 0 *)");
  Value *cell = &svec_of(slots)->data[fixnum_val(index)];
  return is_type(*cell, T_BOX) ? &box_of(*cell)->value : cell;
}

/* The instance template of a standard class: every local slot unbound, the shared slots'
 * Boxes, the layout. Kept in the class plist under :INSTANCE, remade when stale. */
static Value instance_template(Thread *th, Value cls) {
  Class *c = class_of_obj(cls);
  Value key = ts_ref(th, TS_K_INSTANCE);
  size_t n = (size_t)fixnum_val(c->nslots);
  Value t = plist_get(c->plist, key, NIL);
  if (is_type(t, T_SVECTOR) && svec_of(t)->len == n + 1 && svec_of(t)->data[n] == c->slots) return t;
  t = make_svector(th, n + 1, UNBOUND);
  Value kcell = keyword_c(th, "CELL");
  size_t i = 0;
  for (Value l = c->slots; is_cons(l) && i < n; l = CDR(l), i++) {
    Value cell = plist_get(CAR(l), kcell, NIL);
    if (is_type(cell, T_BOX)) svec_of(t)->data[i] = cell;
  }
  svec_of(t)->data[n] = c->slots;
  c->plist = plist_put(th, c->plist, key, t);
  return t;
}

static Value fresh_slot_vector(Thread *th, Value cls) {
  Value t = instance_template(th, cls);
  size_t n = svec_of(t)->len;
  Value v = make_svector(th, n, NIL);
  memcpy(svec_of(v)->data, svec_of(t)->data, n * sizeof(Value));
  return v;
}

/* (%define-standard-class name supers direct-slots default-initargs documentation) */
static Value fn_define_standard_class(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value cls = define_class(th, CK_STANDARD, args[0], args[1], args[2]);
  Class *c = class_of_obj(cls);
  c->default_initargs = args[3];
  c->plist = plist_put(th, c->plist, ts_ref(th, TS_K_DOCUMENTATION), args[4]);
  return cls;
}

static Value fn_class_slots(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return class_of_obj(check_class_arg(th, args[0]))->slots;
}

static Value fn_class_direct_slots(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return plist_get(class_of_obj(check_class_arg(th, args[0]))->plist, ts_ref(th, TS_K_DIRECT_SLOTS), NIL);
}

static Value fn_class_cpl(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return class_of_obj(check_class_arg(th, args[0]))->cpl;
}

static Value fn_class_supers(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return class_of_obj(check_class_arg(th, args[0]))->supers;
}

static Value fn_class_subclasses(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return class_of_obj(check_class_arg(th, args[0]))->subclasses;
}

static Value fn_class_default_initargs(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return class_of_obj(check_class_arg(th, args[0]))->default_initargs;
}

static Value fn_class_documentation(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return plist_get(class_of_obj(check_class_arg(th, args[0]))->plist, ts_ref(th, TS_K_DOCUMENTATION), NIL);
}

/* (%class-kind class): :STANDARD, :STRUCTURE, :CONDITION or :BUILT-IN */
static Value fn_class_kind(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  static const char *const kinds[] = {"BUILT-IN", "STRUCTURE", "CONDITION", "STANDARD"};
  unsigned k = obj_of(check_class_arg(th, args[0]))->flags;
  return keyword_c(th, kinds[k < 4 ? k : 0]);
}

/* (%class-new-layout class): MAKE-INSTANCES-OBSOLETE — the same slots, a new layout. */
static Value fn_class_new_layout(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Class *c = class_of_obj(check_class_arg(th, args[0]));
  Value out = NIL;
  for (Value l = c->slots; is_cons(l); l = CDR(l)) out = cons(th, CAR(l), out);
  c->slots = nreverse_list(out);
  return args[0];
}

static Value fn_standard_class_p(Thread *th, int nargs, Value *args) {
  UNUSED(nargs), UNUSED(th);
  return standard_class_p(args[0]) ? SYM(t) : NIL;
}

static Value fn_std_instance_p(Thread *th, int nargs, Value *args) {
  UNUSED(nargs), UNUSED(th);
  Value x = args[0];
  return is_type(x, T_INSTANCE) && standard_class_p(instance_of(x)->klass) ? SYM(t) : NIL;
}

/* (%allocate-std-instance class): local slots unbound, shared slots shared */
static Value fn_allocate_std_instance(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value cls = check_class_arg(th, args[0]);
  if (!standard_class_p(cls)) simple_error(th, "Can't allocate an instance of ~S.", cls);
  Value slots = fresh_slot_vector(th, cls);
  Instance *in = gc_alloc(th, T_INSTANCE, sizeof(Instance));
  in->klass = cls;
  in->slots = slots;
  return obj_value(in);
}

/* (%make-std-slot-vector class): a slot vector in the class's current layout */
static Value fn_make_std_slot_vector(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value cls = check_class_arg(th, args[0]);
  if (!standard_class_p(cls)) simple_error(th, "Can't allocate an instance of ~S.", cls);
  return fresh_slot_vector(th, cls);
}

/* (%std-slot-ref instance index unbound-marker) */
static Value fn_std_slot_ref(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value v = *slot_cell(th, args[0], args[1]);
  return v == UNBOUND ? args[2] : v;
}

static Value fn_std_slot_set(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return *slot_cell(th, args[0], args[1]) = args[2];
}

static Value fn_std_slot_makunbound(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  *slot_cell(th, args[0], args[1]) = UNBOUND;
  return args[0];
}

/* The cell of the slot named name of a standard, structure or condition instance, or NULL. */
static Value *named_slot_cell(Thread *th, Value x, Value name) {
  if (!is_type(x, T_INSTANCE)) return NULL;
  Value k = instance_of(x)->klass;
  if (!is_type(k, T_CLASS) || obj_of(k)->flags == CK_BUILTIN) return NULL;
  Value slots = clos_instance_slots(th, x);
  size_t i = 0, n = svec_of(slots)->len;
  Value kname = SYM(k_name);
  for (Value l = class_of_obj(k)->slots; is_cons(l) && i < n; l = CDR(l), i++) {
    Value def = CAR(l);
    if ((is_symbol(def) ? def : plist_get(def, kname, UNBOUND)) == name) {
      Value *cell = &svec_of(slots)->data[i];
      return is_type(*cell, T_BOX) ? &box_of(*cell)->value : cell;
    }
  }
  return NULL;
}

/* (%slot-value-or object name marker): the value, or marker when the slot is unbound or
 * missing (or object is no instance): SLOT-VALUE's fast path. */
static Value fn_slot_value_or(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value *cell = named_slot_cell(th, args[0], args[1]);
  return !cell || *cell == UNBOUND ? args[2] : *cell;
}

/* SLOT-VALUE: a bound slot of an instance is read here; the rest (unbound, missing, a
 * socket's slots) is CCL::%SLOT-VALUE-SLOW's, in stdlib/clos.lisp. */
static Value fn_slot_value(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value *cell = named_slot_cell(th, args[0], args[1]);
  if (cell && *cell != UNBOUND) return *cell;
  return funcall2(th, intern_c(th, "%SLOT-VALUE-SLOW", th->vm->pkg_ccl), args[0], args[1]);
}

/* (%set-slot-value-if-exists object name value): true when done */
static Value fn_set_slot_value_if_exists(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value *cell = named_slot_cell(th, args[0], args[1]);
  if (!cell) return NIL;
  *cell = args[2];
  return SYM(t);
}

static Value fn_std_instance_slots(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return check_instance(th, args[0])->slots;
}

/* (%std-instance-become instance class slot-vector): CHANGE-CLASS and the update of an
 * obsolete instance install the new class and slots at once. */
static Value fn_std_instance_become(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Instance *in = check_instance(th, args[0]);
  check_class_arg(th, args[1]);
  if (!is_type(args[2], T_SVECTOR)) type_error(th, args[2], SYM(simple_vector));
  in->klass = args[1];
  in->slots = args[2];
  return args[0];
}

/* (%copy-std-instance instance): another instance with the same class and slot vector,
 * the "previous" object UPDATE-INSTANCE-FOR-DIFFERENT-CLASS receives. */
static Value fn_copy_std_instance(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Instance *old = check_instance(th, args[0]);
  Instance *in = gc_alloc(th, T_INSTANCE, sizeof(Instance));
  in->klass = old->klass;
  in->slots = old->slots;
  return obj_value(in);
}

static Value fn_std_instance_current_slots(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return clos_instance_slots(th, args[0]);
}

/* Slot vectors handled as such (an old layout being copied, a socket's side slots). */
static Value *vector_cell(Thread *th, Value v, Value index) {
  if (!is_type(v, T_SVECTOR)) type_error(th, v, SYM(simple_vector));
  if (!is_fixnum(index) || fixnum_val(index) < 0 || (size_t)fixnum_val(index) >= svec_of(v)->len)
    type_error_c(th, index, "(INTEGER 0 *)");
  Value *cell = &svec_of(v)->data[fixnum_val(index)];
  return is_type(*cell, T_BOX) ? &box_of(*cell)->value : cell;
}

/* (%slot-vector-ref vector index marker) */
static Value fn_slot_vector_ref(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value v = *vector_cell(th, args[0], args[1]);
  return v == UNBOUND ? args[2] : v;
}

static Value fn_slot_vector_set(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return *vector_cell(th, args[0], args[1]) = args[2];
}

static Value fn_slot_vector_makunbound(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  *vector_cell(th, args[0], args[1]) = UNBOUND;
  return args[0];
}

/* (%slot-vector-layout vector): the effective slot list the vector was laid out for */
static Value fn_slot_vector_layout(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value v = args[0];
  if (!is_type(v, T_SVECTOR) || svec_of(v)->len == 0) type_error(th, v, SYM(simple_vector));
  return svec_of(v)->data[svec_of(v)->len - 1];
}

/* (%transfer-slots from to pairs): for each (i . j), slot i of FROM (read through a shared
 * slot's cell) becomes slot j of TO, unbound or not. */
static Value fn_transfer_slots(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  for (Value l = args[2]; is_cons(l); l = CDR(l)) {
    if (!is_cons(CAR(l))) type_error(th, CAR(l), SYM(cons));
    Value v = *vector_cell(th, args[0], CAR(CAR(l)));
    *vector_cell(th, args[1], CDR(CAR(l))) = v;
  }
  return args[1];
}

static Value fn_make_shared_slot_cell(Thread *th, int nargs, Value *args) {
  UNUSED(nargs), UNUSED(args);
  return make_box(th, UNBOUND);
}

/* (%shared-slot-cell-value cell marker) and (%set-shared-slot-cell-value cell value) */
static Value fn_shared_slot_cell_value(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  if (!is_type(args[0], T_BOX)) type_error(th, args[0], SYM(t));
  Value v = box_of(args[0])->value;
  return v == UNBOUND ? args[1] : v;
}

static Value fn_set_shared_slot_cell_value(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  if (!is_type(args[0], T_BOX)) type_error(th, args[0], SYM(t));
  return box_of(args[0])->value = args[1];
}

/* (%set-object-class object class): a socket joins a subclass of its class. */
static Value fn_set_object_class(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value x = args[0], cls = check_class_arg(th, args[1]);
  if (is_stream(x)) {
    stream_of(x)->klass = cls;
  } else if (is_type(x, T_FOREIGN)) {
    if (find_class(th, class_of_obj(cls)->name, false) != cls)
      simple_error(th, "~S is not the class named ~S.", cls, class_of_obj(cls)->name);
    ((Foreign *)x)->tag = class_of_obj(cls)->name;
  } else {
    simple_error(th, "Can't change the class of ~S.", x);
  }
  return x;
}

/* (%object-side-slots object): the slot vector of a socket that CHANGE-CLASS made an
 * instance of a DEFCLASS subclass, or NIL. It lives in the object, and dies with it. */
static Value *side_slots_field(Value x) {
  if (is_stream(x)) return &stream_of(x)->slots;
  if (is_type(x, T_FOREIGN)) return &((Foreign *)x)->slots;
  return NULL;
}

static Value fn_object_side_slots(Thread *th, int nargs, Value *args) {
  UNUSED(nargs), UNUSED(th);
  Value *f = side_slots_field(args[0]);
  return f && *f ? *f : NIL;
}

static Value fn_set_object_side_slots(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value *f = side_slots_field(args[0]);
  if (!f) simple_error(th, "~S can't have slots of its own.", args[0]);
  if (args[1] != NIL && !is_type(args[1], T_SVECTOR)) type_error(th, args[1], SYM(simple_vector));
  return *f = args[1];
}

/* ---- MAKE-INSTANCE's fast path ----
 * stdlib/clos-instances.lisp computes once per class a record #(valid-initargs standard-p
 * plan defaults): the initargs it accepts (or T), whether only the standard methods of the
 * instance protocol apply, (index initargs initfunction) per slot, (initarg function) per
 * default initarg. These two natives run a MAKE-INSTANCE from it. */

static bool plist_key_p(Value plist, Value key) {
  for (Value l = plist; is_cons(l) && is_cons(CDR(l)); l = CDR(CDR(l)))
    if (CAR(l) == key) return true;
  return false;
}

static Value ctor_field(Thread *th, Value ctor, size_t i) {
  if (!is_type(ctor, T_SVECTOR) || svec_of(ctor)->len < 4) type_error(th, ctor, SYM(simple_vector));
  return svec_of(ctor)->data[i];
}

/* (%ctor-initargs ctor initargs class): INITARGS with the defaults it lacks appended,
 * checked against the valid ones. */
static Value fn_ctor_initargs(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value ctor = args[0], initargs = args[1];
  Value extra = NIL;
  for (Value d = ctor_field(th, ctor, 3); is_cons(d); d = CDR(d)) {
    Value key = CAR(CAR(d));
    if (plist_key_p(initargs, key) || plist_key_p(extra, key)) continue;
    Value v = funcall0(th, CAR(CDR(CAR(d))));
    extra = cons(th, v, cons(th, key, extra));
  }
  if (extra != NIL) {
    Value all = nreverse_list(extra);
    Value rev = NIL;
    for (Value l = initargs; is_cons(l); l = CDR(l)) rev = cons(th, CAR(l), rev);
    for (; is_cons(rev); rev = CDR(rev)) all = cons(th, CAR(rev), all);
    initargs = all;
  }
  Value valid = ctor_field(th, ctor, 0);
  if (valid == SYM(t)) return initargs;
  for (Value l = initargs; is_cons(l) && is_cons(CDR(l)); l = CDR(CDR(l)))
    if (CAR(l) == SYM(k_allow_other_keys) && CAR(CDR(l)) != NIL) return initargs;
  for (Value l = initargs; is_cons(l) && is_cons(CDR(l)); l = CDR(CDR(l)))
    if (CAR(l) != SYM(k_allow_other_keys) && !memq_list(CAR(l), valid)) {
      Value e[4] = {CAR(l), intern_c(th, "INITIALIZE-INSTANCE", th->vm->pkg_cl), args[2], valid};
      call_function(th, intern_c(th, "%INITARGS-ERROR", th->vm->pkg_ccl), 4, e);
    }
  return initargs;
}

/* (%ctor-make class plan initargs): a new instance with its slots filled from INITARGS, or
 * else from their initforms. */
static Value fn_ctor_make(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value cls = check_class_arg(th, args[0]);
  if (!standard_class_p(cls)) simple_error(th, "Can't allocate an instance of ~S.", cls);
  Value slots = fresh_slot_vector(th, cls);
  Instance *in = gc_alloc(th, T_INSTANCE, sizeof(Instance));
  in->klass = cls;
  in->slots = slots;
  size_t n = svec_of(slots)->len - 1;
  for (Value p = args[1]; is_cons(p); p = CDR(p)) {
    Value e = CAR(p);
    intptr_t i = fixnum_val(CAR(e));
    if (i < 0 || (size_t)i >= n) continue;
    Value names = CAR(CDR(e)), initfn = CAR(CDR(CDR(e)));
    bool found = false;
    for (Value l = args[2]; is_cons(l) && is_cons(CDR(l)); l = CDR(CDR(l)))
      if (memq_list(CAR(l), names)) {
        Value *cell = &svec_of(slots)->data[i];
        *(is_type(*cell, T_BOX) ? &box_of(*cell)->value : cell) = CAR(CDR(l));
        found = true;
        break;
      }
    if (!found && initfn != NIL && clos_slot_entry(svec_of(slots)->data[i]) == UNBOUND) {
      Value v = funcall0(th, initfn);
      Value *cell = &svec_of(slots)->data[i];
      *(is_type(*cell, T_BOX) ? &box_of(*cell)->value : cell) = v;
    }
  }
  return obj_value(in);
}

/* ---- Slot accessors ----
 * The effective method of a reader or writer alone on a standard class: a native that
 * knows the slot's index in that class (builtins/clos.c's cache is per class, and
 * redefining a class clears it). Anything unusual goes through SLOT-VALUE. */

static Value slot_reader(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value data = native_of(th->native_self)->data; /* (index . slot-name) */
  Value x = args[0];
  if (is_type(x, T_INSTANCE) && standard_class_p(instance_of(x)->klass)) {
    Value slots = clos_instance_slots(th, x);
    intptr_t i = fixnum_val(CAR(data));
    if ((size_t)i + 1 < svec_of(slots)->len) {
      Value v = clos_slot_entry(svec_of(slots)->data[i]);
      if (v != UNBOUND) return v;
    }
  }
  return funcall2(th, intern_c(th, "SLOT-VALUE", th->vm->pkg_cl), x, CDR(data));
}

static Value slot_writer(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value data = native_of(th->native_self)->data;
  Value x = args[1];
  if (is_type(x, T_INSTANCE) && standard_class_p(instance_of(x)->klass)) {
    Value slots = clos_instance_slots(th, x);
    intptr_t i = fixnum_val(CAR(data));
    if ((size_t)i + 1 < svec_of(slots)->len && !is_type(svec_of(slots)->data[i], T_BOX))
      return svec_of(slots)->data[i] = args[0];
  }
  return funcall3(th, intern_c(th, "%SET-SLOT-VALUE", th->vm->pkg_ccl), args[0], x, CDR(data));
}

static const NativeDesc slot_reader_desc = {"CCL::%SLOT-READER", slot_reader, 1, 1, 0, NULL, "(object)",
                                            "Reads one slot of a standard instance."};
static const NativeDesc slot_writer_desc = {"CCL::%SLOT-WRITER", slot_writer, 2, 2, 0, NULL, "(value object)",
                                            "Writes one slot of a standard instance."};

/* (%make-slot-accessor writerp index slot-name) */
static Value fn_make_slot_accessor(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  if (!is_fixnum(args[1]) || fixnum_val(args[1]) < 0) type_error_c(th, args[1], "(INTEGER 0 *)");
  Value f = make_native(th, args[0] != NIL ? &slot_writer_desc : &slot_reader_desc, args[2]);
  native_of(f)->data = cons(th, args[1], args[2]);
  return f;
}

/* ---- Generic functions ----
 * A generic function is a native whose descriptor says NAT_FUNCALLABLE and whose data
 * holds the fields below. Calling it computes a key per specialized argument (its class,
 * or the interned (EQL object) specializer it matches) and looks the keys up in an open-
 * addressed table of effective method functions; a miss asks stdlib/clos.lisp's
 * %GF-MISS for the function and stores it. Adding or removing a method, or redefining a
 * class, clears the table. */

enum GfData {
  GF_INFO = FIN_HEADER, /* the Lisp side's record (a %GF structure) */
  GF_NSPEC,             /* fixnum: how many leading arguments are keys */
  GF_NREQ,              /* fixnum: required arguments */
  GF_MAX,               /* fixnum: most arguments, or -1 (&rest, &key) */
  GF_EQLS,              /* NIL, or an SVector per key position: list of its (EQL x) specializers */
  GF_CACHE,             /* NIL or SVector of entries [key ... emf], emf NIL when empty */
  GF_COUNT,             /* fixnum: entries in the cache */
  GF_GEN,               /* fixnum: bumped when the cache is cleared */
  GF_MISS,              /* function of (info args) returning the effective method function */
  GF_LAST_KEY,          /* the one-key dispatch's last class, and its effective method: a */
  GF_LAST_EMF,          /* call site that sees one class skips the table */
  GF_LEN
};

static Value gf_dispatch(Thread *th, int nargs, Value *args);

static const NativeDesc gf_desc = {"CCL::%GF-DISPATCH", gf_dispatch, 0, 0, NAT_REST | NAT_MV | NAT_FUNCALLABLE, NULL,
                                   "(&rest args)", "A generic function."};

static Value *gf_data(Thread *th, Value f) {
  if (!clos_generic_function_p(f)) type_error(th, f, type_symbol(th, "GENERIC-FUNCTION"));
  return svec_of(native_of(f)->data)->data;
}

static Value gf_key(Thread *th, const Value *d, intptr_t i, Value arg) {
  if (d[GF_EQLS] != NIL)
    for (Value l = svec_of(d[GF_EQLS])->data[i]; is_cons(l); l = CDR(l))
      if (eql(CAR(CDR(CAR(l))), arg)) return CAR(l);
  return is_type(arg, T_INSTANCE) ? instance_of(arg)->klass : class_of(th, arg);
}

static size_t gf_hash(const Value *keys, intptr_t k) {
  uint64_t h = 0;
  for (intptr_t i = 0; i < k; i++) h = (h ^ (uint64_t)(keys[i] >> 4)) * 0x9E3779B97F4A7C15ull;
  return (size_t)(h >> 24);
}

static Value gf_lookup(Value cache, const Value *keys, intptr_t k, size_t h) {
  if (cache == NIL) return NIL;
  SVector *c = svec_of(cache);
  size_t w = (size_t)k + 1, cap = c->len / w, j = h & (cap - 1);
  for (size_t n = 0; n < cap; n++, j = (j + 1) & (cap - 1)) {
    const Value *e = &c->data[j * w];
    if (e[k] == NIL) return NIL;
    intptr_t i = 0;
    while (i < k && e[i] == keys[i]) i++;
    if (i == k) return e[k];
  }
  return NIL;
}

static void gf_insert(Value cache, const Value *keys, intptr_t k, size_t h, Value emf) {
  SVector *c = svec_of(cache);
  size_t w = (size_t)k + 1, cap = c->len / w, j = h & (cap - 1);
  while (c->data[j * w + (size_t)k] != NIL) j = (j + 1) & (cap - 1);
  memcpy(&c->data[j * w], keys, (size_t)k * sizeof(Value));
  c->data[j * w + (size_t)k] = emf;
}

static void gf_store(Thread *th, Value *d, const Value *keys, intptr_t k, size_t h, Value emf) {
  size_t w = (size_t)k + 1;
  Value cache = d[GF_CACHE];
  size_t cap = cache == NIL ? 0 : svec_of(cache)->len / w, count = (size_t)fixnum_val(d[GF_COUNT]);
  if ((count + 1) * 2 > cap) {
    size_t ncap = cap ? cap * 2 : 4;
    Value fresh = make_svector(th, ncap * w, NIL);
    for (size_t j = 0; j < cap; j++) {
      const Value *e = &svec_of(cache)->data[j * w];
      if (e[k] != NIL) gf_insert(fresh, e, k, gf_hash(e, k), e[k]);
    }
    d[GF_CACHE] = cache = fresh;
  }
  gf_insert(cache, keys, k, h, emf);
  d[GF_COUNT] = make_fixnum((intptr_t)count + 1);
}

static NORETURN void gf_arg_count_error(Thread *th, Value gf, int nargs, intptr_t nreq, intptr_t max) {
  Value n = make_fixnum(nargs);
  if (nargs < nreq)
    program_error(th, nargs == 1 ? "Too few arguments in call to ~S:~%~D argument provided, at least ~D required. "
                                 : "Too few arguments in call to ~S:~%~D arguments provided, at least ~D required. ",
                  gf, n, make_fixnum(nreq));
  program_error(th, nargs == 1 ? "Too many arguments in call to ~S:~%~D argument provided, at most ~D accepted. "
                               : "Too many arguments in call to ~S:~%~D arguments provided, at most ~D accepted. ",
                gf, n, make_fixnum(max));
}

/* The effective method for a call whose keys are the first k arguments' (k may be 0). */
static __attribute__((noinline)) Value gf_lookup_general(Thread *th, Value *d, intptr_t k, int nargs, Value *args) {
  Value keys[k > 0 ? k : 1];
  for (intptr_t i = 0; i < k; i++) keys[i] = gf_key(th, d, i, args[i]);
  size_t h = gf_hash(keys, k);
  Value emf = gf_lookup(d[GF_CACHE], keys, k, h);
  if (emf == NIL) {
    Value gen = d[GF_GEN];
    emf = funcall2(th, d[GF_MISS], d[GF_INFO], list_from_array(th, nargs, args));
    if (!is_function(emf)) type_error(th, emf, SYM(function_t));
    /* The miss may have changed the methods: then its answer is not for the table. */
    if (d[GF_GEN] == gen && fixnum_val(d[GF_NSPEC]) == k) gf_store(th, d, keys, k, h, emf);
  }
  return emf;
}

static Value gf_dispatch(Thread *th, int nargs, Value *args) {
  Value self = th->native_self;
  Value *d = svec_of(native_of(self)->data)->data;
  intptr_t nreq = fixnum_val(d[GF_NREQ]), max = fixnum_val(d[GF_MAX]);
  if (nargs < nreq || (max >= 0 && nargs > max)) gf_arg_count_error(th, self, nargs, nreq, max);
  intptr_t k = fixnum_val(d[GF_NSPEC]);
  Value emf, key[1]; /* an array: no address is taken of a scoped variable (ASan) */
  if (k == 1 && d[GF_EQLS] == NIL) { /* the common case: one specialized argument, no EQL */
    Value a = args[0];
    key[0] = is_type(a, T_INSTANCE) ? instance_of(a)->klass : class_of(th, a);
    if (key[0] == d[GF_LAST_KEY]) {
      emf = d[GF_LAST_EMF];
    } else {
      Value gen = d[GF_GEN];
      emf = gf_lookup_general(th, d, 1, nargs, args);
      if (d[GF_GEN] == gen) {
        d[GF_LAST_KEY] = key[0];
        d[GF_LAST_EMF] = emf;
      }
    }
  } else {
    emf = gf_lookup_general(th, d, k, nargs, args);
  }
  /* A tail call: invoke (eval.c) runs the method in this call's frame. */
  th->tc_fn = emf;
  th->tc_nargs = nargs;
  if (nargs) memmove(th->tc_args, args, (size_t)nargs * sizeof(Value));
  return TAIL_MARK;
}

static void gf_clear(Value *d) {
  d[GF_CACHE] = NIL;
  d[GF_LAST_KEY] = d[GF_LAST_EMF] = NIL;
  d[GF_COUNT] = make_fixnum(0);
  d[GF_GEN] = make_fixnum(fixnum_val(d[GF_GEN]) + 1);
}

/* (%make-generic-function name lambda-list info miss) */
static Value fn_make_generic_function(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value data = make_svector(th, GF_LEN, NIL);
  Value *d = svec_of(data)->data;
  d[FIN_CLASS] = find_class(th, type_symbol(th, "STANDARD-GENERIC-FUNCTION"), true);
  d[FIN_LAMBDA_LIST] = args[1];
  d[GF_INFO] = args[2];
  d[GF_MISS] = args[3];
  d[GF_NSPEC] = make_fixnum(0);
  d[GF_NREQ] = make_fixnum(0);
  d[GF_MAX] = make_fixnum(-1);
  d[GF_COUNT] = make_fixnum(0);
  d[GF_GEN] = make_fixnum(0);
  Value f = make_native(th, &gf_desc, args[0]);
  native_of(f)->data = data;
  return f;
}

static Value fn_generic_function_info(Thread *th, int nargs, Value *args) {
  UNUSED(nargs), UNUSED(th);
  return clos_generic_function_p(args[0]) ? svec_of(native_of(args[0])->data)->data[GF_INFO] : NIL;
}

/* (%gf-set-dispatch gf nspec nreq max eqls) */
static Value fn_gf_set_dispatch(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value *d = gf_data(th, args[0]);
  intptr_t nspec = integer_to_intptr(th, args[1], 0, 1000, "(INTEGER 0 1000)");
  intptr_t nreq = integer_to_intptr(th, args[2], 0, 100000, "(INTEGER 0 100000)");
  if (nspec > nreq) simple_error(th, "More specialized arguments (~S) than required ones (~S).", args[1], args[2]);
  if (args[4] != NIL && (!is_type(args[4], T_SVECTOR) || svec_of(args[4])->len < (size_t)nspec))
    type_error(th, args[4], SYM(simple_vector));
  d[GF_NSPEC] = args[1];
  d[GF_NREQ] = args[2];
  d[GF_MAX] = make_fixnum(integer_to_intptr(th, args[3], -1, 100000, "(INTEGER -1 100000)"));
  d[GF_EQLS] = args[4];
  gf_clear(d);
  return args[0];
}

static Value fn_gf_clear_cache(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  gf_clear(gf_data(th, args[0]));
  return args[0];
}

static Value fn_gf_cache_count(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return gf_data(th, args[0])[GF_COUNT];
}

static Value fn_gf_set_lambda_list(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return gf_data(th, args[0])[FIN_LAMBDA_LIST] = args[1];
}

static Value fn_gf_set_name(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  gf_data(th, args[0]);
  return native_of(args[0])->name = args[1];
}

static const NativeDesc clos_natives[] = {
    {"CCL::%DEFINE-STANDARD-CLASS", fn_define_standard_class, 5, 5, 0, NULL,
     "(name supers direct-slots default-initargs documentation)",
     "Defines or redefines the standard class NAME; DIRECT-SLOTS are slot-definition plists."},
    {"CCL::%CLASS-SLOTS", fn_class_slots, 1, 1, 0, NULL, "(class)",
     "The effective slot definitions (plists) of CLASS, in instance order."},
    {"CCL::%CLASS-DIRECT-SLOTS", fn_class_direct_slots, 1, 1, 0, NULL, "(class)",
     "The direct slot definitions (plists) of CLASS."},
    {"CCL::%CLASS-CPL", fn_class_cpl, 1, 1, 0, NULL, "(class)", "The class precedence list of CLASS."},
    {"CCL::%CLASS-DIRECT-SUPERCLASSES", fn_class_supers, 1, 1, 0, NULL, "(class)",
     "The direct superclasses of CLASS."},
    {"CCL::%CLASS-DIRECT-SUBCLASSES", fn_class_subclasses, 1, 1, 0, NULL, "(class)",
     "The direct subclasses of CLASS."},
    {"CCL::%CLASS-DEFAULT-INITARGS", fn_class_default_initargs, 1, 1, 0, NULL, "(class)",
     "The direct default initargs of CLASS, as (initarg form function) lists."},
    {"CCL::%CLASS-DOCUMENTATION", fn_class_documentation, 1, 1, 0, NULL, "(class)",
     "The documentation string of CLASS, or NIL."},
    {"CCL::%CLASS-KIND", fn_class_kind, 1, 1, 0, NULL, "(class)",
     "What kind of class CLASS is: :STANDARD, :STRUCTURE, :CONDITION or :BUILT-IN."},
    {"CCL::%CLASS-NEW-LAYOUT", fn_class_new_layout, 1, 1, 0, NULL, "(class)",
     "Gives CLASS a new layout, so that its instances are updated at their next access."},
    {"CCL::%STANDARD-CLASS-P", fn_standard_class_p, 1, 1, 0, NULL, "(object)",
     "True if OBJECT is a class defined by DEFCLASS."},
    {"CCL::%STD-INSTANCE-P", fn_std_instance_p, 1, 1, 0, NULL, "(object)",
     "True if OBJECT is an instance of a class defined by DEFCLASS."},
    {"CCL::%ALLOCATE-STD-INSTANCE", fn_allocate_std_instance, 1, 1, 0, NULL, "(class)",
     "A new instance of the standard class CLASS, every local slot unbound."},
    {"CCL::%MAKE-STD-SLOT-VECTOR", fn_make_std_slot_vector, 1, 1, 0, NULL, "(class)",
     "A slot vector in the current layout of the standard class CLASS."},
    {"CCL::%STD-SLOT-REF", fn_std_slot_ref, 3, 3, 0, NULL, "(instance index unbound-marker)",
     "Slot INDEX of INSTANCE, or UNBOUND-MARKER when it is unbound."},
    {"CCL::%STD-SLOT-SET", fn_std_slot_set, 3, 3, 0, NULL, "(instance index value)",
     "Sets slot INDEX of INSTANCE to VALUE."},
    {"CCL::%STD-SLOT-MAKUNBOUND", fn_std_slot_makunbound, 2, 2, 0, NULL, "(instance index)",
     "Makes slot INDEX of INSTANCE unbound."},
    {"CCL::%SLOT-VALUE-OR", fn_slot_value_or, 3, 3, 0, NULL, "(object slot-name marker)",
     "The value of the slot SLOT-NAME of OBJECT, or MARKER when it is unbound or missing."},
    {"SLOT-VALUE", fn_slot_value, 2, 2, 0, NULL, "(object slot-name)",
     "Return the value of the slot named SLOT-NAME in OBJECT."},
    {"CCL::%SET-SLOT-VALUE-IF-EXISTS", fn_set_slot_value_if_exists, 3, 3, 0, NULL, "(object slot-name value)",
     "Sets the slot SLOT-NAME of OBJECT if it has one; true when it did."},
    {"CCL::%STD-INSTANCE-SLOTS", fn_std_instance_slots, 1, 1, 0, NULL, "(instance)",
     "The slot vector of INSTANCE as it is (its last element is its layout)."},
    {"CCL::%STD-INSTANCE-BECOME", fn_std_instance_become, 3, 3, 0, NULL, "(instance class slots)",
     "Gives INSTANCE the class CLASS and the slot vector SLOTS."},
    {"CCL::%COPY-STD-INSTANCE", fn_copy_std_instance, 1, 1, 0, NULL, "(instance)",
     "A new instance sharing the class and slot vector of INSTANCE."},
    {"CCL::%STD-INSTANCE-CURRENT-SLOTS", fn_std_instance_current_slots, 1, 1, 0, NULL, "(instance)",
     "The slot vector of INSTANCE, first updated if its class was redefined."},
    {"CCL::%SLOT-VECTOR-REF", fn_slot_vector_ref, 3, 3, 0, NULL, "(vector index marker)",
     "Slot INDEX of a slot vector, or MARKER when it is unbound."},
    {"CCL::%SLOT-VECTOR-SET", fn_slot_vector_set, 3, 3, 0, NULL, "(vector index value)",
     "Sets slot INDEX of a slot vector."},
    {"CCL::%SLOT-VECTOR-MAKUNBOUND", fn_slot_vector_makunbound, 2, 2, 0, NULL, "(vector index)",
     "Makes slot INDEX of a slot vector unbound."},
    {"CCL::%SLOT-VECTOR-LAYOUT", fn_slot_vector_layout, 1, 1, 0, NULL, "(vector)",
     "The effective slot list a slot vector was laid out for."},
    {"CCL::%TRANSFER-SLOTS", fn_transfer_slots, 3, 3, 0, NULL, "(from to pairs)",
     "Copies slot I of FROM to slot J of TO for each (I . J) in PAIRS."},
    {"CCL::%MAKE-SHARED-SLOT-CELL", fn_make_shared_slot_cell, 0, 0, 0, NULL, "()",
     "The cell of a slot with :allocation :class, unbound."},
    {"CCL::%SHARED-SLOT-CELL-VALUE", fn_shared_slot_cell_value, 2, 2, 0, NULL, "(cell marker)",
     "The value in a shared slot cell, or MARKER when unbound."},
    {"CCL::%SET-SHARED-SLOT-CELL-VALUE", fn_set_shared_slot_cell_value, 2, 2, 0, NULL, "(cell value)",
     "Sets the value in a shared slot cell."},
    {"CCL::%SET-OBJECT-CLASS", fn_set_object_class, 2, 2, 0, NULL, "(object class)",
     "Makes the socket OBJECT report CLASS (a subclass of its own) as its class."},
    {"CCL::%CTOR-INITARGS", fn_ctor_initargs, 3, 3, 0, NULL, "(ctor initargs class)",
     "INITARGS with their default initargs, checked against those CLASS accepts."},
    {"CCL::%CTOR-MAKE", fn_ctor_make, 3, 3, 0, NULL, "(class plan initargs)",
     "A new instance of CLASS with its slots filled from INITARGS or their initforms."},
    {"CCL::%MAKE-SLOT-ACCESSOR", fn_make_slot_accessor, 3, 3, 0, NULL, "(writerp index slot-name)",
     "A function that reads (or writes) slot INDEX of a standard instance, else the slot SLOT-NAME."},
    {"CCL::%OBJECT-SIDE-SLOTS", fn_object_side_slots, 1, 1, 0, NULL, "(object)",
     "The slot vector of a socket whose class is a DEFCLASS subclass of its own, or NIL."},
    {"CCL::%SET-OBJECT-SIDE-SLOTS", fn_set_object_side_slots, 2, 2, 0, NULL, "(object vector)",
     "Sets the slot vector of a socket whose class is a DEFCLASS subclass of its own."},
    {"CCL::%MAKE-GENERIC-FUNCTION", fn_make_generic_function, 4, 4, 0, NULL, "(name lambda-list info miss)",
     "A new generic function with no methods; MISS computes its effective methods."},
    {"CCL::%GENERIC-FUNCTION-INFO", fn_generic_function_info, 1, 1, 0, NULL, "(object)",
     "The Lisp record of the generic function OBJECT, or NIL if it is not one."},
    {"CCL::%GF-SET-DISPATCH", fn_gf_set_dispatch, 5, 5, 0, NULL, "(gf nspec nreq max eqls)",
     "Sets how GF dispatches and clears its cache."},
    {"CCL::%GF-CLEAR-CACHE", fn_gf_clear_cache, 1, 1, 0, NULL, "(gf)", "Forgets GF's effective methods."},
    {"CCL::%GF-CACHE-COUNT", fn_gf_cache_count, 1, 1, 0, NULL, "(gf)",
     "How many effective methods GF has cached."},
    {"CCL::%GF-SET-LAMBDA-LIST", fn_gf_set_lambda_list, 2, 2, 0, NULL, "(gf lambda-list)",
     "Sets the lambda list ARGLIST reports for GF."},
    {"CCL::%GF-SET-NAME", fn_gf_set_name, 2, 2, 0, NULL, "(gf name)", "Sets the name of GF."},
    {0},
};

/* CCL's metaobject classes that exist before any DEFCLASS: a generic function's class-of
 * must answer at once, and TYPEP on GENERIC-FUNCTION must know the name. */
static void define_metaobject_classes(Thread *th) {
  static const char *const tree[][2] = {
      {"CCL:FUNCALLABLE-STANDARD-OBJECT", "STANDARD-OBJECT FUNCTION"},
      {"GENERIC-FUNCTION", "CCL::METAOBJECT CCL::FUNCALLABLE-STANDARD-OBJECT"},
      {"STANDARD-GENERIC-FUNCTION", "GENERIC-FUNCTION"},
      {"METHOD", "CCL::METAOBJECT"},
      {"STANDARD-METHOD", "METHOD"},
      {"CCL:STANDARD-ACCESSOR-METHOD", "STANDARD-METHOD"},
      {"CCL:STANDARD-READER-METHOD", "CCL::STANDARD-ACCESSOR-METHOD"},
      {"CCL:STANDARD-WRITER-METHOD", "CCL::STANDARD-ACCESSOR-METHOD"},
  };
  for (size_t i = 0; i < sizeof tree / sizeof tree[0]; i++) {
    Value supers = NIL;
    char buf[128];
    snprintf(buf, sizeof buf, "%s", tree[i][1]);
    char *save = NULL;
    for (char *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
      supers = cons(th, find_class(th, type_symbol(th, tok), true), supers);
    define_class(th, CK_STANDARD, type_symbol(th, tree[i][0]), nreverse_list(supers), NIL);
  }
  /* CCL exports these names of its class tree (lib/ccl-export-syms.lisp). */
  export_symbol(th, intern_c(th, "METAOBJECT", th->vm->pkg_ccl), th->vm->pkg_ccl);
  export_symbol(th, intern_c(th, "SPECIALIZER", th->vm->pkg_ccl), th->vm->pkg_ccl);
}

void builtins_clos_init(Thread *th) {
  define_natives(th, clos_natives);
  define_metaobject_classes(th);
}
