/* builtins.c — the one list of builtin areas: each file's init defines its
 * natives and variables. A new area is one line here. */
#include "../interp/lisp.h"

#define BUILTIN_AREAS(X) \
  X(evaluation) X(symbols) X(system) X(types) X(conditions) X(lists) X(numbers) X(reader) X(printer) \
  X(streams) X(files) X(sequences) X(hash) X(format) X(chars) X(strings) X(structs) X(time) X(describe) X(process_run) X(netdb) X(sockets) X(clos) X(locks) X(process)

#define DECLARE_AREA(name) void builtins_##name##_init(Thread *th);
BUILTIN_AREAS(DECLARE_AREA)

void builtins_init(Thread *th) {
#define CALL_AREA(name) builtins_##name##_init(th);
  BUILTIN_AREAS(CALL_AREA)
}
