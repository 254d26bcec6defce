/* test_buf.c: the bounded text buffer (matrix/mx_buf): appends up to the
 * cap exactly, a failure past it that sticks and empties the buffer, and
 * handing the content over. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "matrix/mx_buf.h"

Test(buf, appends_bytes_strings_and_formats)
{
	mx_buf b;
	char *s = NULL;
	size_t n = 99;

	mx_buf_init(&b, 100);
	cr_assert_str_eq(mx_buf_str(&b), "");
	cr_assert_eq(mx_buf_add(&b, "ab\0c", 4), MX_OK);
	cr_assert_eq(mx_buf_add_str(&b, "de"), MX_OK);
	cr_assert_eq(mx_buf_printf(&b, "-%d-%s", 42, "x"), MX_OK);
	cr_assert_eq(mx_buf_len(&b), 11);
	cr_assert_eq(memcmp(mx_buf_str(&b), "ab\0cde-42-x", 12), 0);
	cr_assert_eq(mx_buf_take(&s, &n, &b), MX_OK);
	cr_assert_eq(n, 11);
	cr_assert_eq(memcmp(s, "ab\0cde-42-x", 12), 0);
	cr_assert_eq(mx_buf_len(&b), 0, "taking leaves the buffer empty");
	cr_assert_str_eq(mx_buf_str(&b), "");
	free(s);
	mx_buf_free(&b);
}

Test(buf, take_of_nothing_is_an_empty_string)
{
	mx_buf b;
	char *s = NULL;

	mx_buf_init(&b, 0);
	cr_assert_eq(mx_buf_take(&s, NULL, &b), MX_OK);
	cr_assert_not_null(s);
	cr_assert_str_eq(s, "");
	free(s);
}

Test(buf, fills_to_the_cap_exactly_and_fails_one_past)
{
	mx_buf b;
	char big[300];

	memset(big, 'x', sizeof big);
	mx_buf_init(&b, 300);
	cr_assert_eq(mx_buf_add(&b, big, 299), MX_OK);
	cr_assert_eq(mx_buf_add(&b, "y", 1), MX_OK, "the cap itself fits");
	cr_assert_eq(mx_buf_len(&b), 300);
	cr_assert_eq(mx_buf_str(&b)[300], '\0');
	cr_assert_eq(b.alloc, 301, "never allocates past the cap and its NUL");
	cr_assert_eq(mx_buf_add(&b, "z", 1), MX_ERR_TOO_LARGE);
	mx_buf_free(&b);
}

Test(buf, a_failure_sticks_and_empties)
{
	mx_buf b;
	char *s = (char *)"unchanged";
	size_t n = 7;

	mx_buf_init(&b, 8);
	cr_assert_eq(mx_buf_add_str(&b, "12345"), MX_OK);
	cr_assert_eq(mx_buf_add_str(&b, "6789"), MX_ERR_TOO_LARGE);
	cr_assert_eq(mx_buf_len(&b), 0);
	cr_assert_str_eq(mx_buf_str(&b), "");
	cr_assert_eq(mx_buf_status(&b), MX_ERR_TOO_LARGE);
	/* a later append that would fit still fails: the content is gone */
	cr_assert_eq(mx_buf_add_str(&b, "a"), MX_ERR_TOO_LARGE);
	cr_assert_eq(mx_buf_printf(&b, "%s", "a"), MX_ERR_TOO_LARGE);
	cr_assert_eq(mx_buf_len(&b), 0);
	cr_assert_eq(mx_buf_take(&s, &n, &b), MX_ERR_TOO_LARGE);
	cr_assert_str_eq(s, "unchanged");
	cr_assert_eq(n, 7);
	/* taking cleared the failure */
	cr_assert_eq(mx_buf_status(&b), MX_OK);
	cr_assert_eq(mx_buf_add_str(&b, "again"), MX_OK);
	cr_assert_str_eq(mx_buf_str(&b), "again");
	mx_buf_free(&b);
}

Test(buf, printf_past_the_cap_fails)
{
	mx_buf b;

	mx_buf_init(&b, 10);
	cr_assert_eq(mx_buf_printf(&b, "%s", "0123456789"), MX_OK);
	cr_assert_eq(mx_buf_printf(&b, "%d", 1), MX_ERR_TOO_LARGE);
	mx_buf_free(&b);
}

Test(buf, reset_keeps_cap_and_clears_failure)
{
	mx_buf b;

	mx_buf_init(&b, 4);
	cr_assert_eq(mx_buf_add_str(&b, "abcde"), MX_ERR_TOO_LARGE);
	mx_buf_reset(&b);
	cr_assert_eq(mx_buf_status(&b), MX_OK);
	cr_assert_eq(mx_buf_add_str(&b, "abcd"), MX_OK);
	mx_buf_reset(&b);
	cr_assert_eq(mx_buf_len(&b), 0);
	cr_assert_str_eq(mx_buf_str(&b), "");
	cr_assert_eq(mx_buf_add_str(&b, "wxyz"), MX_OK);
	cr_assert_eq(mx_buf_add_str(&b, "!"), MX_ERR_TOO_LARGE, "reset keeps the cap");
	mx_buf_free(&b);
	mx_buf_free(NULL);
}

Test(buf, grows_through_many_appends)
{
	mx_buf b;
	size_t i;

	mx_buf_init(&b, 100000);
	for (i = 0; i < 10000; i++)
		cr_assert_eq(mx_buf_printf(&b, "%zu,", i % 10), MX_OK);
	cr_assert_eq(mx_buf_len(&b), 20000);
	cr_assert_eq(strncmp(mx_buf_str(&b) + 19990, "5,6,7,8,9,", 10), 0);
	mx_buf_free(&b);
}

Test(buf, a_huge_cap_is_clamped_not_overflowed)
{
	mx_buf b;

	mx_buf_init(&b, (size_t)-1);
	cr_assert_eq(mx_buf_add_str(&b, "a"), MX_OK);
	/* len + n would wrap: refused as too large before any allocation */
	cr_assert_eq(mx_buf_add(&b, "", (size_t)-1), MX_ERR_TOO_LARGE);
	mx_buf_free(&b);
}
