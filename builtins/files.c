/* files.c — OPEN and the file system (PROBE-FILE, DELETE-FILE, RENAME-FILE, DIRECTORY ...),
 * pathnames as plain strings (PATHNAME-NAME, MERGE-PATHNAMES ...), Y-OR-N-P and YES-OR-NO-P. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <ftw.h>
#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lisp.h"
#include "stream.h"

/* Seconds from 1900-01-01 (universal time) to 1970-01-01 (Unix time). */
#define UNIX_TO_UNIVERSAL 2208988800LL

/* ---- C strings that unwinding cannot leak ----
 * Names are copied into heap strings' storage (octet vectors), which the collector
 * reclaims: no malloc'd buffer is lost when an error unwinds past it. */

static char *heap_buf(Thread *th, size_t n) {
  Value v = make_octets(th, n + 1);
  octets_of(v)->data[n] = 0;
  return (char *)octets_of(v)->data;
}

static char *heap_cstr(Thread *th, const char *s, size_t n) {
  char *b = heap_buf(th, n);
  memcpy(b, s, n);
  return b;
}

static char *lisp_to_cstr(Thread *th, Value s) {
  char *m = string_to_cstr(s);
  if (!m)
    type_error(th, s, SYM(string));
  char *h = heap_cstr(th, m, strlen(m));
  free(m);
  return h;
}

static char *cat3(Thread *th, const char *a, const char *b, const char *c) {
  size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
  char *r = heap_buf(th, la + lb + lc);
  memcpy(r, a, la);
  memcpy(r + la, b, lb);
  memcpy(r + la + lb, c, lc);
  r[la + lb + lc] = 0;
  return r;
}

/* A pathname designator (string, or a file stream) as its namestring, a Lisp string. */
static Value namestring_of(Thread *th, Value x) {
  if (is_any_string(x))
    return x;
  if (is_stream(x)) {
    Stream *s = stream_of(x);
    while (s->kind == SK_SYNONYM) {
      Value v = symbol_value(th, s->symbol);
      if (!is_stream(v))
        break;
      s = stream_of(v);
    }
    if (s->kind == SK_FD && is_any_string(s->name))
      return s->name;
  }
  type_error_c(th, x, "(OR STRING PATHNAME STREAM)");
}

/* ---- pathnames as strings: directory part (through the last '/'), name, type ---- */

typedef struct Parts {
  const char *s;
  size_t dir_len;              /* s[0, dir_len) is the directory, with its final '/' */
  size_t name_start, name_len; /* name_len 0 and no type: no file part */
  bool has_name, has_type;
  size_t type_start, type_len;
} Parts;

static Parts split(const char *s) {
  Parts p = {0};
  p.s = s;
  const char *slash = strrchr(s, '/');
  p.dir_len = slash ? (size_t)(slash - s) + 1 : 0;
  const char *file = s + p.dir_len;
  size_t flen = strlen(file);
  if (flen == 0)
    return p;
  const char *dot = strrchr(file, '.');
  p.name_start = p.dir_len;
  p.has_name = true;
  /* A leading dot (".emacs") belongs to the name, as in CCL. */
  if (dot && dot != file) {
    p.name_len = (size_t)(dot - file);
    p.has_type = true;
    p.type_start = p.dir_len + p.name_len + 1;
    p.type_len = flen - p.name_len - 1;
  } else {
    p.name_len = flen;
  }
  return p;
}

static Value part_string(Thread *th, const char *s, size_t start, size_t len) {
  return make_string_utf8(th, s + start, len);
}

static bool absolute_dir(const char *s) { return s[0] == '/' || s[0] == '~'; }

/* "~/x" and "~user/x" as the shell reads them. */
static char *expand_tilde(Thread *th, const char *s) {
  if (s[0] != '~')
    return (char *)s;
  const char *rest = strchr(s, '/');
  size_t ulen = rest ? (size_t)(rest - s - 1) : strlen(s) - 1;
  const char *home = NULL;
  if (ulen == 0) {
    home = getenv("HOME");
    if (!home) {
      struct passwd *pw = getpwuid(getuid());
      home = pw ? pw->pw_dir : NULL;
    }
  } else {
    char *user = heap_cstr(th, s + 1, ulen);
    struct passwd *pw = getpwnam(user);
    home = pw ? pw->pw_dir : NULL;
  }
  if (!home)
    return (char *)s;
  return cat3(th, home, rest ? rest : "", "");
}

static Value defaults_string(Thread *th) {
  Value d = symbol_value_or(th, intern_c(th, "*DEFAULT-PATHNAME-DEFAULTS*", th->vm->pkg_cl), NIL);
  return is_any_string(d) ? d : make_string_c(th, "");
}

