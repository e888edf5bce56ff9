/* strings_octets.c — CCL's conversions between strings and octet vectors: ENCODE-STRING-TO-OCTETS,
 * DECODE-STRING-FROM-OCTETS, STRING-SIZE-IN-OCTETS, COUNT-CHARACTERS-IN-OCTET-VECTOR. */
#include "strings.h"

/* ---- External formats ----
 * CCL normalizes an external format into a character encoding and a line termination. Its
 * default for these functions is not UTF-8: domain T's default encoding is the one CCL's NIL
 * alias names, ISO-8859-1 (level-1/l1-unicode.lisp), with :UNIX line termination. */

enum Encoding { ENC_LATIN1, ENC_ASCII, ENC_UTF8 };
enum LineEnd { EOL_LF, EOL_CR, EOL_CRLF, EOL_UNICODE };

typedef struct ExternalFormat {
  enum Encoding enc;
  enum LineEnd eol;
} ExternalFormat;

/* CCL's names and aliases of the encodings supported here. (:L1 is not one: in CCL the later
 * ISO-8859-16 takes that alias over.) */
static const struct {
  const char *name;
  enum Encoding enc;
} encoding_names[] = {
    {"UTF-8", ENC_UTF8},         {"ISO-8859-1", ENC_LATIN1}, {"ISO_8859-1", ENC_LATIN1},
    {"LATIN1", ENC_LATIN1},      {"IBM819", ENC_LATIN1},     {"CP819", ENC_LATIN1},
    {"CSISOLATIN1", ENC_LATIN1}, {"US-ASCII", ENC_ASCII},    {"CSASCII", ENC_ASCII},
    {"CP637", ENC_ASCII},        {"IBM637", ENC_ASCII},      {"US", ENC_ASCII},
    {"ISO646-US", ENC_ASCII},    {"ASCII", ENC_ASCII},       {"ISO-IR-6", ENC_ASCII},
};

