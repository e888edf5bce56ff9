/* lisp_scan.h — finding the top-level forms of Lisp source text without reading it:
 * used at start-up (autoload.c) and by the build tool that indexes the embedded stdlib. */
#ifndef CLOVE_LISP_SCAN_H
#define CLOVE_LISP_SCAN_H

#include <stddef.h>

static inline size_t skip_block_comment(const char *s, size_t n, size_t i) {
  int depth = 0;
  while (i + 1 < n) {
    if (s[i] == '#' && s[i + 1] == '|') {
      depth++;
      i += 2;
    } else if (s[i] == '|' && s[i + 1] == '#') {
      i += 2;
      if (--depth == 0) return i;
    } else {
      i++;
    }
  }
  return n;
}

static inline size_t skip_space(const char *s, size_t n, size_t i) {
  while (i < n) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
      i++;
    } else if (c == ';') {
      while (i < n && s[i] != '\n') i++;
    } else if (c == '#' && i + 1 < n && s[i + 1] == '|') {
      i = skip_block_comment(s, n, i);
    } else {
      break;
    }
  }
  return i;
}

/* Index just past the list starting at s[i] == '(', or 0 if it does not end. */
static inline size_t list_end(const char *s, size_t n, size_t i) {
  int depth = 0;
  while (i < n) {
    char c = s[i];
    switch (c) {
    case '(': depth++; i++; break;
    case ')':
      i++;
      if (--depth == 0) return i;
      break;
    case '"':
    case '|':
      for (i++; i < n && s[i] != c; i++)
        if (s[i] == '\\') i++;
      i++;
      break;
    case ';':
      while (i < n && s[i] != '\n') i++;
      break;
    case '\\': i += 2; break;
    case '#':
      if (i + 1 < n && s[i + 1] == '|') i = skip_block_comment(s, n, i);
      else if (i + 1 < n && s[i + 1] == '\\') i += 3; /* #\( and friends */
      else i++;
      break;
    default: i++;
    }
  }
  return 0;
}

/* The next top-level form of s[0..n) at or after i: its start in *start and the index
 * just past it (0 at the end of the text, or when what follows is not a balanced list:
 * the reader must take the rest from *start then). */
static inline size_t next_form(const char *s, size_t n, size_t i, size_t *start) {
  i = skip_space(s, n, i);
  *start = i;
  if (i >= n || s[i] != '(') return 0;
  return list_end(s, n, i);
}

#endif