/* MERGE-PATHNAMES on namestrings: missing directory, name or type come from defaults;
 * a relative directory is appended to an absolute default one. */
static char *merge(Thread *th, const char *path, const char *defaults) {
  Parts p = split(path), d = split(defaults);
  const char *dir;
  if (p.dir_len == 0)
    dir = heap_cstr(th, defaults, d.dir_len);
  else if (!absolute_dir(path) && d.dir_len)
    dir = cat3(th, heap_cstr(th, defaults, d.dir_len), heap_cstr(th, path, p.dir_len), "");
  else
    dir = heap_cstr(th, path, p.dir_len);
  const char *name = p.has_name   ? heap_cstr(th, path + p.name_start, p.name_len)
                     : d.has_name ? heap_cstr(th, defaults + d.name_start, d.name_len)
                                  : "";
  const char *type = p.has_type   ? heap_cstr(th, path + p.type_start, p.type_len)
                     : d.has_type ? heap_cstr(th, defaults + d.type_start, d.type_len)
                                  : NULL;
  return cat3(th, dir, name, type ? cat3(th, ".", type, "") : "");
}

/* The file name the system is given: *default-pathname-defaults* merged, ~ expanded,
 * and relative names made absolute from the working directory (as CCL's full-pathname). */
static char *native_name(Thread *th, Value designator) {
  char *path = lisp_to_cstr(th, namestring_of(th, designator));
  char *defaults = lisp_to_cstr(th, defaults_string(th));
  if (*defaults)
    path = merge(th, path, defaults);
  path = expand_tilde(th, path);
  if (path[0] != '/') {
    char cwd[4096];
    if (getcwd(cwd, sizeof cwd)) {
      while (path[0] == '.' && path[1] == '/')
        path += 2;
      if (strcmp(path, ".") == 0)
        path += 1;
      path = cat3(th, cwd, strcmp(cwd, "/") == 0 ? "" : "/", path);
    }
  }
  return path;
}

static bool has_wildcard(const char *s) { return strpbrk(s, "*?[") != NULL; }

/* ---- OPEN ---- */

static bool sym_is(Thread *th, Value v, const char *keyword) { return v == keyword_c(th, keyword); }

static Value open_element_type(Thread *th, Value et, bool *binary) {
  *binary = false;
  if (et == UNSUPPLIED)
    return SYM(base_char);
  if (et == keyword_c(th, "DEFAULT"))
    return SYM(character);
  if (et == SYM(character) || et == SYM(base_char) || et == SYM(standard_char) ||
      et == intern_c(th, "EXTENDED-CHAR", th->vm->pkg_cl))
    return et;
  *binary = true;
  if (et == SYM(unsigned_byte) || (is_cons(et) && CAR(et) == SYM(unsigned_byte) && is_cons(CDR(et)) &&
                                   CAR(CDR(et)) == make_fixnum(8) && CDR(CDR(et)) == NIL))
    return list2(th, SYM(unsigned_byte), make_fixnum(8));
  if (is_cons(et) && CAR(et) == SYM(mod) && is_cons(CDR(et)) && CAR(CDR(et)) == make_fixnum(256))
    return list2(th, SYM(unsigned_byte), make_fixnum(8));
  simple_error(th, "Stream element-type ~S can't be reasonably supported.", et);
}

static int open_fd(Thread *th, const char *path, int flags) {
  int fd = open(path, flags | O_CLOEXEC, 0666);
  /* Unreachable streams still hold descriptors until a collection finalizes them. */
  if (fd < 0 && (errno == EMFILE || errno == ENFILE)) {
    gc_collect(th);
    fd = open(path, flags | O_CLOEXEC, 0666);
  }
  return fd;
}

/* "foo.txt" is moved aside as "foo.txt.~N~" until the new file is closed (CCL's :supersede). */
static char *backup_name(Thread *th, const char *path) {
  for (unsigned n = (unsigned)getpid() % 100000;; n++) {
    char suffix[32];
    snprintf(suffix, sizeof suffix, ".~%u~", n);
    char *b = cat3(th, path, suffix, "");
    struct stat st;
    if (lstat(b, &st) < 0)
      return b;
  }
}

