/* pol_saar.c: see pol_saar.h. The text is read as words: lower-cased,
 * split at anything that is not a letter or digit (and between letters and
 * digits, "112gebeld"), invisible characters ignored, each word knowing
 * what stood before it (a space, a hyphen, a comma, a sentence's end).
 * The lists match whole words with the small pattern language of
 * match_word; they are short on purpose and easy to extend. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "pol_saar.h"
#include "pol_utf8.h"

#define WORD_MAX 40     /* longer words are cut; no list word is that long */
#define WORDS_MAX 300   /* a melding is read up to its 300th word */

/* What separates a word from the one before, weakest first. */
enum { SEP_SPACE = 0, SEP_HYPHEN, SEP_COMMA, SEP_STOP };

typedef struct word {
	char w[WORD_MAX + 1];
	unsigned char len;
	unsigned char sep;      /* SEP_* before this word; the first word has SEP_STOP */
	unsigned char digits;   /* a number */
} word;

typedef struct words {
	word *v;
	size_t n;
	short first[256];          /* the first word starting with this byte, -1 for none */
	short next[WORDS_MAX];     /* the next word starting with the same byte */
} words;

/* Patterns, one or more words separated by single spaces, each matching a
 * whole word of the text: "jas" that word, "jas+" also with the endings
 * below (jassen aside: list it), "schoen*" every word that starts so, "#" a
 * number. The words of a pattern follow each other in one sentence.
 * Compounds are listed (spijkerbroek): matching every word that ends in
 * "broek" cost more than the rest of the reading together. */
static const char *const called[] = {
	"112", "politie gebeld", "politie is gebeld", "politie al gebeld", "politie ingelicht",
	"politie is ingelicht", "politie gewaarschuwd", "politie is gewaarschuwd", "politie onderweg",
	"politie is onderweg", "politie komt", "politie komt eraan", "politie ter plaatse", "politie is ter plaatse",
	"called the police", "police called", "police are on", "police have been called", NULL,
};
static const char *const signalement[] = {
	/* clothing */
	"jas+", "jassen", "jasje+", "regenjas+", "winterjas+", "zomerjas+", "spijkerjas+", "jack+", "bomberjack+",
	"spijkerjack+", "trainingsjack+", "capuchon+", "capuchontrui+", "hoodie+", "trui+", "coltrui+", "sweater+",
	"broek+", "spijkerbroek+", "trainingsbroek+", "joggingbroek+", "werkbroek+", "legerbroek+", "jeans",
	"pet+", "petje+", "muts+", "bivakmuts+", "schoen*", "sportschoen*", "werkschoen*", "gympen", "gympies",
	"sneakers", "shirt+", "poloshirt+", "sweatshirt+", "vest+", "bodywarmer+", "tas+", "tassen", "sporttas+",
	"handtas+", "heuptas+", "schoudertas+", "aktetas+", "rugzak+", "handschoen*", "kleding", "kleren", "gekleed",
	"gekleedt", "sjaal+", "bril+", "zonnebril+", "mondkap*", "trainingspak+", "joggingpak+", "werkpak+",
	"jurk+", "rok+", "hoofddoek+", "helm+", "masker+", "in het zwart", "in het wit", "coat+", "jacket+",
	"hood*", "trousers", "cap+", "backpack+", "wearing", "dressed",
	/* build, hair, age, height */
	"lang", "lange", "langer", "lengte", "klein", "kleine", "kleiner", "fors+", "slank+", "dik", "dikke",
	"mager+", "dun", "dunne", "gespierd+", "stevig+", "breed", "brede", "postuur", "baard+", "baardje+", "snor+",
	"snorretje+", "kaal", "kale", "blond+", "kort haar", "lang haar", "donker haar", "zwart haar", "grijs haar",
	"krullen", "krullend+", "staart+", "paardenstaart+", "vlecht*", "tattoo*", "tatoe*", "litteken*", "jaar oud",
	"# jaar", "# jr", "# jarig*", "jaar of #", "twintiger+", "dertiger+", "veertiger+", "vijftiger+",
	"tall", "short", "slim", "beard", "build", "years old", "# years",
	/* vehicles */
	"auto+", "scooter+", "fiets+", "fietser+", "fietste+", "fietsten", "busje+", "bus", "bestelbus+", "bestelwagen+", "bestelauto+", "brommer+",
	"snorfiets+", "motor+", "motorfiets+", "kenteken+", "vrachtwagen+", "camper+", "aanhanger+", "bike+",
	"fatbike+", "bmw", "mercedes", "audi", "volkswagen", "vw", "opel", "peugeot", "renault", "toyota", "ford",
	"car+", "licence plate", "license plate", "plate", "truck+",
	/* what they had with them */
	"rollator+", "kinderwagen+", "wandelstok+", "krukken", "rolstoel+", "hond+", "hondje+", "steekkar+",
	"winkelwagen+", "karretje+", "ladder+", "koevoet+", "zaklamp+",
	/* behaviour */
	"loert", "loerde+", "loeren", "gluurt", "gluurde+", "gluren", "voelt aan", "voelde aan", "voelden aan",
	"probeert", "probeerde+", "proberen", "deurklink+", "rondhang*", "hangt rond", "hangen rond", "hing rond",
	"hingen rond", "loopt rond", "liep rond", "lopen rond", "liepen rond", "rondlopen", "rondgelopen",
	"reed rond", "rijdt rond", "rondjes", "filmt", "filmde+", "filmen", "maakt foto*", "maakte foto*",
	"inbreken", "ingebroken", "breekt in", "brak in", "keek in", "keken in", "kijkt in", "kijken in",
	"keek door", "keken door", "naar binnen", "aanbellen", "belde aan", "belt aan", "aangebeld", "klopte aan",
	"schreeuwde+", "sloeg", "duwde+", "bedreigde+", "wapen+", "mes", "langzaam", "sloop", "slopen",
	"sluipt", "sluipen", "slenterde+", "om geld", "bedel*", "trying", "looking into", "a van", "the van", NULL,
};
/* What the people did that is not in signalement: running off is
 * behaviour enough for the origin check, though no signalement. */
