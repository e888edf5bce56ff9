/* test_netdb.c — Check suite for netdb.c: CCL's errno/getaddrinfo identifier tables,
 * dotted address parsing and printing, resolution, and the socket conditions' texts. */
#include <check.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../builtins/sockets.h"
#include "../../include/clove.h"

extern Thread *clove_vm_thread(CloveVM *vm);

static CloveVM *cvm;

/* The printed value of evaluating src, or "ERROR: <text>"; malloc'd. */
static char *eval(const char *src) {
  char *out = NULL;
  if (clove_eval_string(cvm, src, &out) != CLOVE_OK) {
    const char *e = clove_error_text(cvm);
    size_t n = strlen(e) + 8;
    out = malloc(n);
    snprintf(out, n, "ERROR: %s", e);
  }
  return out;
}

#define ck_eval(src, expected)            \
  do {                                    \
    char *got_ = eval(src);               \
    ck_assert_str_eq(got_, expected);     \
    free(got_);                           \
  } while (0)

START_TEST(test_errno_table) {
  ck_assert_str_eq(socket_errno_identifier(EADDRINUSE), "ADDRESS-IN-USE");
  ck_assert_str_eq(socket_errno_identifier(ECONNREFUSED), "CONNECTION-REFUSED");
  ck_assert_str_eq(socket_errno_identifier(ECONNRESET), "CONNECTION-RESET");
  ck_assert_str_eq(socket_errno_identifier(ETIMEDOUT), "CONNECTION-TIMED-OUT");
  ck_assert_str_eq(socket_errno_identifier(EHOSTUNREACH), "HOST-UNREACHABLE");
  ck_assert_str_eq(socket_errno_identifier(ENETUNREACH), "HOST-UNREACHABLE");
  ck_assert_str_eq(socket_errno_identifier(EACCES), "ACCESS-DENIED");
  ck_assert_str_eq(socket_errno_identifier(EPERM), "ACCESS-DENIED");
  ck_assert_str_eq(socket_errno_identifier(ENFILE), "NO-BUFFER-SPACE");
  ck_assert_str_eq(socket_errno_identifier(ENOMEM), "NO-BUFFER-SPACE");
  ck_assert_str_eq(socket_errno_identifier(ECONNABORTED), "CONNECTION-ABORTED");
  ck_assert_str_eq(socket_errno_identifier(EADDRNOTAVAIL), "ADDRESS-NOT-AVAILABLE");
  ck_assert_str_eq(socket_errno_identifier(ESHUTDOWN), "SHUTDOWN");
  ck_assert_str_eq(socket_errno_identifier(EPIPE), "UNKNOWN");
  ck_assert_str_eq(socket_errno_identifier(0), "UNKNOWN");
  ck_assert_str_eq(socket_gai_identifier(EAI_NONAME), "HOST-NOT-FOUND");
  ck_assert_str_eq(socket_gai_identifier(EAI_AGAIN), "TRY-AGAIN");
  ck_assert_str_eq(socket_gai_identifier(EAI_FAIL), "NO-RECOVERY");
  ck_assert_str_eq(socket_gai_identifier(EAI_SERVICE), "UNKNOWN");
}
END_TEST

START_TEST(test_dotted_parsing) {
  uint32_t a = 0;
  ck_assert(parse_dotted("127.0.0.1", &a));
  ck_assert_uint_eq(a, 0x7f000001u);
  ck_assert(parse_dotted("127.1", &a)); /* inet_aton's short forms, as CCL accepts */
  ck_assert_uint_eq(a, 0x7f000001u);
  ck_assert(parse_dotted("255.255.255.255", &a));
  ck_assert_uint_eq(a, 0xffffffffu);
  ck_assert(!parse_dotted("256.0.0.1", &a));
  ck_assert(!parse_dotted("1.2.3.x", &a));
  ck_assert(!parse_dotted("", &a));
  ck_assert(!parse_dotted(NULL, &a));
  char buf[16];
  format_dotted(0x7f000001u, buf);
  ck_assert_str_eq(buf, "127.0.0.1");
  format_dotted(0xffffffffu, buf);
  ck_assert_str_eq(buf, "255.255.255.255");
  format_dotted(0, buf);
  ck_assert_str_eq(buf, "0.0.0.0");
}
END_TEST