static Value n_open(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value filename = args[0];
  Value direction = arg_or(args[1], keyword_c(th, "INPUT"));
  bool in = false, out = false, probe = false;
  if (sym_is(th, direction, "INPUT"))
    in = true;
  else if (sym_is(th, direction, "OUTPUT"))
    out = true;
  else if (sym_is(th, direction, "IO"))
    in = out = true;
  else if (sym_is(th, direction, "PROBE"))
    probe = in = true;
  else
    type_error_c(th, direction, "(MEMBER :INPUT :OUTPUT :IO :PROBE)");
  bool binary;
  Value element_type = open_element_type(th, args[2], &binary);

  Value if_exists = arg_or(args[3], keyword_c(th, "NEW-VERSION"));
  static const char *const exists_options[] = {"ERROR",     "NEW-VERSION", "RENAME",    "RENAME-AND-DELETE",
                                               "OVERWRITE", "APPEND",      "SUPERSEDE", "IGNORED",
                                               NULL};
  bool known = if_exists == NIL;
  for (int i = 0; !known && exists_options[i]; i++)
    known = sym_is(th, if_exists, exists_options[i]);
  if (!known)
    type_error_c(th, if_exists,
                 "(MEMBER :ERROR :NEW-VERSION :RENAME :RENAME-AND-DELETE :OVERWRITE :APPEND :SUPERSEDE NIL)");
  Value if_not = args[4];
  if (!supplied(if_not)) {
    if (probe)
      if_not = NIL;
    else if (!out || sym_is(th, if_exists, "OVERWRITE") || sym_is(th, if_exists, "APPEND"))
      if_not = keyword_c(th, "ERROR");
    else
      if_not = keyword_c(th, "CREATE");
  }
  if (!(if_not == NIL || sym_is(th, if_not, "ERROR") || sym_is(th, if_not, "CREATE")))
    type_error_c(th, if_not, "(MEMBER :ERROR :CREATE NIL)");
  int encoding = ENC_UTF8, eol = EOL_LF;
  parse_external_format(th, args[5], &encoding, &eol);

  char *path = native_name(th, filename);
  Value name = make_string_c(th, path);
  if (has_wildcard(path))
    file_error(th, name, "Inappropriate use of wild pathname #P~S", 1, name);

  struct stat st;
  bool exists = stat(path, &st) == 0;
  bool created = false, truncate = false, append = false;
  char *backup = NULL;
  if (exists && S_ISDIR(st.st_mode)) {
    if (probe)
      return NIL;
    file_errno_error(th, name, EISDIR);
  }
  if (exists) {
    if (out) {
      if (if_exists == NIL)
        return NIL;
      if (sym_is(th, if_exists, "ERROR"))
        file_errno_error(th, name, EEXIST);
      if (sym_is(th, if_exists, "APPEND"))
        append = true;
      else if (sym_is(th, if_exists, "SUPERSEDE"))
        backup = backup_name(th, path);
      else if (!sym_is(th, if_exists, "OVERWRITE"))
        truncate = true;
    }
  } else {
    if (if_not == NIL)
      return NIL;
    if (sym_is(th, if_not, "ERROR"))
      file_errno_error(th, name, ENOENT);
    created = true;
  }
  if (backup && rename(path, backup) < 0)
    file_errno_error(th, name, errno);
  int flags = (in && out) ? O_RDWR : out ? O_WRONLY : O_RDONLY;
  if (created || backup)
    flags |= O_CREAT;
  if (truncate)
    flags |= O_TRUNC;
  int fd = open_fd(th, path, flags);
  if (fd < 0) {
    int e = errno;
    if (backup)
      rename(backup, path);
    if (e == ENOENT && if_not == NIL)
      return NIL;
    file_errno_error(th, name, e);
  }
  if (append)
    lseek(fd, 0, SEEK_END);
  uint32_t sflags = STRM_FILE | STRM_OWN_FD | STRM_AUTO_CLOSE | (in ? STRM_INPUT : 0) |
                    (out ? STRM_OUTPUT : 0) | (binary ? STRM_BINARY : 0) | (created ? STRM_CREATED : 0);
  Value stream = make_fd_stream(th, fd, sflags, name);
  Stream *s = stream_of(stream);
  s->element_type = element_type;
  s->encoding = (uint8_t)encoding;
  s->eol = (uint8_t)eol;
  if (backup) {
    s->backup_path = strdup(backup);
    if (!s->backup_path)
      unlink(backup);
  }
  if (probe)
    stream_close(th, stream, false);
  return stream;
}

/* ---- the file system ---- */

/* realpath(3), with a trailing '/' for a directory (CCL's probe-file); NULL if absent. */
static char *truename_of(Thread *th, const char *path) {
  char *real = realpath(path, NULL);
  if (!real)
    return NULL;
  char *r = heap_cstr(th, real, strlen(real));
  free(real);
  struct stat st;
  if (stat(r, &st) == 0 && S_ISDIR(st.st_mode) && strcmp(r, "/") != 0)
    r = cat3(th, r, "/", "");
  return r;
}

static Value n_probe_file(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  char *path = native_name(th, args[0]);
  if (has_wildcard(path))
    file_error(th, args[0], "Inappropriate use of wild pathname ~S", 1, args[0]);
  char *t = truename_of(th, path);
  return t ? make_string_c(th, t) : NIL;
}

