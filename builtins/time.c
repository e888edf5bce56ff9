/* time.c — time as CCL tells it: universal and decoded time (CCL's calendar arithmetic),
 * internal real and run time in microseconds, SLEEP, and the measurements TIME reports. */
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "../interp/io.h"

#define UNIX_TO_UNIVERSAL 2208988800LL
#define UNITS_PER_SECOND 1000000 /* CCL's internal-time-units-per-second on 64-bit targets */

/* Floor division and modulus: the calendar arithmetic below is CCL's, made sane for
 * times before its epoch offsets (CCL truncates; both agree on every positive case). */
static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}
static int64_t floor_mod(int64_t a, int64_t b) { return a - floor_div(a, b) * b; }

/* CCL's GET-TIMEZONE: minutes west of Greenwich at unix time t (daylight saving
 * included) and whether daylight saving was in effect. tzset each time so that a
 * change of TZ (setenv) is seen, as CCL's localtime_r sees it. */
static int64_t timezone_minutes_west(int64_t unix_time, bool *dst) {
  time_t t = (time_t)unix_time;
  struct tm tm;
  tzset();
  if (localtime_r(&t, &tm) == NULL) {
    if (dst) *dst = false;
    return 0;
  }
  if (dst) *dst = tm.tm_isdst > 0;
  return floor_div(-(int64_t)tm.tm_gmtoff, 60);
}

static int64_t now_universal(void) { return (int64_t)time(NULL) + UNIX_TO_UNIVERSAL; }

/* A rational time zone (hours west) as whole seconds; CCL multiplies by 3600 and
 * needs a fixnum. */
static int64_t zone_seconds(Thread *th, Value tz) {
  if (!is_rational(tz)) type_error(th, tz, SYM(rational));
  Value secs = number_mul(th, tz, make_fixnum(3600));
  if (!is_fixnum(secs)) type_error_c(th, tz, "(RATIONAL -24 24)");
  return fixnum_val(secs);
}

typedef struct Decoded {
  int64_t second, minute, hour, date, month, year, day;
} Decoded;

/* CCL's DECODE-UNIVERSAL-TIME calendar, from universal time minus the zone offset. */
static Decoded decode_local(int64_t local) {
  Decoded d;
  int64_t total = local + 432000; /* seconds-offset */
  int64_t weeks = floor_div(total, 604800) + 2145;
  int64_t secs = floor_mod(total, 604800);
  int64_t t1 = secs / 60;
  d.second = secs % 60;
  int64_t tday = t1 / 1440;
  d.hour = (t1 - tday * 1440) / 60;
  d.minute = (t1 - tday * 1440) % 60;
  int64_t t2 = (weeks * 7 + tday + 678882) * 4 - 1;
  int64_t tcent = floor_div(t2, 146097);
  t2 = floor_mod(t2, 146097);
  t2 = t2 - t2 % 4 + 3;
  d.year = tcent * 100 + t2 / 1461;
  int64_t days_since_mar0 = (t2 % 1461) / 4 + 1;
  d.day = floor_mod(tday + 2, 7);
  int64_t t3 = days_since_mar0 * 5 + 456;
  if (t3 >= 1989) {
    t3 -= 1836;
    d.year++;
  }
  d.month = t3 / 153;
  d.date = (t3 % 153) / 5 + 1;
  return d;
}

/* Universal times the calendar arithmetic can take without overflowing (years far
 * beyond any clock). */
#define UT_LIMIT ((int64_t)1 << 55)

static Value decode_universal_time(Thread *th, Value ut, Value tz) {
  int64_t u = integer_to_intptr(th, ut, -UT_LIMIT, UT_LIMIT, "INTEGER");
  bool daylight = false;
  int64_t zone;
  if (tz == NIL) {
    zone = timezone_minutes_west(u - UNIX_TO_UNIVERSAL, &daylight) * 60;
  } else {
    zone = zone_seconds(th, tz);
  }
  Decoded d = decode_local(u - zone);
  Value hours = make_ratio(th, make_integer(th, zone), make_fixnum(3600));
  if (daylight) hours = number_add(th, hours, make_fixnum(1));
  Value v[9] = {make_fixnum(d.second), make_fixnum(d.minute), make_fixnum(d.hour),
                make_fixnum(d.date),   make_fixnum(d.month),  make_integer(th, d.year),
                make_fixnum(d.day),    BOOL(th, daylight),    hours};
  return values_n(th, 9, v);
}

static Value fn_get_universal_time(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  UNUSED(args);
  return make_integer(th, now_universal());
}

static Value fn_decode_universal_time(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return decode_universal_time(th, args[0], arg_or(args[1], NIL));
}