START_TEST(test_resolve_and_text) {
  Thread *th = clove_vm_thread(cvm);
  struct addrinfo *res = resolve(th, "127.0.0.1", "80", AF_UNSPEC, SOCK_STREAM, false, true);
  ck_assert_ptr_nonnull(res);
  char text[80];
  sockaddr_text(res->ai_addr, text, sizeof text);
  ck_assert_str_eq(text, "127.0.0.1:80");
  ck_assert_int_eq(sockaddr_port(res->ai_addr), 80);
  freeaddrinfo(res);
  res = resolve(th, "::1", "8080", AF_UNSPEC, SOCK_STREAM, false, true);
  ck_assert_ptr_nonnull(res);
  sockaddr_text(res->ai_addr, text, sizeof text);
  ck_assert_str_eq(text, "[::1]:8080");
  freeaddrinfo(res);
  /* errorp false: NULL, no signal */
  ck_assert_ptr_null(resolve(th, "1.2.3.4", "no-such-service-xyz", AF_INET, SOCK_STREAM, false, false));
}
END_TEST

START_TEST(test_lisp_forms) {
  ck_eval("(dotted-to-ipaddr \"127.0.0.1\")", "2130706433");
  ck_eval("(dotted-to-ipaddr \"nope\" :errorp nil)", "NIL");
  ck_eval("(handler-case (dotted-to-ipaddr \"nope\") (error (e) (princ-to-string e)))",
          "\"Invalid dotted address \\\"nope\\\"\"");
  ck_eval("(ipaddr-to-dotted 2130706433)", "\"127.0.0.1\"");
  ck_eval("(ipaddr-to-dotted 2130706433 :values t)", "127\n0\n0\n1");
  ck_eval("(lookup-hostname \"127.0.0.1\")", "2130706433");
  ck_eval("(lookup-hostname 42)", "42");
  ck_eval("(lookup-port 8080 \"tcp\")", "8080");
  ck_eval("(lookup-port :http \"tcp\")", "80");
  ck_eval("(lookup-port \"no-such-service-xyz\" \"tcp\")", "NIL");
}
END_TEST

/* Signals from C exactly as make-socket's bind does. */
static CloveValue signal_bind_error(CloveVM *vm, int nargs, const CloveValue *args) {
  (void)nargs;
  (void)args;
  socket_creation_error(clove_vm_thread(vm), EADDRINUSE, "bind", NULL);
}

static CloveValue signal_connect_error(CloveVM *vm, int nargs, const CloveValue *args) {
  (void)nargs;
  (void)args;
  socket_creation_error(clove_vm_thread(vm), ECONNREFUSED, "connect", "127.0.0.1:4242");
}

START_TEST(test_condition_texts) {
  ck_assert_int_eq(clove_define(cvm, "TEST-BIND-ERROR", 0, 0, signal_bind_error, NULL), 0);
  ck_assert_int_eq(clove_define(cvm, "TEST-CONNECT-ERROR", 0, 0, signal_connect_error, NULL), 0);
  ck_eval("(handler-case (test-connect-error) (socket-creation-error (e) (list (princ-to-string e) "
          "(socket-creation-error-identifier e) (typep e 'socket-error))))",
          "(\"Connection refused (error #111) during attempt to connect to 127.0.0.1:4242\" :CONNECTION-REFUSED NIL)");
  /* The conditions the C side signals carry CCL's message, code, identifier and situation. */
  ck_eval("(handler-case (test-bind-error)"
          " (socket-creation-error (e) (list (princ-to-string e) (socket-creation-error-code e)"
          " (socket-creation-error-identifier e) (socket-creation-error-situation e))))",
          "(\"Address already in use (error #98) during socket creation operation in bind\" 98 :ADDRESS-IN-USE "
          "\"bind\")");
}
END_TEST

static Suite *netdb_suite(void) {
  Suite *s = suite_create("netdb");
  TCase *tc = tcase_create("netdb");
  tcase_add_test(tc, test_errno_table);
  tcase_add_test(tc, test_dotted_parsing);
  tcase_add_test(tc, test_resolve_and_text);
  tcase_add_test(tc, test_lisp_forms);
  tcase_add_test(tc, test_condition_texts);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  cvm = clove_open(NULL);
  if (!cvm) {
    fprintf(stderr, "clove_open failed\n");
    return EXIT_FAILURE;
  }
  SRunner *sr = srunner_create(netdb_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  clove_close(cvm);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