static Value n_truename(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  char *t = truename_of(th, native_name(th, args[0]));
  if (!t) {
    Value n = namestring_of(th, args[0]);
    file_error(th, n, "File #P~S does not exist.", 1, n);
  }
  return make_string_c(th, t);
}

static Value n_delete_file(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  char *path = native_name(th, args[0]);
  if (unlink(path) < 0)
    file_errno_error(th, namestring_of(th, args[0]), errno);
  return SYM(t);
}

static Value n_rename_file(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value file = args[0];
  char *old_true = truename_of(th, native_name(th, file));
  if (!old_true) {
    Value n = namestring_of(th, file);
    file_error(th, n, "File #P~S does not exist.", 1, n);
  }
  char *new_name =
      merge(th, lisp_to_cstr(th, namestring_of(th, args[1])), lisp_to_cstr(th, namestring_of(th, file)));
  Value new_lisp = make_string_c(th, new_name);
  char *new_native = native_name(th, new_lisp);
  struct stat st;
  if (lstat(new_native, &st) == 0)
    file_errno_error(th, new_lisp, EEXIST);
  if (rename(old_true, new_native) < 0)
    simple_error(th, "Failed to rename ~A to ~A: ~A", make_string_c(th, old_true), new_lisp,
                 make_string_c(th, strerror(errno)));
  if (is_stream(file) && stream_of(file)->kind == SK_FD)
    stream_of(file)->name = make_string_c(th, new_native);
  char *new_true = truename_of(th, new_native);
  Value vals[3] = {new_lisp, make_string_c(th, old_true), new_true ? make_string_c(th, new_true) : NIL};
  return values_n(th, 3, vals);
}

static Value n_file_write_date(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  struct stat st;
  if (stat(native_name(th, args[0]), &st) < 0)
    return NIL;
  return make_integer(th, (intptr_t)(st.st_mtime + UNIX_TO_UNIVERSAL));
}

static Value n_file_author(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  struct stat st;
  Value n = namestring_of(th, args[0]);
  if (stat(native_name(th, args[0]), &st) < 0)
    file_errno_error(th, n, errno);
  struct passwd *pw = getpwuid(st.st_uid);
  return pw ? make_string_c(th, pw->pw_name) : NIL;
}

/* ---- DIRECTORY ---- */

typedef struct Walk {
  Thread *th;
  Value results; /* list of strings */
  bool files, directories, all;
} Walk;

static bool is_directory(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void add_result(Walk *w, const char *path) {
  char *t = truename_of(w->th, path);
  if (!t)
    return;
  Value s = make_string_c(w->th, t);
  for (Value l = w->results; is_cons(l); l = CDR(l))
    if (equal(CAR(l), s))
      return;
  w->results = cons(w->th, s, w->results);
}

static bool visible(Walk *w, const char *entry) {
  if (strcmp(entry, ".") == 0 || strcmp(entry, "..") == 0)
    return false;
  return w->all || entry[0] != '.';
}

/* The Lisp object holding a heap_cstr string, to keep in a list the collector sees. */
static Value cstr_value(const char *p) { return obj_value(p - offsetof(Octets, data)); }
static const char *value_cstr(Value v) { return (const char *)octets_of(v)->data; }

/* Entries of dir (ending in '/') that match pat (NULL: directories only), as full paths. */
static Value list_dir(Walk *w, const char *dir, const char *pat, bool dirs_only) {
  Value found = NIL;
  DIR *d = opendir(dir);
  if (!d)
    return NIL;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!visible(w, e->d_name) || (pat && fnmatch(pat, e->d_name, 0) != 0))
      continue;
    char *p = cat3(w->th, dir, e->d_name, "");
    if (dirs_only && !is_directory(p))
      continue;
    found = cons(w->th, cstr_value(p), found);
  }
  closedir(d);
  return nreverse_list(found);
}

/* Matches the components comps[i..n) below dir (which ends in '/'): "**" is any number of
 * directories; the last component names files (and directories). */
