/* test_polbuf.c: the bounded text builder of policy/ and bot/ (pol_buf):
 * appends within the cap, what is kept when the cap is hit, and that a
 * builder that hit it stays failed. */
#include <criterion/criterion.h>
#include <string.h>
#include "policy/pol_buf.h"

Test(pol_buf, appends_within_the_cap)
{
	char mem[32];
	pol_buf b;

	pol_buf_init(&b, mem, sizeof mem);
	cr_assert_str_eq(mem, "");
	cr_assert_eq(pol_buf_add_sep(&b, ", ", "Noord"), 0);
	cr_assert_eq(pol_buf_add_sep(&b, ", ", "Zuid"), 0);
	cr_assert_eq(pol_buf_printf(&b, " (%d)", 2), 0);
	cr_assert_str_eq(mem, "Noord, Zuid (2)");
	cr_assert_eq(pol_buf_len(&b), strlen(mem));
	cr_assert_eq(pol_buf_status(&b), 0);
}

Test(pol_buf, the_cap_cuts_fails_and_stays_failed)
{
	char mem[8];
	pol_buf b;

	pol_buf_init(&b, mem, sizeof mem);
	cr_assert_eq(pol_buf_add(&b, "abcde"), 0);
	cr_assert_eq(pol_buf_add(&b, "fghij"), -1, "an append past the cap succeeded");
	cr_assert_str_eq(mem, "abcdefg", "not what fit, NUL-terminated");
	cr_assert_eq(pol_buf_status(&b), -1);
	cr_assert_eq(pol_buf_add(&b, ""), -1, "a full builder took more");
	cr_assert_eq(pol_buf_printf(&b, "%s", "x"), -1);
	cr_assert_str_eq(mem, "abcdefg");
}

Test(pol_buf, printf_past_the_cap_is_cut_too)
{
	char mem[6];
	pol_buf b;

	pol_buf_init(&b, mem, sizeof mem);
	cr_assert_eq(pol_buf_printf(&b, "%d-%d", 123, 456), -1);
	cr_assert_str_eq(mem, "123-4");
	cr_assert_eq(pol_buf_len(&b), 5);
}

Test(pol_buf, appends_after_text_already_there)
{
	char mem[16] = "kop";
	pol_buf b;

	pol_buf_init_at_end(&b, mem, sizeof mem);
	cr_assert_eq(pol_buf_add_sep(&b, "\n", "regel"), 0);
	cr_assert_str_eq(mem, "kop\nregel");
	/* memory without a NUL within its size is cut to fit */
	memset(mem, 'x', sizeof mem);
	pol_buf_init_at_end(&b, mem, sizeof mem);
	cr_assert_eq(pol_buf_len(&b), sizeof mem - 1);
	cr_assert_eq(pol_buf_add(&b, "y"), -1);
	cr_assert_eq(mem[sizeof mem - 1], '\0');
}
