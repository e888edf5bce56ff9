/* structs.c — the natives behind DEFSTRUCT (stdlib/defstruct.lisp): structure classes,
 * allocation, type-checked slot access, accessors/predicates/copiers as natives, #S. */
#include "../interp/types_internal.h"

/* ---- Natives that carry data ----
 * An accessor, predicate or copier is a Native sharing one descriptor; what it is for
 * (its class, slot index, slot type) is in the Native's data field. */

static Value make_data_native(Thread *th, const NativeDesc *desc, Value name, Value data) {
  Value fn = make_native(th, desc, name);
  native_of(fn)->data = data;
  return fn;
}

/* The data of the native being called: read it before calling anything else. */
static Value self_data(Thread *th) { return native_of(th->native_self)->data; }

/* Data layout: an SVector [class index type] */
enum { AD_CLASS, AD_INDEX, AD_TYPE, AD_COUNT };

/* ---- Classes and instances ---- */

static bool is_structure_class(Value c) { return is_type(c, T_CLASS) && obj_of(c)->flags == CK_STRUCTURE; }

static bool is_structure(Value x) {
  return is_type(x, T_INSTANCE) && is_structure_class(instance_of(x)->klass);
}

/* A structure class from a class or its name. */
static Value structure_class(Thread *th, Value x) {
  if (is_structure_class(x))
    return x;
  Value c = find_class(th, x, false);
  if (!is_structure_class(c))
    simple_error(th, "~S is not a defined structure type.", x);
  return c;
}

/* CCL's error for an accessor applied to the wrong thing: "The value 5 is not of the
 * expected type POINT." An instance of a class redefined with fewer slots fails too. */
static inline Value *checked_slot(Thread *th, Value obj, Value cls, intptr_t index) {
  if (is_type(obj, T_INSTANCE)) {
    Instance *in = instance_of(obj);
    if ((in->klass == cls || subclassp(in->klass, cls)) && index >= 0 &&
        (size_t)index < svec_of(in->slots)->len)
      return &svec_of(in->slots)->data[index];
  }
  type_error(th, obj, class_of_obj(cls)->name);
}

static Value new_instance(Thread *th, Value cls, int n, const Value *vals) {
  intptr_t nslots = fixnum_val(class_of_obj(cls)->nslots);
  if (n > nslots)
    program_error(th, "Too many slot values (~D) for structure ~S.", make_fixnum(n), class_of_obj(cls)->name);
  Value slots = make_svector(th, (size_t)nslots, NIL);
  for (int i = 0; i < n; i++)
    svec_of(slots)->data[i] = vals[i];
  Instance *in = gc_alloc(th, T_INSTANCE, sizeof(Instance));
  in->klass = cls;
  in->slots = slots;
  return obj_value(in);
}

static Value copy_instance(Thread *th, Value obj) {
  Instance *in = instance_of(obj);
  SVector *old = svec_of(in->slots);
  Value slots = make_svector(th, old->len, NIL);
  memcpy(svec_of(slots)->data, old->data, old->len * sizeof(Value));
  Instance *copy = gc_alloc(th, T_INSTANCE, sizeof(Instance));
  copy->klass = in->klass;
  copy->slots = slots;
  return obj_value(copy);
}

static Value kw(Thread *th, const char *name) { return keyword_c(th, name); }

static Value keyword_of(Thread *th, Value sym) {
  int st;
  return intern(th, symbol_name(th, sym), th->vm->pkg_keyword, &st);
}

/* (%define-structure name include direct-slots nslots &key print-function print-object
 * constructor documentation): the structure class, defined or redefined in place. Each
 * direct slot is (name initform type), the structure's own slots in order; the inherited
 * ones come first in an instance, so a slot's index is the same in every subtype. */
static Value fn_define_structure(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value name = check_symbol(th, args[0]), include = args[1], specs = check_list(th, args[2]);
  Value supers = NIL;
  if (include != NIL)
    supers = list1(th, structure_class(th, include));
  Value defs = NIL;
  for (Value l = specs; is_cons(l); l = CDR(l)) {
    Value spec = CAR(l);
    if (list_length(spec) != 3)
      type_error_c(th, spec, "(CONS SYMBOL (CONS T (CONS T NULL)))");
    Value s = check_symbol(th, CAR(spec));
    Value def = list4(th, kw(th, "TYPE"), CAR(CDR(CDR(spec))), ts_ref(th, TS_K_INITFORM), CAR(CDR(spec)));
    def = cons(th, ts_ref(th, TS_K_INITARGS), cons(th, list1(th, keyword_of(th, s)), def));
    defs = cons(th, cons(th, SYM(k_name), cons(th, s, def)), defs);
  }
  Value cls = define_class(th, CK_STRUCTURE, name, supers, nreverse_list(defs));
  Class *c = class_of_obj(cls);
  if (c->nslots != args[3])
    simple_error(th, "Structure ~S has ~D slots, not ~D: slot names must be distinct.", name, c->nslots, args[3]);
  c->plist = plist_put(th, c->plist, kw(th, "PRINT-FUNCTION"), arg_or(args[4], NIL));
  c->plist = plist_put(th, c->plist, kw(th, "PRINT-OBJECT"), arg_or(args[5], NIL));
  c->plist = plist_put(th, c->plist, kw(th, "CONSTRUCTOR"), arg_or(args[6], NIL));
  c->plist = plist_put(th, c->plist, ts_ref(th, TS_K_DOCUMENTATION), arg_or(args[7], NIL));
  return cls;
}