static void walk(Walk *w, const char *dir, char **comps, int i, int n) {
  Thread *th = w->th;
  const char *pat = comps[i];
  bool last = i == n - 1;
  if (strcmp(pat, "**") == 0) {
    if (!last)
      walk(w, dir, comps, i + 1, n); /* zero directories */
    for (Value l = list_dir(w, dir, NULL, true); is_cons(l); l = CDR(l)) {
      const char *sub = cat3(th, value_cstr(CAR(l)), "/", "");
      if (last && w->directories)
        add_result(w, sub);
      walk(w, sub, comps, i, n);
    }
    return;
  }
  if (!has_wildcard(pat)) {
    char *p = cat3(th, dir, pat, "");
    if (last) {
      struct stat st;
      if (stat(p, &st) == 0 && (S_ISDIR(st.st_mode) ? w->directories : w->files))
        add_result(w, p);
    } else if (is_directory(p)) {
      walk(w, cat3(th, p, "/", ""), comps, i + 1, n);
    }
    return;
  }
  /* CCL: "*.*" is name and type wild, which matches names without a dot too. */
  if (last && strcmp(pat, "*.*") == 0)
    pat = "*";
  for (Value l = list_dir(w, dir, pat, false); is_cons(l); l = CDR(l)) {
    const char *m = value_cstr(CAR(l));
    bool isdir = is_directory(m);
    if (last) {
      if (isdir ? w->directories : w->files)
        add_result(w, m);
    } else if (isdir) {
      walk(w, cat3(th, m, "/", ""), comps, i + 1, n);
    }
  }
}

static int string_order(const void *a, const void *b) {
  Value x = *(const Value *)a, y = *(const Value *)b;
  size_t nx, ny;
  const uint32_t *cx = string_chars(x, &nx), *cy = string_chars(y, &ny);
  for (size_t i = 0; i < nx && i < ny; i++)
    if (cx[i] != cy[i])
      return cx[i] < cy[i] ? -1 : 1;
  return nx < ny ? -1 : nx > ny;
}

static Value n_directory(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Walk w = {th, NIL, arg_or(args[2], SYM(t)) != NIL, arg_or(args[1], SYM(t)) != NIL,
            arg_or(args[3], SYM(t)) != NIL};
  char *path = native_name(th, args[0]);
  /* Split the pattern into its components after the root. */
  char *copy = heap_cstr(th, path + 1, strlen(path + 1));
  char *comps[256];
  int n = 0;
  char *save = NULL;
  for (char *tok = strtok_r(copy, "/", &save); tok && n < 256; tok = strtok_r(NULL, "/", &save))
    comps[n++] = tok;
  bool dir_only = path[strlen(path) - 1] == '/';
  if (n == 0 || dir_only) {
    /* A directory pathname names that directory. */
    if (w.directories && is_directory(path))
      add_result(&w, path);
  } else {
    walk(&w, "/", comps, 0, n);
  }
  intptr_t count = list_length(w.results);
  Value vec = make_svector(th, (size_t)count, NIL);
  intptr_t k = 0;
  for (Value l = w.results; is_cons(l); l = CDR(l))
    svec_of(vec)->data[k++] = CAR(l);
  qsort(svec_of(vec)->data, (size_t)count, sizeof(Value), string_order);
  return list_from_array(th, (int)count, svec_of(vec)->data);
}

static Value n_ensure_directories_exist(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value spec = args[0];
  char *path = native_name(th, spec);
  Parts p = split(path);
  char *dir = heap_cstr(th, path, p.dir_len);
  mode_t mode = supplied(args[2]) && is_fixnum(args[2]) ? (mode_t)fixnum_val(args[2]) : 0777;
  bool created = false;
  for (size_t i = 1; i < p.dir_len; i++) {
    if (dir[i] != '/')
      continue;
    dir[i] = 0;
    struct stat st;
    if (stat(dir, &st) == 0) {
      if (!S_ISDIR(st.st_mode)) {
        Value culprit = make_string_c(th, dir);
        file_error(th, culprit, "Can't create directory #P~S, since file ~A exists and is not a directory", 2,
                   make_string_c(th, heap_cstr(th, path, p.dir_len)), culprit);
      }
    } else if (mkdir(dir, mode) == 0) {
      created = true;
      if (arg_or(args[1], NIL) != NIL) {
        Value out = symbol_value(th, SYM(standard_output));
        stream_write_cstr(th, out, "Created directory ");
        stream_write_cstr(th, out, dir);
        stream_write_char(th, out, '\n');
      }
    } else if (errno != EEXIST) {
      file_errno_error(th, make_string_c(th, dir), errno);
    }
    dir[i] = '/';
  }
  return values2(th, spec, BOOL(th, created));
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  UNUSED(st);
  UNUSED(flag);
  UNUSED(ftw);
  return remove(path);
}

/* CCL:DELETE-DIRECTORY: the directory and everything in it; symbolic links are removed,
 * not followed. */