static Value fn_get_decoded_time(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  UNUSED(args);
  return decode_universal_time(th, make_integer(th, now_universal()), NIL);
}

static int64_t leap_years_before(int64_t year) {
  int64_t years = year - 1901;
  return years / 4 - years / 100 + (years + 300) / 400; /* truncating, as CCL */
}

static const int days_before_month[13] = {0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
static const int days_in_month[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

static int64_t check_range(Thread *th, Value v, int64_t lo, int64_t hi, const char *type) {
  return integer_to_intptr(th, v, lo, hi, type);
}

#define YEAR_LIMIT ((int64_t)1 << 40)

static Value fn_encode_universal_time(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  int64_t second = check_range(th, args[0], 0, 59, "(MOD 60)");
  int64_t minute = check_range(th, args[1], 0, 59, "(MOD 60)");
  int64_t hour = check_range(th, args[2], 0, 23, "(MOD 24)");
  int64_t date = check_range(th, args[3], 1, 31, "(INTEGER 1 31)");
  int64_t month = check_range(th, args[4], 1, 12, "(INTEGER 1 12)");
  if (!is_integer(args[5]) || number_compare(th, args[5], make_fixnum(0)) < 0)
    type_error_c(th, args[5], "UNSIGNED-BYTE");
  int64_t year = check_range(th, args[5], 0, YEAR_LIMIT, "UNSIGNED-BYTE");
  Value tz = arg_or(args[6], NIL);
  bool tz_p = supplied(args[6]);
  if (tz != NIL) {
    if (!is_rational(tz) || number_compare(th, tz, make_fixnum(-24)) < 0 ||
        number_compare(th, tz, make_fixnum(24)) > 0)
      type_error_c(th, tz, "(RATIONAL -24 24)");
  }
  if (year < 100) {
    /* Two-digit years: the one within 50 years of this one, as CCL. */
    int64_t zone = timezone_minutes_west(now_universal() - UNIX_TO_UNIVERSAL, NULL) * 60;
    int64_t this_year = decode_local(now_universal() - zone).year;
    int64_t past = this_year - 50, future = this_year + 49;
    int64_t maybe_past = past - past % 100 + year;
    int64_t maybe_future = future - future % 100 + year;
    year = maybe_past >= past ? maybe_past : maybe_future;
  }
  if (year < 1899) type_error_c(th, make_integer(th, year), "(INTEGER 1899)");
  int limit = days_in_month[month - 1];
  if (month == 2 && (year & 3) == 0 && (year % 400 == 0 || year % 100 != 0)) limit = 29;
  if (date > limit) {
    char spec[32];
    snprintf(spec, sizeof spec, "(INTEGER 1 %d)", limit);
    type_error_c(th, args[3], spec);
  }
  int64_t days = (date - 1) + days_before_month[month] +
                 (month > 2 ? leap_years_before(year + 1) : leap_years_before(year)) + (year - 1900) * 365;
  int64_t hours = hour + days * 24;
  Value result;
  if (tz != NIL) {
    /* (+ second (* (+ minute (* (+ hours time-zone) 60)) 60)): a ratio zone may give a ratio */
    Value h = number_add(th, make_integer(th, hours), tz);
    Value m = number_add(th, make_fixnum(minute), number_mul(th, h, make_fixnum(60)));
    result = number_add(th, make_fixnum(second), number_mul(th, m, make_fixnum(60)));
  } else {
    int64_t guess_west = timezone_minutes_west(hours * 3600 - UNIX_TO_UNIVERSAL, NULL);
    int64_t guess = minute + hours * 60 + guess_west;
    int64_t west = timezone_minutes_west(guess * 60 - UNIX_TO_UNIVERSAL, NULL);
    result = make_integer(th, second + (guess + (west - guess_west)) * 60);
  }
  if (number_compare(th, result, make_fixnum(0)) < 0)
    simple_error(th,
                 "Universal time for MM/DD/YYYY ~2,'0d/~2,'0d/~4,'0d ~2,'0d:~2,'0d:~2,'0d ~%with ~a time zone "
                 "would be negative.",
                 make_fixnum(month), make_fixnum(date), make_integer(th, year), make_fixnum(hour),
                 make_fixnum(minute), make_fixnum(second), make_string_c(th, tz_p ? "specified" : "current"));
  return result;
}

static int64_t monotonic_micros(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * UNITS_PER_SECOND + ts.tv_nsec / (1000000000 / UNITS_PER_SECOND);
}

static Value fn_get_internal_real_time(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  UNUSED(args);
  return make_integer(th, monotonic_micros());
}

static int64_t timeval_micros(struct timeval tv) { return (int64_t)tv.tv_sec * UNITS_PER_SECOND + tv.tv_usec; }

static Value fn_get_internal_run_time(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  UNUSED(args);
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return make_integer(th, timeval_micros(ru.ru_utime) + timeval_micros(ru.ru_stime));
}

/* CCL::%INTERNAL-RUN-TIME: user and system time, in internal time units. */
static Value fn_internal_run_time(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  UNUSED(args);
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return values2(th, make_integer(th, timeval_micros(ru.ru_utime)), make_integer(th, timeval_micros(ru.ru_stime)));
}

static Value fn_page_fault_info(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  UNUSED(args);
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return values3(th, make_integer(th, ru.ru_minflt), make_integer(th, ru.ru_majflt), make_integer(th, ru.ru_nswap));
}

/* CCL::GCTIME: time spent collecting, in internal time units (the first of CCL's values). */
static Value fn_gctime(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  UNUSED(args);
  GcStats s;
  gc_stats(th->vm, &s);
  return make_integer(th, (int64_t)(s.gc_seconds * UNITS_PER_SECOND));
}

static Value fn_cpu_count(Thread *th, int nargs, Value *args) {
  UNUSED(th);
  UNUSED(nargs);
  UNUSED(args);
  long n = sysconf(_SC_NPROCESSORS_CONF);
  return make_fixnum(n > 0 ? n : 1);
}

static Value fn_sleep(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value secs = args[0];
  if (!is_real(secs)) type_error(th, secs, SYM(real));
  if (number_compare(th, secs, make_fixnum(0)) < 0) type_error_c(th, secs, "(REAL 0 *)");
  io_sleep(th, number_to_double(th, secs));
  return NIL;
}

static const NativeDesc time_natives[] = {
    {"GET-UNIVERSAL-TIME", fn_get_universal_time, 0, 0, 0, NULL, "()",
     "Return a single integer for the current time of day in universal time format."},
    {"GET-DECODED-TIME", fn_get_decoded_time, 0, 0, NAT_MV, NULL, "()",
     "Return nine values specifying the current time as follows: second, minute, hour, date, month, "
     "year, day of week (0 = Monday), T (daylight savings times) or NIL (standard time), and timezone."},
    {"DECODE-UNIVERSAL-TIME", fn_decode_universal_time, 1, 2, NAT_MV, NULL, "(universal-time &optional time-zone)",
     "Converts a universal-time to decoded time format returning the following nine values: second, "
     "minute, hour, date, month, year, day of week (0 = Monday), T (daylight savings time) or NIL "
     "(standard time), and timezone. Completely ignores daylight-savings-time when time-zone is supplied."},
    {"ENCODE-UNIVERSAL-TIME", fn_encode_universal_time, 6, 7, 0, NULL,
     "(second minute hour date month year &optional (time-zone nil tz-p))",
     "The time values specified in decoded format are converted to universal time, which is returned."},
    {"GET-INTERNAL-REAL-TIME", fn_get_internal_real_time, 0, 0, 0, NULL, "()",
     "Return the real time in the internal time format. (See INTERNAL-TIME-UNITS-PER-SECOND.) This is "
     "useful for finding elapsed time."},
    {"GET-INTERNAL-RUN-TIME", fn_get_internal_run_time, 0, 0, 0, NULL, "()",
     "Return the run time in the internal time format. (See INTERNAL-TIME-UNITS-PER-SECOND.) This is "
     "useful for finding CPU usage."},
    {"SLEEP", fn_sleep, 1, 1, 0, NULL, "(seconds)",
     "This function causes execution to be suspended for N seconds. N may be any non-negative, "
     "non-complex number."},
    {"CCL::%INTERNAL-RUN-TIME", fn_internal_run_time, 0, 0, NAT_MV, NULL, "()",
     "User and system run time, in internal time units, as two values."},
    {"CCL::%PAGE-FAULT-INFO", fn_page_fault_info, 0, 0, NAT_MV, NULL, "()",
     "Minor page faults, major page faults and swaps so far, as three values."},
    {"CCL:GCTIME", fn_gctime, 0, 0, 0, NULL, "()", "Time spent in the garbage collector, in internal time units."},
    {"CCL:CPU-COUNT", fn_cpu_count, 0, 0, 0, NULL, "()", "The number of processors the machine has."},
    {0},
};

void builtins_time_init(Thread *th) {
  define_natives(th, time_natives);
  Value sym = intern_c(th, "INTERNAL-TIME-UNITS-PER-SECOND", th->vm->pkg_cl);
  export_symbol(th, sym, th->vm->pkg_cl);
  Symbol *s = symbol_of(th, sym);
  s->value = make_fixnum(UNITS_PER_SECOND);
  s->h.flags |= SYM_CONSTANT;
}
