/* pol_buf.c: see pol_buf.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "pol_buf.h"

void pol_buf_init(pol_buf *b, char *mem, size_t size)
{
	b->p = mem;
	b->size = size;
	b->len = 0;
	b->full = size == 0;
	if (size)
		mem[0] = '\0';
}

void pol_buf_init_at_end(pol_buf *b, char *mem, size_t size)
{
	pol_buf_init(b, mem, 0);
	b->size = size;
	b->full = size == 0;
	if (size) {
		b->len = strnlen(mem, size - 1);
		mem[b->len] = '\0';
	}
}

int pol_buf_add(pol_buf *b, const char *s)
{
	size_t n = strlen(s), room;

	if (b->full)
		return -1;
	room = b->size - 1 - b->len;
	if (n > room) {
		n = room;
		b->full = 1;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return b->full ? -1 : 0;
}

int pol_buf_printf(pol_buf *b, const char *fmt, ...)
{
	va_list ap;
	size_t room;
	int n;

	if (b->full)
		return -1;
	room = b->size - b->len;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, room, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->p[b->len] = '\0';
		b->full = 1;
		return -1;
	}
	if ((size_t)n >= room) {
		b->len = b->size - 1;
		b->full = 1;
		return -1;
	}
	b->len += (size_t)n;
	return 0;
}

int pol_buf_add_sep(pol_buf *b, const char *sep, const char *s)
{
	if (b->len && pol_buf_add(b, sep) != 0)
		return -1;
	return pol_buf_add(b, s);
}

int pol_buf_status(const pol_buf *b)
{
	return b->full ? -1 : 0;
}

size_t pol_buf_len(const pol_buf *b)
{
	return b->len;
}