/* (%make-struct class-or-name &rest slot-values) */
static Value fn_make_struct(Thread *th, int nargs, Value *args) {
  Value cls = structure_class(th, args[0]);
  return new_instance(th, cls, nargs - 1, args + 1);
}

/* (%allocate-struct class-or-name): every slot NIL */
static Value fn_allocate_struct(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return new_instance(th, structure_class(th, args[0]), 0, NULL);
}

static intptr_t slot_index(Thread *th, Value v) {
  if (!is_fixnum(v) || fixnum_val(v) < 0)
    type_error_c(th, v, "(INTEGER 0 *)");
  return fixnum_val(v);
}

/* (%struct-ref structure type index): TYPE a structure class or its name */
static Value fn_struct_ref(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return *checked_slot(th, args[0], structure_class(th, args[1]), slot_index(th, args[2]));
}

/* (%struct-set structure type index value) */
static Value fn_struct_set(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return *checked_slot(th, args[0], structure_class(th, args[1]), slot_index(th, args[2])) = args[3];
}

static Value fn_copy_structure(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  if (!is_structure(args[0]))
    type_error(th, args[0], SYM(structure_object));
  return copy_instance(th, args[0]);
}

static Value fn_structurep(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, is_structure(args[0]));
}

/* (require-type object type): OBJECT, or a TYPE-ERROR */
static Value fn_require_type(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  if (!typep(th, args[0], args[1]))
    type_error(th, args[0], args[1]);
  return args[0];
}

/* ---- Accessors, predicates and copiers ---- */

static Value struct_reader(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value *d = svec_of(self_data(th))->data;
  return *checked_slot(th, args[0], d[AD_CLASS], fixnum_val(d[AD_INDEX]));
}

/* (setf accessor): (new-value structure) */
static Value struct_writer(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value *d = svec_of(self_data(th))->data;
  Value *slot = checked_slot(th, args[1], d[AD_CLASS], fixnum_val(d[AD_INDEX]));
  if (d[AD_TYPE] != SYM(t) && !typep(th, args[0], d[AD_TYPE]))
    type_error(th, args[0], d[AD_TYPE]);
  return *slot = args[0];
}

static Value struct_predicate(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value cls = self_data(th), x = args[0];
  return BOOL(th, is_type(x, T_INSTANCE) && (instance_of(x)->klass == cls || subclassp(instance_of(x)->klass, cls)));
}

static Value struct_copier(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value cls = self_data(th), x = args[0];
  if (!(is_type(x, T_INSTANCE) && (instance_of(x)->klass == cls || subclassp(instance_of(x)->klass, cls))))
    type_error(th, x, class_of_obj(cls)->name);
  return copy_instance(th, x);
}

/* No documentation: as in CCL, (documentation 'point-x 'function) is NIL. */
static const NativeDesc reader_desc = {"CCL::STRUCTURE-ACCESSOR", struct_reader, 1, 1, 0, NULL, "(structure)", NULL};
static const NativeDesc writer_desc = {"CCL::STRUCTURE-ACCESSOR", struct_writer, 2, 2, 0, NULL,
                                       "(new-value structure)", NULL};
static const NativeDesc predicate_desc = {"CCL::STRUCTURE-PREDICATE", struct_predicate, 1, 1, 0, NULL, "(object)",
                                          NULL};
static const NativeDesc copier_desc = {"CCL::STRUCTURE-COPIER", struct_copier, 1, 1, 0, NULL, "(structure)", NULL};

static void install_function(Thread *th, Value name, Value fn) {
  Symbol *s = symbol_of(th, name);
  if (s->h.flags & SYM_SPECIAL_OP)
    program_error(th, "~S is a special operator and can't be redefined as a function.", name);
  s->function = fn;
}

/* (%define-struct-accessor name structure-name index slot-type read-only): NAME reads the
 * slot; (SETF NAME) writes it (checking SLOT-TYPE) unless READ-ONLY, when it is removed. */
static Value fn_define_struct_accessor(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value name = check_symbol(th, args[0]);
  Value cls = structure_class(th, args[1]);
  Value index = make_fixnum(slot_index(th, args[2]));
  Value type = args[3] == NIL ? SYM(t) : args[3];
  Value data = make_svector(th, AD_COUNT, NIL);
  svec_of(data)->data[AD_CLASS] = cls;
  svec_of(data)->data[AD_INDEX] = index;
  svec_of(data)->data[AD_TYPE] = type;
  install_function(th, name, make_data_native(th, &reader_desc, name, data));
  symbol_of(th, name)->setf_fn =
      args[4] != NIL ? UNBOUND : make_data_native(th, &writer_desc, list2(th, SYM(setf), name), data);
  return name;
}