static const char *const did[] = {
	"rende+", "renden", "rennen", "rent weg", "weggerend", "wegrennen", "vluchtte+", "vluchtten", "gevlucht",
	"ervandoor", "sprintte+", "reed weg", "reden weg", "rijdt weg", "rijden weg", "scheurde+", "klom",
	"klommen", "sprong", "sprongen", "ran", "fled", "running", NULL,
};
static const char *const direction[] = {
	"richting+", "liep naar", "lopen naar", "loopt naar", "liepen naar", "rende", "renden", "rent",
	"reed weg", "reden weg", "rijdt weg", "reed naar", "rijdt naar", "fietste+", "fietsten", "vluchtte+",
	"vluchtten", "gevlucht", "afgeslagen", "sloeg af", "de hoek om", "ging naar", "gingen naar", "verdween",
	"verdwenen", "towards", "heading", "ran off", "ran away", "drove off", "went to", NULL,
};
static const char *const own_action[] = {
	"ik blijf", "ik houd", "ik hou", "ik ga", "ik kijk", "ik wacht", "ik bel", "blijf binnen", "ik doe niets",
	"ik volg", "i will", "i ll", "i am staying", "i stay", NULL,
};

/* Origin and skin colour. A noun names a person on its own; an adjective
 * only before a person word ("donkere man", not "donkere auto"), before a
 * word about looks ("Afrikaans uiterlijk"), a nationality also before a
 * vehicle ("Pools busje"), or standing as a noun or predicate ("een
 * Turkse liep weg", "de man was getint"). Adjectives are listed in their
 * base form; the -e form is found from it (donkere, mediterrane). */
