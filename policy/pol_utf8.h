/* pol_utf8.h: reading text from residents safely. Decodes UTF-8 one code
 * point at a time (refusing overlong forms, surrogates and anything past
 * U+10FFFF) and sorts code points into what the checks on names, buurt
 * answers and meldingen need: letters, combining marks, digits, spaces,
 * invisible characters, direction controls and other controls. Pure. */
#ifndef POL_UTF8_H
#define POL_UTF8_H

#include <stddef.h>
#include <stdint.h>

typedef enum pol_uclass {
	POL_U_OTHER = 0,   /* visible, not a letter: punctuation, symbols, emoji, scripts not in the table */
	POL_U_LETTER,      /* Unicode general category L* (Latin to CJK, see pol_utf8.c) */
	POL_U_MARK,        /* combining mark (M*): part of the letter before it */
	POL_U_DIGIT,       /* decimal digit (Nd) */
	POL_U_SPACE,       /* U+0020 and the other visible spaces (Zs) */
	POL_U_INVISIBLE,   /* zero-width and format characters (Cf), direction marks, fillers,
			    * variation selectors, tags: nothing to see */
	POL_U_BIDI,        /* embeddings, overrides, isolates (U+202A..E, U+2066..9): they
			    * turn the text after them around */
	POL_U_CONTROL,     /* C0 and C1 controls, DEL, line and paragraph separators, noncharacters */
} pol_uclass;

/* Decodes the code point at s, reading at most avail bytes. Returns its
 * length (1..4) and sets *cp, or 0 for invalid UTF-8 (then *cp is left
 * unchanged). */
size_t pol_utf8_decode(const char *s, size_t avail, uint32_t *cp);

pol_uclass pol_utf8_class(uint32_t cp);

/* 1 when s[0..n) is valid UTF-8 throughout, else 0. */
int pol_utf8_valid(const char *s, size_t n);

typedef enum pol_utf8_verdict {
	POL_UTF8_OK = 0,
	POL_UTF8_INVALID,     /* not UTF-8 */
	POL_UTF8_BIDI,        /* a direction control */
	POL_UTF8_CONTROL,     /* a control character other than whitespace */
	POL_UTF8_MARKS,       /* a combining mark with no letter before it, or too many on one */
	POL_UTF8_TOO_LONG,    /* the cleaned line does not fit in out */
} pol_utf8_verdict;

/* What pol_utf8_line found in the text it kept. */
typedef struct pol_utf8_counts {
	size_t letters;   /* code points of class POL_U_LETTER */
	size_t digits;
	size_t visible;   /* letters, digits and other visible characters, not marks or spaces */
} pol_utf8_counts;

/* One line as a resident typed it, made safe to store and show: invisible
 * characters are dropped, every run of spaces, tabs and line breaks
 * becomes one space, and the ends are trimmed. Direction controls, other
 * controls, invalid UTF-8 and piles of combining marks are refused, not
 * repaired. Writes the cleaned line into out (size bytes, terminated) and
 * fills counts (may be NULL). On anything but POL_UTF8_OK, out is "" and
 * counts are zero. */
pol_utf8_verdict pol_utf8_line(const char *in, char *out, size_t size, pol_utf8_counts *counts);

#endif
