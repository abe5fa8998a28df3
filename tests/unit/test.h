/* Shared by the unit tests: cmocka, and a double comparison (cmocka
 * 1.1.5's assert_float_equal works in float). */
#ifndef TESTS_UNIT_TEST_H
#define TESTS_UNIT_TEST_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#define assert_near(a, b, rel)                                                 \
	assert_true(fabs((double)(a) - (double)(b)) <=                         \
		    (rel) * fmax(fabs((double)(b)), 1e-300))

#endif
