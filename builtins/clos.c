/* clos.c — the natives under stdlib/clos.lisp: standard classes (defined through
 * types.c's define_class, kind CK_STANDARD), instance allocation and slot vectors. */
#include "../interp/types_internal.h"

static Value check_class_arg(Thread *th, Value c) {
  if (!is_type(c, T_CLASS))
    type_error(th, c, type_symbol(th, "CLASS"));
  return c;
}

static Instance *check_instance(Thread *th, Value x) {
  if (!is_type(x, T_INSTANCE))
    type_error(th, x, SYM(standard_object));
  return instance_of(x);
}

static Value *slot_cell(Thread *th, Value x, Value index) {
  Instance *in = check_instance(th, x);
  if (!is_fixnum(index) || fixnum_val(index) < 0 || !is_type(in->slots, T_SVECTOR) ||
      (size_t)fixnum_val(index) >= svec_of(in->slots)->len)
    type_error_c(th, index, "(INTEGER 0 *)");
  return &svec_of(in->slots)->data[fixnum_val(index)];
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

static Value fn_standard_class_p(Thread *th, int nargs, Value *args) {
  UNUSED(nargs), UNUSED(th);
  return is_type(args[0], T_CLASS) && obj_of(args[0])->flags == CK_STANDARD ? SYM(t) : NIL;
}

static Value fn_std_instance_p(Thread *th, int nargs, Value *args) {
  UNUSED(nargs), UNUSED(th);
  Value x = args[0];
  return is_type(x, T_INSTANCE) && is_type(instance_of(x)->klass, T_CLASS) &&
                 obj_of(instance_of(x)->klass)->flags == CK_STANDARD
             ? SYM(t)
             : NIL;
}

/* (%allocate-std-instance class): every slot unbound */
static Value fn_allocate_std_instance(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value cls = check_class_arg(th, args[0]);
  if (obj_of(cls)->flags != CK_STANDARD)
    simple_error(th, "Can't allocate an instance of ~S.", cls);
  intptr_t n = fixnum_val(class_of_obj(cls)->nslots);
  Value slots = make_svector(th, (size_t)n, UNBOUND);
  Instance *in = gc_alloc(th, T_INSTANCE, sizeof(Instance));
  in->klass = cls;
  in->slots = slots;
  return obj_value(in);
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
    {"CCL::%STANDARD-CLASS-P", fn_standard_class_p, 1, 1, 0, NULL, "(object)",
     "True if OBJECT is a class defined by DEFCLASS."},
    {"CCL::%STD-INSTANCE-P", fn_std_instance_p, 1, 1, 0, NULL, "(object)",
     "True if OBJECT is an instance of a class defined by DEFCLASS."},
    {"CCL::%ALLOCATE-STD-INSTANCE", fn_allocate_std_instance, 1, 1, 0, NULL, "(class)",
     "A new instance of the standard class CLASS, every slot unbound."},
    {"CCL::%STD-SLOT-REF", fn_std_slot_ref, 3, 3, 0, NULL, "(instance index unbound-marker)",
     "Slot INDEX of INSTANCE, or UNBOUND-MARKER when it is unbound."},
    {"CCL::%STD-SLOT-SET", fn_std_slot_set, 3, 3, 0, NULL, "(instance index value)",
     "Sets slot INDEX of INSTANCE to VALUE."},
    {"CCL::%STD-SLOT-MAKUNBOUND", fn_std_slot_makunbound, 2, 2, 0, NULL, "(instance index)",
     "Makes slot INDEX of INSTANCE unbound."},
    {0},
};

void builtins_clos_init(Thread *th) { define_natives(th, clos_natives); }