/* (%define-struct-predicate name structure-name) */
static Value fn_define_struct_predicate(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value name = check_symbol(th, args[0]);
  install_function(th, name, make_data_native(th, &predicate_desc, name, structure_class(th, args[1])));
  return name;
}

/* (%define-struct-copier name structure-name) */
static Value fn_define_struct_copier(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value name = check_symbol(th, args[0]);
  install_function(th, name, make_data_native(th, &copier_desc, name, structure_class(th, args[1])));
  return name;
}

/* ---- #S ---- */

static Value symbol_property(Thread *th, Value sym, Value key) {
  return plist_get(symbol_of(th, sym)->plist, key, NIL);
}

/* The structure #S(name slot value ...) denotes, made by the structure's standard keyword
 * constructor (the slot names may be any symbols or strings: they become keywords), or
 * UNBOUND when NAME is not a structure with such a constructor (the reader then signals). */
Value structure_from_sharp_s(Thread *th, Value list) {
  if (!is_cons(list) || !is_symbol(CAR(list)))
    return UNBOUND;
  Value desc = symbol_property(th, CAR(list), intern_c(th, "%DEFSTRUCT", th->vm->pkg_ccl));
  Value ctor = plist_get(desc, kw(th, "CONSTRUCTOR"), NIL);
  if (ctor == NIL || !is_symbol(ctor))
    return UNBOUND;
  Value plist = CDR(list);
  intptr_t n = list_length(plist);
  if (n < 0 || (n & 1))
    type_error_c(th, plist, "(SATISFIES CCL::PLISTP)");
  Value args = NIL;
  for (Value l = plist; is_cons(l); l = CDR(CDR(l))) {
    Value key = CAR(l);
    if (is_symbol(key))
      key = keyword_of(th, key);
    else if (is_any_string(key)) {
      int st;
      size_t len;
      const uint32_t *chars = string_chars(key, &len);
      Value s = make_string_n(th, len);
      memcpy(string_of(s)->data, chars, len * sizeof(uint32_t));
      key = intern(th, s, th->vm->pkg_keyword, &st);
    }
    args = cons(th, CAR(CDR(l)), cons(th, key, args));
  }
  return apply_list(th, ctor, nreverse_list(args));
}

static Value fn_sharp_s_structure(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value x = structure_from_sharp_s(th, args[0]);
  if (x == UNBOUND)
    simple_error(th, "Can't initialize structure from ~S.", args[0]);
  return x;
}

static const NativeDesc structs_natives[] = {
    {"CCL::%DEFINE-STRUCTURE", fn_define_structure, 4, 4, 0, "print-function print-object constructor documentation",
     "(name include direct-slots nslots &key print-function print-object constructor documentation)",
     "Defines or redefines the structure class NAME, which includes the structure INCLUDE (or NIL)."},
    {"CCL::%MAKE-STRUCT", fn_make_struct, 1, 1, NAT_REST, NULL, "(type &rest slot-values)",
     "A new structure of TYPE (a structure class or its name) with the slot values given, in slot order."},
    {"CCL::%ALLOCATE-STRUCT", fn_allocate_struct, 1, 1, 0, NULL, "(type)",
     "A new structure of TYPE whose slots are all NIL."},
    {"CCL::%STRUCT-REF", fn_struct_ref, 3, 3, 0, NULL, "(structure type index)",
     "Slot INDEX of STRUCTURE, which must be of the structure type TYPE."},
    {"CCL::%STRUCT-SET", fn_struct_set, 4, 4, 0, NULL, "(structure type index value)",
     "Sets slot INDEX of STRUCTURE, which must be of the structure type TYPE."},
    {"CCL::%DEFINE-STRUCT-ACCESSOR", fn_define_struct_accessor, 5, 5, 0, NULL,
     "(name type index slot-type read-only)", "Defines NAME (and, unless READ-ONLY, (SETF NAME)) on slot INDEX."},
    {"CCL::%DEFINE-STRUCT-PREDICATE", fn_define_struct_predicate, 2, 2, 0, NULL, "(name type)",
     "Defines NAME as the type predicate of the structure TYPE."},
    {"CCL::%DEFINE-STRUCT-COPIER", fn_define_struct_copier, 2, 2, 0, NULL, "(name type)",
     "Defines NAME as the copier of the structure TYPE."},
    {"CCL::%SHARP-S-STRUCTURE", fn_sharp_s_structure, 1, 1, 0, NULL, "(list)",
     "The structure that #S followed by LIST reads as."},
    {"COPY-STRUCTURE", fn_copy_structure, 1, 1, 0, NULL, "(source)",
     "Return a copy of STRUCTURE with the same (EQL) slot values."},
    {"CCL:STRUCTUREP", fn_structurep, 1, 1, 0, NULL, "(object)", "True if OBJECT is a structure."},
    {"CCL:REQUIRE-TYPE", fn_require_type, 2, 2, 0, NULL, "(object type)",
     "OBJECT if it is of TYPE, else a TYPE-ERROR."},
    {0},
};

void builtins_structs_init(Thread *th) { define_natives(th, structs_natives); }