static const char *const origin_nouns[] = {
	"allochto*", "buitenlander+", "marokkaan", "marokkanen", "mocro*", "turk", "turken", "antilliaan",
	"antillianen", "surinamer+", "roemeen", "roemenen", "bulgaar", "bulgaren", "polen", "oosteuropeaan",
	"oosteuropeanen", "afrikaan", "afrikanen", "noordafrikaan", "noordafrikanen", "nafri*", "arabier+",
	"aziaat", "aziaten", "zigeuner+", "roma", "kleurling+", "kleurtje+", "donkerhuidig*", "zwarten",
	"blanken", "getinten", "gekleurden", "neger+", "nietwester*", "asielzoeker+", "vluchteling+",
	"migrant+", "somaliër+", "syriër+", "afghaan", "afghanen", "huidskleur+", "foreigner+", "immigrant+",
	NULL,
};
static const char *const skin_adj[] = {
	"donker", "getint", "lichtgetint", "donkergetint", "bruin", "lichtbruin", "donkerbruin", "zwart", "blank",
	"wit", "witte", "gekleurd", "donkergekleurd", "donkerkleurig", "negroide", "negroïde", "black", "white", "dark", "brown", NULL,
};
static const char *const nation_adj[] = {
	"marokkaans", "turks", "antilliaans", "surinaams", "pools", "roemeens", "bulgaars", "oosteuropees",
	"zuideuropees", "afrikaans", "noordafrikaans", "westafrikaans", "arabisch", "aziatisch", "chinees",
	"oosters", "middenoosters", "zuidelijk", "mediterraan", "buitenlands", "allochtoon", "nietwesters",
	"westers", "exotisch", "zuidamerikaans", "latijnsamerikaans", "hindoestaans", "indisch", "indiaas",
	"pakistaans", "afghaans", "syrisch", "iraaks", "iraans", "koerdisch", "somalisch", "eritrees",
	"ethiopisch", "nigeriaans", "ghanees", "kaapverdiaans", "albanees", "joegoslavisch", "servisch",
	"bosnisch", "russisch", "oekraiens", "oekraïens", "litouws", "hongaars", "duits", "belgisch",
	"asian", "arab", "arabic", "african", "moroccan", "turkish", "foreign", "polish", "romanian",
	"easterneuropean", "middleeastern", "northafrican", "hispanic", "latino", "mediterranean", NULL,
};
/* Skin colour even between commas with no person word: "getint, 1.80, ...". */
static const char *const skin_alone[] = { "getint", "getinte", "lichtgetint", "donkergetint", NULL };
/* Countries and regions, after "uit" and a person word: "mensen uit
 * Oost-Europa", "jongens uit het Midden-Oosten". */
