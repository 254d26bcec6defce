/* web_flyer.h: the publicity of a wijk (issue 15): a printable flyer (PDF,
 * A5 or A4) and a PNG with the wijk's name, what buurtpreventie means, the
 * sign-up address and a QR code of it (cairo, libqrencode). */
#ifndef WEB_FLYER_H
#define WEB_FLYER_H

#include <stddef.h>
#include "web_pages.h"

typedef enum web_flyer_kind { WEB_FLYER_A5 = 0, WEB_FLYER_A4, WEB_FLYER_PNG } web_flyer_kind;

#define WEB_FLYER_PNG_W 1240    /* A5 at 212 dpi: sharp in print and on a screen */
#define WEB_FLYER_PNG_H 1748

/* Renders into *out (malloc'ed, *len bytes). 0 or -1. */
int web_flyer_render(const web_site *site, const pol_wijk *w, pol_lang lang, web_flyer_kind kind,
		     unsigned char **out, size_t *len);
/* --flyer: writes flyer-<wijk>-a5.pdf, -a4.pdf and .png into dir (made
 * when missing). 0 or -1
 * (with a line on stderr). */
int web_flyer_files(const web_site *site, const pol_wijk *w, pol_lang lang, const char *dir);
/* Frees cairo's and fontconfig's caches (at exit, for leak checks). */
void web_flyer_cleanup(void);
/* The sign-up address of w into out. */
void web_flyer_url(const web_site *site, const pol_wijk *w, char *out, size_t size);

#endif
