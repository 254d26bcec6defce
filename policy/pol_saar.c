/* pol_saar.c: see pol_saar.h. Words are matched case-insensitively as
 * substrings of the lower-cased text; lists are short on purpose and
 * easy to extend. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "pol_saar.h"

static const char *const called[] = {
	"112", "politie gebeld", "politie is gebeld", "politie ingelicht", "politie onderweg",
	"politie is onderweg", "called the police", "police called", "police are on", NULL,
};
static const char *const signalement[] = {
	/* clothing */
	"jas", "jack", "capuchon", "hoodie", "trui", "broek", "jeans", "pet ", "muts", "schoenen", "sneakers",
	"shirt", "vest", "tas", "rugzak", "bivakmuts", "handschoenen", "kleding", "gekleed", "donkere kleding",
	"coat", "jacket", "hood", "trousers", "cap", "backpack", "wearing", "dressed",
	/* build, age, height */
	"lang", "klein", "fors", "slank", "dik", "gespierd", "postuur", "lengte", "baard", "snor", "kaal",
	"jaar oud", "ongeveer", "tall", "short", "slim", "beard", "build",
	/* vehicles */
	"auto", "scooter", "fiets", "busje", "bus ", "bestelbus", "brommer", "motor", "kenteken", "car", "bike",
	"licence plate", "license plate",
	/* behaviour */
	"loert", "loerde", "gluurt", "voelt aan", "probeert", "probeerde", "deurklink", "rondhangen",
	"hangt rond", "filmt", "maakt foto", "inbreken", "ingebroken", "trying", "looking into",
	NULL,
};
static const char *const direction[] = {
	"richting", "liep naar", "lopen naar", "loopt naar", "rende", "rent ", "reed weg", "rijdt weg",
	"reed naar", "rijdt naar", "fietste", "vluchtte", "gevlucht", "afgeslagen", "de hoek om",
	"towards", "heading", "ran off", "drove off", "went to", NULL,
};
static const char *const own_action[] = {
	"ik blijf", "ik houd", "ik hou ", "ik ga ", "ik kijk", "ik wacht", "ik bel", "blijf binnen",
	"ik doe niets", "ik volg", "i will", "i'll", "i am staying", "i stay", NULL,
};
static const char *const origin[] = {
	"donkere huid", "getint", "buitenlands", "buitenlander", "allochto", "marokka", "turks", "turk ",
	"afrika", "zwarte man", "zwarte jongen", "zwarte vrouw", "blanke", "oost-europe", "roma",
	"arabisch", "aziatisch", "dark skin", "foreign", "black man", "black guy", "white man", NULL,
};
static const char *const thanks[] = {
	"bedankt", "dank", "je", "u", "wel", "dankjewel", "dankje", "thanks", "thank", "you", "top", "oké",
	"oke", "ok", "okay", "goed", "zo", "super", "prima", "thx", "tnx", "allen", "allemaal", "iedereen", NULL,
};

static int is_letter(unsigned char c)
{
	return isalpha(c) || c >= 0x80;
}

/* A word matches at the start of a word in text ("capuchon" in
 * "capuchontrui", not "auto" in "kauto"); a short one (3 bytes or less)
 * only as a whole word, so "pet" is not found in "petje" nor "car" in
 * "carnaval". */
static int has_any(const char *text, const char *const *words)
{
	for (; *words; words++) {
		size_t n = strlen(*words);
		const char *p = text;

		while ((p = strstr(p, *words))) {
			int start = p == text || !is_letter((unsigned char)p[-1]);
			int end = n > 3 || !is_letter((unsigned char)p[n]) || !is_letter((unsigned char)(*words)[n - 1]);

			if (start && end)
				return 1;
			p++;
		}
	}
	return 0;
}

static int is_one_of(const char *word, const char *const *words)
{
	for (; *words; words++)
		if (strcmp(word, *words) == 0)
			return 1;
	return 0;
}

/* An acknowledgement is short and made of thanks words, punctuation and
 * emoji only. */
static int only_thanks(const char *t)
{
	char word[64];
	size_t n = strlen(t), i = 0, k;
	int words = 0;

	if (n == 0 || n > 60)
		return 0;
	while (t[i]) {
		while (t[i] && (isspace((unsigned char)t[i]) || strchr("!.,?", t[i])))
			i++;
		for (k = 0; t[i] && !isspace((unsigned char)t[i]) && !strchr("!.,?", t[i]) && k + 1 < sizeof word; i++)
			word[k++] = t[i];
		word[k] = '\0';
		if (!k)
			continue;
		words++;
		if (!is_one_of(word, thanks) && !((unsigned char)word[0] >= 0xe2))  /* emoji and symbols */
			return 0;
	}
	return words > 0 && words <= 5;
}

void pol_saar_check(const char *text, pol_saar *out)
{
	size_t n = text ? strlen(text) : 0, i;
	char *low = malloc(n + 2);

	memset(out, 0, sizeof *out);
	if (!low)
		return;
	for (i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)text[i]);
	low[n] = ' ';   /* so "pet " matches at the end */
	low[n + 1] = '\0';
	out->called_112 = has_any(low, called);
	out->signalement = has_any(low, signalement);
	out->looprichting = has_any(low, direction);
	out->own_action = has_any(low, own_action);
	out->origin_only = has_any(low, origin) && !out->signalement;
	low[n] = '\0';
	out->acknowledgement = only_thanks(low);
	free(low);
}