static const char *const countries[] = {
	"marokko", "turkije", "oosteuropa", "afrika", "noordafrika", "westafrika", "roemenie", "roemenië",
	"bulgarije", "suriname", "antillen", "curacao", "curaçao", "azie", "azië", "syrie", "syrië", "afghanistan",
	"somalie", "somalië", "eritrea", "middenoosten", "albanie", "albanië", "oekraine", "oekraïne", "rusland",
	"litouwen", "buitenland", "morocco", "africa", "northafrica", "easterneurope", "romania", "poland",
	"middleeast", "abroad", NULL,
};
static const char *const from_words[] = { "uit", "from", NULL };
static const char *const articles[] = { "het", "de", "the", NULL };
/* "oost-europese", "noord afrikaans", "niet-westers": read as one word. */
static const char *const regions[] = {
	"oost", "west", "noord", "zuid", "midden", "niet", "licht", "donker", "eastern", "middle", "north", NULL,
};
static const char *const person[] = {
	"man", "mannen", "mannetje+", "manspersoon", "manspersonen", "vrouw+", "vrouwtje+", "jongen+", "jongetje+",
	"jochie+", "jongeman", "jongemannen", "jongere+", "jongedame+", "jongelui", "jongeling+", "meisje+",
	"meid+", "meiden", "kerel+", "vent+", "venten", "gast+", "gozer+", "knul+", "knullen", "type+",
	"typetje+", "figuur", "figuren", "figuurtje+", "persoon", "personen", "mens+", "lui", "lieden", "heer",
	"heren", "dame+", "kind", "kinderen", "tiener+", "puber+", "jeugd", "groep+", "groepje+", "bende+",
	"stel+", "stelletje+", "koppel+", "duo", "trio", "individu+", "individuen", "sujet+", "sujetten",
	"snuiter+", "inbreker+", "verdachte+", "dief", "dieven", "rover+", "overvaller+", "dader+", "fietser+",
	"bezorger+", "men", "guy+", "woman", "women", "boy+", "lad+", "kid+", "person", "people", "youth+",
	"teen+", "teenager+", "male+", "bloke+", "youngster+", "girl+", "suspect+", "thief", "thieves", NULL,
};
static const char *const looks[] = {
	"uiterlijk", "huid", "huidje", "huidskleur", "voorkomen", "afkomst", "komaf", "achtergrond", "trekken",
	"uitziend+", "ogend+", "skin", "skinned", "complexion", "looking", "appearance", "descent", "origin",
	"features", NULL,
};
static const char *const vehicles[] = {
	"busje+", "bus", "bestelbus+", "bestelwagen+", "bestelauto+", "auto+", "wagen+", "camper+", "vrachtwagen+",
	"car+", "truck+", NULL,
};
/* May stand between an adjective and its person word: "donkere, lange man". */
static const char *const fillers[] = {
	"en", "of", "van", "heel", "erg", "zeer", "wat", "iets", "nogal", "vrij", "and", "or", "very", "young",
	"old", "tall", NULL,
};
/* Before an adjective used as a noun: "een donkere", "twee Marokkaanse". */
static const char *const determiners[] = {
	"een", "de", "die", "deze", "twee", "drie", "vier", "vijf", "paar", "enkele", "n", "a", "the", "two",
	"#", NULL,
};
/* After an adjective that stands alone: "een Turkse liep weg". */
static const char *const function_words[] = {
	"bij", "op", "in", "aan", "met", "die", "en", "is", "was", "zijn", "waren", "liep", "loopt", "lopen",
	"liepen", "stond", "staat", "stonden", "staan", "zat", "zit", "zaten", "reed", "rijdt", "rende",
	"renden", "kwam", "kwamen", "ging", "gingen", "hangt", "hangen", "hing", "hingen", "heeft", "had",
	"hadden", "toen", "dat", "voor", "achter", "naast", "door", "om", "uit", "near", "at", "with", "was",
	"were", NULL,
};
/* "in het zwart", "in het donker", "het was donker", "praatte Pools". */
static const char *const not_about_people[] = {
	"het", "t", "in", "sprak", "spraken", "praatte", "praatten", "praten", "spreken", "spreekt", "praat",
	"riep", "riepen", "schreeuwde", "schreeuwden", NULL,
};
/* "het was donker": the weather, whatever follows. */
static const char *const it_words[] = { "het", "t", NULL };
/* "bij de Turk", "naar de Chinees": a shop, not a person. */
static const char *const shop_nouns[] = { "turk", "marokkaan", "surinamer", "antilliaan", "pool", "chinees", NULL };
static const char *const to_places[] = {
	"bij", "naar", "van", "voor", "achter", "naast", "tegenover", "langs", "om", NULL,
};

static const char *const thanks[] = {
	"bedankt", "dank", "je", "u", "wel", "dankjewel", "dankje", "thanks", "thank", "you", "top", "oké",
	"oke", "ok", "okay", "goed", "zo", "super", "prima", "thx", "tnx", "allen", "allemaal", "iedereen", NULL,
};

/* Inflections a "+" word also takes. */
typedef struct ending {
	const char *s;
	size_t n;
} ending;
#define ENDING(s) { s, sizeof s - 1 }
static const ending endings[] = {
	ENDING(""), ENDING("e"), ENDING("en"), ENDING("s"), ENDING("es"), ENDING("n"), ENDING("je"), ENDING("jes"),
	ENDING("tje"), ENDING("tjes"),
};
#define N_ENDINGS (sizeof endings / sizeof endings[0])

