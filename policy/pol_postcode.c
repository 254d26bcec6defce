/* pol_postcode.c: Dutch postcodes as numbers and ranges (reading what
 * residents and the structure file write, writing them back normalised),
 * and a buurt as the structure file writes it. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "pol_structure.h"
#include "pol_structure_int.h"

#define PC_LETTERS 676u   /* AA..ZZ */

/* Parses "4611", "4611AB" or "4611 AB" at *p; advances *p. */
static int pc_scan(const char **p, pol_postcode_range *r)
{
	const char *s = *p;
	uint32_t num;

	if (!pst_is_digit(s[0]) || s[0] == '0' || !pst_is_digit(s[1]) || !pst_is_digit(s[2]) ||
	    !pst_is_digit(s[3]) || pst_is_digit(s[4]))
		return -1;
	num = (uint32_t)((s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0'));
	s += 4;
	{
		const char *l = s;

		if (*l == ' ')
			l++;
		if (pst_is_letter(l[0]) && pst_is_letter(l[1]) && !pst_is_letter(l[2]) && !pst_is_digit(l[2])) {
			uint32_t v = num * PC_LETTERS + (uint32_t)(pst_lower(l[0]) - 'a') * 26u +
				     (uint32_t)(pst_lower(l[1]) - 'a');

			r->lo = r->hi = v;
			*p = l + 2;
			return 0;
		}
		if (pst_is_letter(l[0]))
			return -1;   /* one letter, or letters run on */
	}
	r->lo = num * PC_LETTERS;
	r->hi = num * PC_LETTERS + PC_LETTERS - 1;
	*p = s;
	return 0;
}

int pol_postcode_parse(const char *text, pol_postcode_range *out)
{
	const char *p;
	pol_postcode_range r;

	if (!text)
		return -1;
	p = text;
	while (pst_is_space(*p))
		p++;
	if (pc_scan(&p, &r) != 0)
		return -1;
	while (pst_is_space(*p))
		p++;
	if (*p != '\0')
		return -1;
	*out = r;
	return 0;
}

int pst_pc_spec_parse(const char *s, size_t n, pol_postcode_range *out)
{
	char buf[64];
	const char *p;
	pol_postcode_range a, b;

	if (n >= sizeof buf)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	p = buf;
	while (pst_is_space(*p))
		p++;
	if (pc_scan(&p, &a) != 0)
		return -1;
	while (pst_is_space(*p))
		p++;
	if (*p == '-') {
		p++;
		while (pst_is_space(*p))
			p++;
		if (pc_scan(&p, &b) != 0)
			return -1;
		while (pst_is_space(*p))
			p++;
		a.hi = b.hi;
	}
	if (*p != '\0')
		return -1;
	*out = a;
	return 0;
}

static void pc_format_one(char *buf, size_t size, size_t *len, uint32_t v, int with_letters)
{
	char tmp[8];

	pst_buf_add_uint(buf, size, len, v / PC_LETTERS);
	if (with_letters) {
		tmp[0] = (char)('A' + (v % PC_LETTERS) / 26);
		tmp[1] = (char)('A' + v % 26);
		tmp[2] = '\0';
		pst_buf_add(buf, size, len, tmp);
	}
}

void pst_pc_format(char *buf, size_t size, pol_postcode_range r)
{
	size_t len = 0;
	int whole = r.lo % PC_LETTERS == 0 && r.hi % PC_LETTERS == PC_LETTERS - 1;

	buf[0] = '\0';
	if (whole) {
		pc_format_one(buf, size, &len, r.lo, 0);
		if (r.hi / PC_LETTERS != r.lo / PC_LETTERS) {
			pst_buf_add(buf, size, &len, "-");
			pc_format_one(buf, size, &len, r.hi, 0);
		}
		return;
	}
	pc_format_one(buf, size, &len, r.lo, 1);
	if (r.hi != r.lo) {
		pst_buf_add(buf, size, &len, "-");
		pc_format_one(buf, size, &len, r.hi, 1);
	}
}

cJSON *pol_buurt_json(const pol_buurt *b)
{
	cJSON *o, *list;
	char buf[40];
	size_t i;

	if (!b->naam && b->n_postcodes == 1) {
		pst_pc_format(buf, sizeof buf, b->postcodes[0]);
		return cJSON_CreateString(buf);
	}
	if (b->n_postcodes == 0)
		return cJSON_CreateString(b->naam ? b->naam : b->label);
	o = cJSON_CreateObject();
	if (!o)
		return NULL;
	if (b->naam)
		cJSON_AddStringToObject(o, "naam", b->naam);
	list = cJSON_AddArrayToObject(o, "postcodes");
	for (i = 0; list && i < b->n_postcodes; i++) {
		pst_pc_format(buf, sizeof buf, b->postcodes[i]);
		cJSON_AddItemToArray(list, cJSON_CreateString(buf));
	}
	return o;
}