static Value n_delete_directory(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  char *path = native_name(th, args[0]);
  struct stat st;
  if (lstat(path, &st) < 0 || !S_ISDIR(st.st_mode))
    simple_error(th, "~S is not a directory", args[0]);
  if (nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
    file_errno_error(th, namestring_of(th, args[0]), errno);
  return SYM(t);
}

/* ---- pathname functions on strings ---- */

static const char *cstr_arg(Thread *th, Value x) { return lisp_to_cstr(th, namestring_of(th, x)); }

static Value n_pathname(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return namestring_of(th, args[0]);
}

static Value n_parse_namestring(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value s = namestring_of(th, args[0]);
  size_t n;
  string_chars(s, &n);
  return values2(th, s, make_fixnum((intptr_t)n));
}

static Value n_pathname_name(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  const char *s = cstr_arg(th, args[0]);
  Parts p = split(s);
  return p.has_name ? part_string(th, s, p.name_start, p.name_len) : NIL;
}

static Value n_pathname_type(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  const char *s = cstr_arg(th, args[0]);
  Parts p = split(s);
  return p.has_type ? part_string(th, s, p.type_start, p.type_len) : NIL;
}

/* (:absolute "usr" "lib") for "/usr/lib/x"; :up for "..", :wild for "*", :wild-inferiors for "**". */
static Value n_pathname_directory(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  const char *s = cstr_arg(th, args[0]);
  Parts p = split(s);
  if (p.dir_len == 0)
    return NIL;
  Value items = cons(th, keyword_c(th, absolute_dir(s) ? "ABSOLUTE" : "RELATIVE"), NIL);
  Value tail = items;
  size_t i = s[0] == '/' ? 1 : 0;
  while (i < p.dir_len) {
    size_t j = i;
    while (j < p.dir_len && s[j] != '/')
      j++;
    if (j > i) {
      Value c;
      if (j - i == 2 && s[i] == '.' && s[i + 1] == '.')
        c = keyword_c(th, "UP");
      else if (j - i == 1 && s[i] == '*')
        c = keyword_c(th, "WILD");
      else if (j - i == 2 && s[i] == '*' && s[i + 1] == '*')
        c = keyword_c(th, "WILD-INFERIORS");
      else if (j - i == 1 && s[i] == '.')
        c = UNBOUND;
      else
        c = part_string(th, s, i, j - i);
      if (c != UNBOUND) {
        Value cell = cons(th, c, NIL);
        CDR(tail) = cell;
        tail = cell;
      }
    }
    i = j + 1;
  }
  return items;
}

static Value n_file_namestring(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  const char *s = cstr_arg(th, args[0]);
  Parts p = split(s);
  return make_string_c(th, s + p.dir_len);
}

static Value n_directory_namestring(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  const char *s = cstr_arg(th, args[0]);
  return part_string(th, s, 0, split(s).dir_len);
}

static Value n_merge_pathnames(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  const char *path = cstr_arg(th, args[0]);
  const char *defaults = cstr_arg(th, supplied(args[1]) ? args[1] : defaults_string(th));
  return make_string_c(th, merge(th, path, defaults));
}

/* A directory component as text: a string, or :wild, :wild-inferiors, :up, :back. */
static const char *dir_component(Thread *th, Value c) {
  if (c == keyword_c(th, "WILD"))
    return "*";
  if (c == keyword_c(th, "WILD-INFERIORS"))
    return "**";
  if (c == keyword_c(th, "UP") || c == keyword_c(th, "BACK"))
    return "..";
  return lisp_to_cstr(th, c);
}

static Value n_make_pathname(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  /* keys: host device directory name type version defaults case */
  Value directory = args[2], name = args[3], type = args[4], defaults = args[6];
  const char *dir = "";
  if (supplied(directory) && directory != NIL) {
    if (is_any_string(directory)) {
      dir = lisp_to_cstr(th, directory);
      if (*dir && dir[strlen(dir) - 1] != '/')
        dir = cat3(th, dir, "/", "");
    } else if (is_cons(directory)) {
      Value kind = CAR(directory);
      dir = kind == keyword_c(th, "ABSOLUTE") ? "/" : "";
      for (Value l = CDR(directory); is_cons(l); l = CDR(l))
        dir = cat3(th, dir, dir_component(th, CAR(l)), "/");
    } else if (directory == keyword_c(th, "WILD")) {
      dir = "**/";
    } else {
      type_error_c(th, directory, "(OR LIST STRING)");
    }
  }
  const char *n =
      supplied(name) && name != NIL ? (name == keyword_c(th, "WILD") ? "*" : lisp_to_cstr(th, name)) : "";
  const char *t =
      supplied(type) && type != NIL ? (type == keyword_c(th, "WILD") ? "*" : lisp_to_cstr(th, type)) : NULL;
  /* Components not given come from :defaults. */
  if (supplied(defaults) && defaults != NIL) {
    const char *d = cstr_arg(th, defaults);
    Parts dp = split(d);
    if (!(supplied(directory) && directory != NIL))
      dir = heap_cstr(th, d, dp.dir_len);
    if (!(supplied(name) && name != NIL) && dp.has_name)
      n = heap_cstr(th, d + dp.name_start, dp.name_len);
    if (!(supplied(type) && type != NIL) && dp.has_type)
      t = heap_cstr(th, d + dp.type_start, dp.type_len);
  }
  char *result = cat3(th, dir, n, t ? cat3(th, ".", t, "") : "");
  return make_string_c(th, result);
}

static Value n_user_homedir_pathname(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  UNUSED(args);
  char *home = expand_tilde(th, "~/");
  return make_string_c(th, home);
}

/* ---- questions on *query-io* ---- */

static Value query_io(Thread *th) { return stream_designator_in(th, symbol_value(th, SYM(query_io))); }

static void query_prompt(Thread *th, Value q, int nargs, Value *args, const char *suffix) {
  if (nargs > 0 && args[0] != NIL) {
    stream_fresh_line(th, q);
    Value fargs = cons(th, q, list_from_array(th, nargs, args));
    apply_list(th, intern_c(th, "FORMAT", th->vm->pkg_cl), fargs);
  }
  stream_write_cstr(th, q, suffix);
  stream_force_output(th, q);
}

static Value read_query_char(Thread *th, Value q) {
  Value c = stream_read_char(th, q);
  if (c == EOF_MARK)
    stream_eof_error(th, q);
  return c;
}

static Value n_y_or_n_p(Thread *th, int nargs, Value *args) {
  Value q = query_io(th);
  stream_clear_input(th, q);
  for (;;) {
    query_prompt(th, q, nargs, args, " (y or n)  ");
    uint32_t c = char_code(read_query_char(th, q));
    /* The rest of the line, newline included, is part of the answer. */
    for (;;) {
      Value n = stream_read_char(th, q);
      if (n == EOF_MARK || char_code(n) == '\n')
        break;
    }
    stream_clear_input(th, q);
    if (c == 'y' || c == 'Y')
      return SYM(t);
    if (c == 'n' || c == 'N')
      return NIL;
    stream_write_cstr(th, q, "Please answer y or n.");
  }
}

static bool answer_is(const uint32_t *s, size_t n, const char *word) {
  size_t i = 0;
  while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
    i++;
  while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
    n--;
  size_t k = 0;
  for (; word[k]; k++) {
    if (i + k >= n)
      return false;
    uint32_t c = s[i + k];
    if (c >= 'A' && c <= 'Z')
      c += 32;
    if (c != (uint32_t)word[k])
      return false;
  }
  return i + k == n;
}

static Value n_yes_or_no_p(Thread *th, int nargs, Value *args) {
  Value q = query_io(th);
  for (;;) {
    query_prompt(th, q, nargs, args, " (yes or no)  \a");
    bool missing;
    Value line = stream_read_line(th, q, &missing);
    if (line == EOF_MARK)
      stream_eof_error(th, q);
    stream_clear_input(th, q);
    size_t n;
    const uint32_t *s = string_chars(line, &n);
    if (answer_is(s, n, "yes"))
      return SYM(t);
    if (answer_is(s, n, "no"))
      return NIL;
    stream_write_cstr(th, q, "Please answer yes or no.");
  }
}

static const NativeDesc file_natives[] = {
    {"OPEN", n_open, 1, 1, 0, "direction element-type if-exists if-does-not-exist external-format",
     "(filename &key (direction :input) (element-type 'base-char) if-exists if-does-not-exist "
     "(external-format :default))",
     "Return a stream which reads from or writes to FILENAME.\n"
     "  :DIRECTION - one of :INPUT, :OUTPUT, :IO, or :PROBE\n"
     "  :ELEMENT-TYPE - CHARACTER (BASE-CHAR) or (UNSIGNED-BYTE 8)\n"
     "  :IF-EXISTS - one of :ERROR, :NEW-VERSION, :RENAME, :RENAME-AND-DELETE,\n"
     "               :OVERWRITE, :APPEND, :SUPERSEDE or NIL\n"
     "  :IF-DOES-NOT-EXIST - one of :ERROR, :CREATE or NIL\n"
     "  :EXTERNAL-FORMAT - :UTF-8, :LATIN-1, :US-ASCII, a line termination (:UNIX, :CRLF, :CR)\n"
     "                     or (:CHARACTER-ENCODING e :LINE-TERMINATION l)"},
    {"PROBE-FILE", n_probe_file, 1, 1, 0, NULL, "(pathspec)",
     "Return the truename of the file if it exists (a directory's ends in /), or NIL."},
    {"TRUENAME", n_truename, 1, 1, 0, NULL, "(pathspec)",
     "Return the absolute name of the file, symbolic links resolved; signal FILE-ERROR if\n"
     "it does not exist."},
    {"DELETE-FILE", n_delete_file, 1, 1, 0, NULL, "(pathspec)", "Delete the specified file."},
    {"RENAME-FILE", n_rename_file, 2, 2, NAT_MV, NULL, "(file new-name)",
     "Rename FILE to NEW-NAME (merged with FILE). Return the new name, the old truename\n"
     "and the new truename."},
    {"FILE-WRITE-DATE", n_file_write_date, 1, 1, 0, NULL, "(pathspec)",
     "Return the file's last modification time as a universal time, or NIL if it doesn't exist."},
    {"FILE-AUTHOR", n_file_author, 1, 1, 0, NULL, "(pathspec)", "Return the name of the file's owner."},
    {"DIRECTORY", n_directory, 1, 1, 0, "directories files all follow-links",
     "(pathspec &key (directories t) (files t) (all t) (follow-links t))",
     "Return a sorted list of the truenames of the files (and directories, ending in /)\n"
     "matching PATHSPEC: * and ? match within a name, ** any number of directories."},
    {"CCL:DELETE-DIRECTORY", n_delete_directory, 1, 1, 0, NULL, "(path)",
     "Delete specified directory and all its contents."},
    {"ENSURE-DIRECTORIES-EXIST", n_ensure_directories_exist, 1, 1, NAT_MV, "verbose mode",
     "(pathspec &key verbose (mode #o777))",
     "Create the directories PATHSPEC's directory part names if they do not exist. Return\n"
     "PATHSPEC and whether any directory was created."},
    {"PATHNAME", n_pathname, 1, 1, 0, NULL, "(pathspec)",
     "The pathname PATHSPEC designates (Clove's pathnames are namestrings)."},
    {"NAMESTRING", n_pathname, 1, 1, 0, NULL, "(pathname)", "The full textual name of PATHNAME."},
    {"PARSE-NAMESTRING", n_parse_namestring, 1, 1, NAT_MV, NULL, "(thing)",
     "The pathname THING names, and the index where parsing stopped."},
    {"PATHNAME-NAME", n_pathname_name, 1, 1, 0, NULL, "(pathname)",
     "The name of PATHNAME: \"foo\" for \"/tmp/foo.lisp\"."},
    {"PATHNAME-TYPE", n_pathname_type, 1, 1, 0, NULL, "(pathname)",
     "The type of PATHNAME: \"lisp\" for \"/tmp/foo.lisp\"."},
    {"PATHNAME-DIRECTORY", n_pathname_directory, 1, 1, 0, NULL, "(pathname)",
     "The directory of PATHNAME: (:ABSOLUTE \"tmp\") for \"/tmp/foo.lisp\"."},
    {"FILE-NAMESTRING", n_file_namestring, 1, 1, 0, NULL, "(pathname)",
     "The name and type part of PATHNAME."},
    {"DIRECTORY-NAMESTRING", n_directory_namestring, 1, 1, 0, NULL, "(pathname)",
     "The directory part of PATHNAME, ending in /."},
    {"MERGE-PATHNAMES", n_merge_pathnames, 1, 3, 0, NULL,
     "(pathname &optional (defaults *default-pathname-defaults*) default-version)",
     "Fill in the directory, name and type PATHNAME lacks from DEFAULTS; a relative\n"
     "directory is taken relative to DEFAULTS' directory."},
    {"MAKE-PATHNAME", n_make_pathname, 0, 0, 0, "host device directory name type version defaults case",
     "(&key host device directory name type version defaults case)",
     "Build a pathname from its components; those not given come from DEFAULTS."},
    {"USER-HOMEDIR-PATHNAME", n_user_homedir_pathname, 0, 1, 0, NULL, "(&optional host)",
     "The user's home directory, ending in /."},
    {"Y-OR-N-P", n_y_or_n_p, 0, 0, NAT_REST, NULL, "(&optional format-string &rest arguments)",
     "Print the message, if any, and read from *QUERY-IO* until the user enters y or Y as\n"
     "an affirmative, or n or N as a negative answer."},
    {"YES-OR-NO-P", n_yes_or_no_p, 0, 0, NAT_REST, NULL, "(&optional format-string &rest arguments)",
     "Like Y-OR-N-P, but the user must type the whole word yes or no and a newline."},
    {0},
};

void builtins_files_init(Thread *th) {
  define_natives(th, file_natives);
  Value d = intern_c(th, "*DEFAULT-PATHNAME-DEFAULTS*", th->vm->pkg_cl);
  Symbol *s = symbol_of(th, d);
  s->h.flags |= SYM_SPECIAL;
  if (s->value == UNBOUND)
    s->value = make_string_c(th, "");
}