static int is_ending(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < N_ENDINGS; i++)
		if (endings[i].n == n && memcmp(s, endings[i].s, n) == 0)
			return 1;
	return 0;
}

/* Matches the pattern word at p (up to a space or the end) against w.
 * Returns where that pattern word ends (its space or terminator), or NULL
 * when it does not match. */
static const char *match_word(const word *w, const char *p)
{
	size_t i;

	if (p[0] == '#' && (p[1] == ' ' || !p[1]))
		return w->digits ? p + 1 : NULL;
	for (i = 0; p[i] && p[i] != ' ' && p[i] != '+' && p[i] != '*'; i++)
		if (i >= w->len || w->w[i] != p[i])
			return NULL;
	if (p[i] == '*')
		return p + i + 1;
	if (p[i] == '+')
		return i == w->len || is_ending(w->w + i, w->len - i) ? p + i + 1 : NULL;
	return i == w->len ? p + i : NULL;
}

/* Pattern pat at word i: the number of words it covers, or 0. */
static size_t match_at(const words *t, size_t i, const char *pat)
{
	size_t k = 0;

	for (;;) {
		const char *end;

		if (i + k >= t->n || (k && t->v[i + k].sep == SEP_STOP) || !(end = match_word(&t->v[i + k], pat)))
			return 0;
		k++;
		if (!*end)
			return k;
		pat = end + 1;
	}
}

/* w matches one of the one-word patterns of list. */
static int word_in(const word *w, const char *const *list)
{
	const char *end;

	for (; *list; list++)
		if (((*list)[0] == w->w[0] || (*list)[0] == '#') && (end = match_word(w, *list)) &&
		    !*end)
			return 1;
	return 0;
}

/* Only the words that start with a pattern's first letter are tried
 * (the index of read_words): a list costs about one step per pattern. */
static int has_any(const words *t, const char *const *list)
{
	const char *const *p;
	size_t i;
	short k;

	for (p = list; *p; p++) {
		if ((*p)[0] == '#') {
			for (i = 0; i < t->n; i++)
				if (match_at(t, i, *p))
					return 1;
			continue;
		}
		for (k = t->first[(unsigned char)(*p)[0]]; k >= 0; k = t->next[k])
			if (match_at(t, (size_t)k, *p))
				return 1;
	}
	return 0;
}

/* w is base, its -e form, or the -e form with a long vowel written once
 * ("mediterraan" -> "mediterrane", "oosteuropees" -> "oosteuropese");
 * *inflected tells which. */
static int adj_form(const word *w, const char *base, int *inflected)
{
	size_t n;

	if (w->w[0] != base[0])
		return 0;
	n = strlen(base);
	if (w->len == n && memcmp(w->w, base, n) == 0) {
		*inflected = 0;
		return 1;
	}
	*inflected = 1;
	if (w->len == n + 1 && memcmp(w->w, base, n) == 0 && w->w[n] == 'e')
		return 1;
	/* aa, ee, oo, uu before the last consonant */
	return n >= 3 && w->len == n && strchr("aeou", base[n - 2]) && base[n - 3] == base[n - 2] &&
	       !strchr("aeiou", base[n - 1]) && memcmp(w->w, base, n - 2) == 0 && w->w[n - 2] == base[n - 1] &&
	       w->w[n - 1] == 'e';
}

typedef enum origin_kind { K_NONE = 0, K_NOUN, K_SKIN, K_NATION, K_COUNTRY } origin_kind;

static origin_kind kind_of(const word *w, int *inflected)
{
	const char *const *a;

	*inflected = 0;
	if (w->len < 3 || w->digits)   /* no origin word is shorter */
		return K_NONE;
	if (word_in(w, origin_nouns))
		return K_NOUN;
	for (a = skin_adj; *a; a++)
		if (adj_form(w, *a, inflected))
			return K_SKIN;
	for (a = nation_adj; *a; a++)
		if (adj_form(w, *a, inflected))
			return K_NATION;
	return word_in(w, countries) ? K_COUNTRY : K_NONE;
}