/* CCL's *canonical-line-termination-conventions*. */
static const struct {
  const char *name;
  enum LineEnd eol;
} line_end_names[] = {
    {"UNIX", EOL_LF},     {"MACOS", EOL_CR},        {"CR", EOL_CR},    {"CRLF", EOL_CRLF},
    {"CP/M", EOL_CRLF},   {"MSDOS", EOL_CRLF},      {"DOS", EOL_CRLF}, {"WINDOWS", EOL_CRLF},
    {"INFERRED", EOL_LF}, {"UNICODE", EOL_UNICODE},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool lookup_encoding(Thread *th, Value name, enum Encoding *out) {
  if (name == NIL) {
    *out = ENC_LATIN1;
    return true;
  }
  if (!is_keyword(th, name))
    return false;
  Value s = symbol_name(th, name);
  for (size_t i = 0; i < COUNT(encoding_names); i++)
    if (string_eq_c(s, encoding_names[i].name)) {
      *out = encoding_names[i].enc;
      return true;
    }
  return false;
}

static bool lookup_line_end(Thread *th, Value name, enum LineEnd *out) {
  if (!is_keyword(th, name))
    return false;
  Value s = symbol_name(th, name);
  for (size_t i = 0; i < COUNT(line_end_names); i++)
    if (string_eq_c(s, line_end_names[i].name)) {
      *out = line_end_names[i].eol;
      return true;
    }
  return false;
}

static bool is_kw(Thread *th, Value v, const char *name) {
  return is_keyword(th, v) && string_eq_c(symbol_name(th, v), name);
}

/* CCL's MAKE-EXTERNAL-FORMAT (domain T) applied to the property list plist. */
static ExternalFormat make_external_format(Thread *th, Value plist) {
  Value encoding = UNSUPPLIED, line_end = UNSUPPLIED;
  bool allow_other = false;
  for (Value l = plist; is_cons(l); l = CDR(CDR(l)))
    if (CAR(l) == SYM(k_allow_other_keys)) {
      allow_other = CAR(CDR(l)) != NIL;
      break;
    }
  for (Value l = plist; is_cons(l); l = CDR(CDR(l))) {
    Value k = CAR(l), v = CAR(CDR(l));
    if (is_kw(th, k, "CHARACTER-ENCODING")) {
      if (encoding == UNSUPPLIED)
        encoding = v;
    } else if (is_kw(th, k, "LINE-TERMINATION")) {
      if (line_end == UNSUPPLIED)
        line_end = v;
    } else if (!is_kw(th, k, "DOMAIN") && k != SYM(k_allow_other_keys) && !allow_other) {
      program_error(th, "Unknown keyword argument ~S in call to ~S.", k,
                    intern_c(th, "MAKE-EXTERNAL-FORMAT", th->vm->pkg_ccl));
    }
  }
  ExternalFormat ef = {ENC_LATIN1, EOL_LF};
  if (line_end != UNSUPPLIED && !is_kw(th, line_end, "DEFAULT") && !lookup_line_end(th, line_end, &ef.eol))
    simple_error(th, "~S is not a known line-termination format.", line_end);
  if (encoding != UNSUPPLIED && !is_kw(th, encoding, "DEFAULT") && !lookup_encoding(th, encoding, &ef.enc))
    simple_error(th, "~S is not the name of a known character encoding.", encoding);
  return ef;
}

/* CCL's NORMALIZE-EXTERNAL-FORMAT for domain T; ef unsupplied means :DEFAULT. */
static ExternalFormat normalize_external_format(Thread *th, Value ef) {
  ExternalFormat out = {ENC_LATIN1, EOL_LF};
  if (ef == UNSUPPLIED)
    return out;
  if (is_list(ef)) {
    intptr_t n = list_length(ef);
    if (n < 0 || n % 2 != 0)
      simple_error(th, "External-format ~S is not a property list.", ef);
    return make_external_format(th, ef);
  }
  if (is_kw(th, ef, "INFERRED"))
    simple_error(th, "~S is not the name of a known character encoding.", ef);
  if (is_kw(th, ef, "DEFAULT"))
    return out;
  if (lookup_encoding(th, ef, &out.enc))
    return out;
  if (lookup_line_end(th, ef, &out.eol))
    return out;
  simple_error(th, "Invalid external-format: ~S", ef);
}

/* ---- Sequences the arguments may be ---- */

/* (LENGTH x), with its type errors: what CHECK-SEQUENCE-BOUNDS asks first. */
static size_t sequence_length(Thread *th, Value x) {
  if (is_list(x)) {
    intptr_t n = list_length(x);
    if (n < 0)
      type_error(th, x, SYM(list));
    return (size_t)n;
  }
  size_t len;
  if (string_chars(x, &len))
    return len;
  if (is_type(x, T_SVECTOR))
    return svec_of(x)->len;
  if (is_type(x, T_OCTETS))
    return octets_of(x)->len;
  if (is_type(x, T_NUMVEC))
    return ((NumVec *)x)->len;
  if (is_type(x, T_ARRAY) && array_of(x)->rank == 1)
    return array_of(x)->fill;
  type_error(th, x, SYM(sequence));
}

/* The simple octet vector behind an (unsigned-byte 8) vector and the index of its first element,
 * or NULL (CCL's ARRAY-DATA-AND-OFFSET then the type check). */
static Octets *octet_storage(Value v, size_t *offset) {
  *offset = 0;
  for (int depth = 0; is_type(v, T_ARRAY) && depth < 64; depth++) {
    *offset += array_of(v)->offset;
    v = array_of(v)->data;
  }
  return is_type(v, T_OCTETS) ? octets_of(v) : NULL;
}

/* ---- Encoding ---- */

#define SUB 26 /* CCL writes #\Sub for a character the encoding cannot represent */

static size_t utf8_size(uint32_t c) { return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4; }

static size_t char_size(enum Encoding enc, uint32_t c) { return enc == ENC_UTF8 ? utf8_size(c) : 1; }

/* Writes c at out (NULL: only counts); returns the octets it takes. */
static size_t encode_char(enum Encoding enc, uint32_t c, uint8_t *out) {
  switch (enc) {
  case ENC_LATIN1:
    if (out)
      *out = c < 0x100 ? (uint8_t)c : SUB;
    return 1;
  case ENC_ASCII:
    if (out)
      *out = c < 0x80 ? (uint8_t)c : SUB;
    return 1;
  default:
    if (out) {
      char buf[4];
      size_t n = utf8_encode(c, buf);
      memcpy(out, buf, n);
    }
    return utf8_size(c);
  }
}

/* The octets of one character, #\Newline translated to the line termination. */
static size_t encode_unit(ExternalFormat ef, uint32_t c, uint8_t *out) {
  if (c != '\n' || ef.eol == EOL_LF)
    return encode_char(ef.enc, c, out);
  switch (ef.eol) {
  case EOL_CR:
    return encode_char(ef.enc, '\r', out);
  case EOL_CRLF:
    encode_char(ef.enc, '\r', out);
    encode_char(ef.enc, '\n', out ? out + 1 : NULL);
    return 2;
  default:
    return encode_char(ef.enc, 0x2028, out); /* #\Line_Separator */
  }
}

static const uint8_t utf8_bom[] = {0xEF, 0xBB, 0xBF};

static size_t bom_size(ExternalFormat ef, Value use_bom) {
  return (ef.enc == ENC_UTF8 && supplied(use_bom) && use_bom != NIL) ? sizeof utf8_bom : 0;
}

/* The characters to encode, after the checks CCL makes in its order: the bounds, then the
 * external format, then that the sequence is a string. */
typedef struct EncodeArgs {
  const uint32_t *chars;
  size_t start, end;
  ExternalFormat ef;
} EncodeArgs;

static void encode_args(Thread *th, Value string, Value start, Value end, Value ef, EncodeArgs *out) {
  size_t len = sequence_length(th, string);
  string_sequence_bounds(th, string, start, end, len, &out->start, &out->end);
  out->ef = normalize_external_format(th, ef);
  out->chars = string_chars(string, &len);
  if (!out->chars)
    type_error(th, string, is_list(string) ? SYM(array) : SYM(string));
}

static size_t encoded_size(const EncodeArgs *a) {
  size_t n = 0;
  if (a->ef.enc != ENC_UTF8 && a->ef.eol != EOL_CRLF)
    return a->end - a->start;
  for (size_t i = a->start; i < a->end; i++)
    n += a->chars[i] == '\n' ? encode_unit(a->ef, '\n', NULL) : char_size(a->ef.enc, a->chars[i]);
  return n;
}

/* args: string, start end external-format use-byte-order-mark vector vector-offset */
static Value lisp_encode_string_to_octets(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  EncodeArgs a;
  encode_args(th, args[0], args[1], args[2], args[3], &a);
  size_t bom = bom_size(a.ef, args[4]);
  size_t n = bom + encoded_size(&a);
  Value vector = args[5], voff = arg_or(args[6], make_fixnum(0));
  bool vector_p = supplied(vector);
  if (!is_fixnum(voff) || fixnum_val(voff) < 0 ||
      (vector_p && (size_t)fixnum_val(voff) >= sequence_length(th, vector)))
    simple_error(th, "Invalid vector offset ~S", voff);
  size_t offset = (size_t)fixnum_val(voff);
  if (!vector_p) {
    vector = make_octets(th, n + offset);
  } else {
    if (!is_type(vector, T_OCTETS))
      type_error_c(th, vector, "(SIMPLE-ARRAY (UNSIGNED-BYTE 8) (*))");
    size_t have = octets_of(vector)->len - offset;
    if (have < n)
      simple_error(
          th, "Can't encode ~S into supplied vector ~S; ~%~D octets are needed, but only ~D are available",
          args[0], vector, make_fixnum((intptr_t)n), make_fixnum((intptr_t)have));
  }
  uint8_t *out = octets_of(vector)->data + offset;
  if (bom)
    memcpy(out, utf8_bom, bom);
  out += bom;
  for (size_t i = a.start; i < a.end; i++)
    out += encode_unit(a.ef, a.chars[i], out);
  return values2(th, vector, make_fixnum((intptr_t)(out - octets_of(vector)->data)));
}

static Value lisp_string_size_in_octets(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  EncodeArgs a;
  encode_args(th, args[0], args[1], args[2], args[3], &a);
  return make_fixnum((intptr_t)(bom_size(a.ef, args[4]) + encoded_size(&a)));
}

/* ---- Decoding ---- */

/* CCL's UTF-8 length function: how many octets the sequence starting with lead takes (a bad lead
 * octet is one character of one octet). */
static size_t utf8_unit_length(uint8_t lead) {
  return lead < 0xC2 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : lead < 0xF8 ? 4 : 1;
}

static bool continuation(uint8_t b) { return (b ^ 0x80) < 0x40; }

/* One character from the n octets at p (n == utf8_unit_length(p[0])): an invalid, overlong or
 * surrogate sequence is #\Replacement_Character, and consumes all n octets as in CCL. */
static uint32_t utf8_decode_unit(const uint8_t *p, size_t n) {
  uint32_t b0 = p[0], c;
  switch (n) {
  case 1:
    return b0 < 0x80 ? b0 : 0xFFFD;
  case 2:
    return continuation(p[1]) ? ((b0 & 0x1F) << 6) | (p[1] ^ 0x80u) : 0xFFFD;
  case 3:
    if (!continuation(p[1]) || !continuation(p[2]) || (b0 < 0xE1 && p[1] < 0xA0))
      return 0xFFFD;
    c = ((b0 & 0xF) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
    return c >= 0xD800 && c <= 0xDFFF ? 0xFFFD : c;
  default:
    if (!continuation(p[1]) || !continuation(p[2]) || !continuation(p[3]) || (b0 < 0xF1 && p[1] < 0x90))
      return 0xFFFD;
    c = ((b0 & 7) << 18) | ((p[1] ^ 0x80u) << 12) | ((p[2] ^ 0x80u) << 6) | (p[3] ^ 0x80u);
    return c < CHAR_CODE_LIMIT ? c : 0xFFFD;
  }
}

/* The number of whole characters in data[start, end) and the index after the last of them. */
static size_t count_chars(enum Encoding enc, const uint8_t *data, size_t start, size_t end, size_t *last) {
  if (enc != ENC_UTF8) {
    *last = end;
    return end - start;
  }
  size_t i = start, n = 0;
  while (i < end) {
    size_t next = i + utf8_unit_length(data[i]);
    if (next > end)
      break;
    i = next;
    n++;
  }
  *last = i;
  return n;
}

static void decode_into(enum Encoding enc, const uint8_t *data, size_t start, size_t last, uint32_t *out) {
  for (size_t i = start; i < last;) {
    uint8_t b = data[i];
    if (enc == ENC_LATIN1) {
      *out++ = b;
      i++;
    } else if (enc == ENC_ASCII) {
      *out++ = b < 0x80 ? b : 0xFFFD;
      i++;
    } else {
      size_t n = utf8_unit_length(b);
      *out++ = utf8_decode_unit(data + i, n);
      i += n;
    }
  }
}

/* The octets of vector between start and end, in the coordinates of its simple storage. */
static const uint8_t *decode_args(Thread *th, Value vector, Value start, Value end, size_t *s, size_t *e) {
  size_t len = sequence_length(th, vector);
  string_sequence_bounds(th, vector, start, end, len, s, e);
  size_t offset;
  Octets *o = octet_storage(vector, &offset);
  if (!o) {
    if (!is_type(vector, T_SVECTOR) && !is_type(vector, T_NUMVEC) && !is_type(vector, T_ARRAY) &&
        !is_any_string(vector))
      type_error(th, vector, SYM(array));
    type_error_c(th, vector, "(ARRAY (UNSIGNED-BYTE 8) (*))");
  }
  *s += offset;
  *e += offset;
  return o->data;
}

/* args: vector, start end external-format string */
static Value lisp_decode_string_from_octets(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  size_t s, e, last;
  const uint8_t *data = decode_args(th, args[0], args[1], args[2], &s, &e);
  ExternalFormat ef = normalize_external_format(th, args[3]);
  size_t nchars = count_chars(ef.enc, data, s, e, &last);
  Value string = args[4];
  if (!supplied(string)) {
    string = make_string_n(th, nchars);
  } else {
    if (!is_string(string))
      type_error(th, string, SYM(simple_string));
    if (string_of(string)->len < nchars)
      simple_error(th, "String ~S is too small; ~D characters are needed.", string,
                   make_fixnum((intptr_t)nchars));
  }
  decode_into(ef.enc, data, s, last, string_of(string)->data);
  return values2(th, string, make_fixnum((intptr_t)last));
}

/* args: vector, start end external-format. CCL wants a simple octet vector here. */
static Value lisp_count_characters_in_octet_vector(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value vector = args[0];
  size_t s, e, last;
  string_sequence_bounds(th, vector, args[1], args[2], sequence_length(th, vector), &s, &e);
  ExternalFormat ef = normalize_external_format(th, args[3]);
  if (!is_type(vector, T_OCTETS))
    type_error_c(th, vector, "(SIMPLE-ARRAY (UNSIGNED-BYTE 8) (*))");
  size_t n = count_chars(ef.enc, octets_of(vector)->data, s, e, &last);
  return values2(th, make_fixnum((intptr_t)n), make_fixnum((intptr_t)last));
}

/* ---- Registration ---- */

static const NativeDesc octets_natives[] = {
    {"CCL:ENCODE-STRING-TO-OCTETS", lisp_encode_string_to_octets, 1, 1, NAT_MV,
     "start end external-format use-byte-order-mark vector vector-offset",
     "(string &key (start 0) end (external-format :default) use-byte-order-mark vector (vector-offset 0))",
     "Encode the characters of STRING from START to END in EXTERNAL-FORMAT (by default ISO-8859-1 with :UNIX "
     "line termination) into VECTOR, a simple (unsigned-byte 8) vector, from VECTOR-OFFSET, or into a new "
     "one. "
     "Characters the encoding lacks become #\\Sub. Returns the vector and the index after the last octet."},
    {"CCL:DECODE-STRING-FROM-OCTETS", lisp_decode_string_from_octets, 1, 1, NAT_MV,
     "start end external-format string", "(vector &key (start 0) end (external-format :default) string)",
     "Decode the octets of VECTOR from START to END in EXTERNAL-FORMAT into STRING (a simple string long "
     "enough) or a new string; invalid sequences become #\\Replacement_Character. Returns the string and the "
     "index after the last octet used (an incomplete character at the end is left out)."},
    {"CCL:STRING-SIZE-IN-OCTETS", lisp_string_size_in_octets, 1, 1, 0,
     "start end external-format use-byte-order-mark",
     "(string &key (start 0) end (external-format :default) use-byte-order-mark)",
     "Return the number of octets ENCODE-STRING-TO-OCTETS would produce for the same arguments."},
    {"CCL:COUNT-CHARACTERS-IN-OCTET-VECTOR", lisp_count_characters_in_octet_vector, 1, 1, NAT_MV,
     "start end external-format", "(vector &key (start 0) end (external-format :default))",
     "Return the number of whole characters encoded in VECTOR from START to END, and the index after them."},
    {0},
};

void builtins_strings_octets_init(Thread *th) { define_natives(th, octets_natives); }