/* What word i says about origin, read together with the next word after
 * a region ("oost-europese"); *span gets how many words that took. */
static origin_kind origin_at(const words *t, size_t i, size_t *span, int *inflected)
{
	origin_kind k;

	*span = 1;
	if (i + 1 < t->n && t->v[i + 1].sep <= SEP_HYPHEN && word_in(&t->v[i], regions) &&
	    t->v[i].len + t->v[i + 1].len <= WORD_MAX) {
		word both = t->v[i];

		memcpy(both.w + both.len, t->v[i + 1].w, t->v[i + 1].len + 1);
		both.len = (unsigned char)(both.len + t->v[i + 1].len);
		if ((k = kind_of(&both, inflected)) != K_NONE) {
			*span = 2;
			return k;
		}
	}
	return kind_of(&t->v[i], inflected);
}

/* The adjective at i..i+span stands on its own: as a noun after "een",
 * or said of a person named just before ("de man was getint", "jongen,
 * Aziatisch,"), or "getint" as an item of a description. */
static int stands_alone(const words *t, size_t i, size_t span, int inflected)
{
	size_t next = i + span, b;

	if (next < t->n && t->v[next].sep < SEP_COMMA && !word_in(&t->v[next], function_words))
		return 0;
	if ((i == 0 || t->v[i].sep >= SEP_COMMA) && (next >= t->n || t->v[next].sep >= SEP_COMMA) &&
	    word_in(&t->v[next - 1], skin_alone))
		return 1;
	if (inflected && i > 0 && t->v[i].sep == SEP_SPACE && word_in(&t->v[i - 1], determiners))
		return 1;
	for (b = 1; b <= 3 && b <= i && t->v[i - b + 1].sep != SEP_STOP; b++) {
		if (word_in(&t->v[i - b], not_about_people))
			return 0;
		if (word_in(&t->v[i - b], person))
			return 1;
	}
	return 0;
}

/* The country at i follows "uit" (maybe "uit het") after a person word,
 * itself maybe followed by one more word: "jongens (afkomstig) uit
 * Marokko". */
static int from_person(const words *t, size_t i)
{
	size_t at = i, b;

	if (at >= 1 && word_in(&t->v[at - 1], articles))
		at--;
	if (at < 2 || !word_in(&t->v[at - 1], from_words))
		return 0;
	for (b = 2; b <= 3 && b <= at; b++)
		if (word_in(&t->v[at - b], person))
			return 1;
	return 0;
}

/* A noun of origin says it, except a shop called after one: "naar de
 * turk". */
static int noun_names_origin(const words *t, size_t i)
{
	return !(i >= 2 && word_in(&t->v[i], shop_nouns) && strcmp(t->v[i - 1].w, "de") == 0 &&
		 word_in(&t->v[i - 2], to_places));
}

/* "het was donker man liep weg", typed without a comma: the weather. */
static int about_weather(const words *t, size_t i, origin_kind k, int inflected)
{
	return !inflected && k == K_SKIN &&
	       ((i >= 1 && word_in(&t->v[i - 1], it_words)) || (i >= 2 && word_in(&t->v[i - 2], it_words)));
}

/* A word an adjective may reach over to its person: a filler, another
 * origin word, or an -e adjective. */
static int may_skip(const word *w)
{
	int inflected;

	return word_in(w, fillers) || kind_of(w, &inflected) != K_NONE || (w->len >= 4 && w->w[w->len - 1] == 'e');
}

/* The adjective at i..i+span is followed in its sentence by a person, by
 * what they look like or (a nationality) by a vehicle, with at most two
 * words skipped in between. */
static int said_of_what_follows(const words *t, size_t i, size_t span, origin_kind k, int inflected)
{
	size_t j, skipped = 0;

	for (j = i + span; j < t->n && t->v[j].sep < SEP_STOP; j++) {
		/* "het was donker, man liep weg": only the -e form reads over a comma */
		if (t->v[j].sep == SEP_COMMA && !inflected)
			return 0;
		if (word_in(&t->v[j], person) || word_in(&t->v[j], looks) ||
		    (k == K_NATION && word_in(&t->v[j], vehicles)))
			return 1;
		if (skipped == 2 || !may_skip(&t->v[j]))
			return 0;
		skipped++;
	}
	return 0;
}

/* Whether the origin word (kind k) at i..i+span is said of a person. */
static int origin_said_at(const words *t, size_t i, size_t span, origin_kind k, int inflected)
{
	switch (k) {
	case K_NONE:
		return 0;
	case K_NOUN:
		return noun_names_origin(t, i);
	case K_COUNTRY:
		return from_person(t, i);
	default:
		return !about_weather(t, i, k, inflected) &&
		       (said_of_what_follows(t, i, span, k, inflected) || stands_alone(t, i, span, inflected));
	}
}

static int names_origin(const words *t)
{
	size_t i, span;
	int inflected;

	for (i = 0; i < t->n; i += span) {
		origin_kind k = origin_at(t, i, &span, &inflected);

		if (origin_said_at(t, i, span, k, inflected))
			return 1;
	}
	return 0;
}

/* Appends the code point at s (k bytes, class cls) to w, lower-cased
 * (ASCII and Latin-1); a word past WORD_MAX is cut. */
static void append(word *w, const char *s, size_t k)
{
	unsigned char c0 = (unsigned char)s[0];

	if (w->len + k > WORD_MAX)
		return;
	memcpy(w->w + w->len, s, k);
	if (k == 1)
		w->w[w->len] = (char)tolower(c0);
	else if (k == 2 && c0 == 0xc3 && (unsigned char)s[1] >= 0x80 && (unsigned char)s[1] <= 0x9e &&
		 (unsigned char)s[1] != 0x97)
		w->w[w->len + 1] = (char)((unsigned char)s[1] + 0x20);   /* À..Þ, not × */
	w->len = (unsigned char)(w->len + k);
	w->w[w->len] = '\0';
}

static int is_hyphen(uint32_t cp)
{
	return cp == '-' || cp == 0x2010 || cp == 0x2011;
}

static int is_stop(uint32_t cp)
{
	return cp == '.' || cp == '!' || cp == '?' || cp == ';' || cp == ':' || cp == '\n' || cp == 0x2026;
}

/* read_words between two code points. */
typedef struct reader {
	words *t;
	word *cur;      /* the word being read; NULL between words */
	int sep;        /* SEP_* since the last word */
	int dash;       /* a hyphen since the last word */
	size_t run;     /* code points since the last word */
} reader;

static void end_word(reader *r)
{
	if (!r->cur)
		return;
	r->cur = NULL;
	r->sep = SEP_SPACE;
	r->run = 0;
	r->dash = 0;
}

/* Starts the next word; 0, or -1 when WORDS_MAX words are read. */
static int start_word(reader *r, int digits)
{
	word *w;

	if (r->t->n == WORDS_MAX)
		return -1;
	w = &r->t->v[r->t->n++];
	w->len = 0;
	w->w[0] = '\0';
	w->digits = (unsigned char)digits;
	/* "oost-europese" is one thing, " - " a comma */
	if (r->dash && r->sep < SEP_COMMA)
		r->sep = r->run == 1 && r->t->n > 1 ? SEP_HYPHEN : SEP_COMMA;
	w->sep = (unsigned char)r->sep;
	r->dash = 0;
	r->cur = w;
	return 0;
}

/* A letter, digit or mark (k bytes at s) joins the current word, or starts
 * one; 0, or -1 when WORDS_MAX words are read. */
static int word_char(reader *r, const char *s, size_t k, pol_uclass cls)
{
	if (r->cur && cls != POL_U_MARK && r->cur->digits != (cls == POL_U_DIGIT))
		end_word(r);   /* "112gebeld": two words */
	if (!r->cur && start_word(r, cls == POL_U_DIGIT) != 0)
		return -1;
	append(r->cur, s, k);
	return 0;
}

/* Anything else ends the word and says how strongly it separates. */
static void separator(reader *r, uint32_t cp, pol_uclass cls)
{
	end_word(r);
	r->run++;
	if (is_hyphen(cp))
		r->dash = 1;
	else if (is_stop(cp))
		r->sep = SEP_STOP;
	else if (cls != POL_U_SPACE && cp != '\t' && cp != '\r' && r->sep < SEP_COMMA)
		r->sep = SEP_COMMA;
}

/* t->first and t->next: the words by their first byte. */
static void index_words(words *t)
{
	size_t i;

	for (i = 0; i < 256; i++)
		t->first[i] = -1;
	for (i = t->n; i-- > 0;) {
		t->next[i] = t->first[(unsigned char)t->v[i].w[0]];
		t->first[(unsigned char)t->v[i].w[0]] = (short)i;
	}
}

/* Splits s into at most WORDS_MAX words (t->v has room for them). */
static void read_words(const char *s, words *t)
{
	reader r = { t, NULL, SEP_STOP, 0, 0 };
	size_t n = strlen(s), i, k;

	t->n = 0;
	for (i = 0; i < n; i += k) {
		uint32_t cp = 0xfffd;
		pol_uclass cls = POL_U_OTHER;

		if ((k = pol_utf8_decode(s + i, n - i, &cp)) == 0)
			k = 1;   /* a stray byte separates words */
		else
			cls = pol_utf8_class(cp);
		if (cls == POL_U_INVISIBLE || (cls == POL_U_MARK && !r.cur))
			continue;   /* nothing to see, or a mark with no letter under it */
		if (cls == POL_U_LETTER || cls == POL_U_DIGIT || cls == POL_U_MARK) {
			if (word_char(&r, s + i, k, cls) != 0)
				break;
		} else {
			separator(&r, cp, cls);
		}
	}
	index_words(t);
}

static int is_one_of(const char *w, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(w, *list) == 0)
			return 1;
	return 0;
}

/* An acknowledgement is short and made of thanks words, punctuation and
 * emoji only. */
static int only_thanks(const char *t)
{
	char word_buf[64];
	size_t n = strlen(t), i = 0, k;
	int count = 0;

	if (n == 0 || n > 60)
		return 0;
	while (t[i]) {
		while (t[i] && (isspace((unsigned char)t[i]) || strchr("!.,?", t[i])))
			i++;
		for (k = 0; t[i] && !isspace((unsigned char)t[i]) && !strchr("!.,?", t[i]) && k + 1 < sizeof word_buf; i++)
			word_buf[k++] = (char)tolower((unsigned char)t[i]);
		word_buf[k] = '\0';
		if (!k)
			continue;
		count++;
		if (!is_one_of(word_buf, thanks) && !((unsigned char)word_buf[0] >= 0xe2))   /* emoji and symbols */
			return 0;
	}
	return count > 0 && count <= 5;
}

void pol_saar_check(const char *text, pol_saar *out)
{
	size_t n = text ? strlen(text) : 0;
	words t;

	memset(out, 0, sizeof *out);
	t.n = 0;
	/* A word takes at least one byte ("a1" is two words). */
	t.v = malloc(sizeof *t.v * (n + 1 < WORDS_MAX ? n + 1 : WORDS_MAX));
	if (!t.v)
		return;
	read_words(text ? text : "", &t);
	out->called_112 = has_any(&t, called);
	out->signalement = has_any(&t, signalement);
	out->looprichting = has_any(&t, direction);
	out->own_action = has_any(&t, own_action);
	out->origin = names_origin(&t);
	out->origin_only = out->origin && !out->signalement && !has_any(&t, did);
	out->acknowledgement = only_thanks(text ? text : "");
	free(t.v);
}
