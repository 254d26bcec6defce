/* pol_text.c: the text table. One row per text, one column per language,
 * so a missing translation is visible at a glance (and caught by a test). */
#include <string.h>
#include "pol_text.h"

static const char *const texts[POL_TXT_COUNT][POL_LANG_COUNT] = {
	[POL_TXT_PONG] = {
		"pong: ik ben er.",
		"pong: I am here.",
	},
	[POL_TXT_HELP_HEADER] = {
		"Commando's van buurtbot:",
		"buurtbot commands:",
	},
	[POL_TXT_HELP_PING] = {
		"!ping: kijk of de bot werkt",
		"!ping: check that the bot is working",
	},
	[POL_TXT_HELP_HELP] = {
		"!help (of !hulp): deze lijst",
		"!help: this list",
	},
	[POL_TXT_UNKNOWN_COMMAND] = {
		"Het commando %s ken ik niet. Typ !help voor de lijst.",
		"I don't know the command %s. Type !help for the list.",
	},
};

const char *pol_text(pol_lang lang, pol_text_id id)
{
	if ((unsigned)lang >= POL_LANG_COUNT)
		lang = POL_LANG_NL;
	if ((unsigned)id >= POL_TXT_COUNT)
		return "";
	return texts[id][lang] ? texts[id][lang] : texts[id][POL_LANG_NL];
}

int pol_lang_parse(const char *name, pol_lang *out)
{
	if (name && strcmp(name, "nl") == 0) {
		*out = POL_LANG_NL;
		return 0;
	}
	if (name && strcmp(name, "en") == 0) {
		*out = POL_LANG_EN;
		return 0;
	}
	return -1;
}

const char *pol_lang_name(pol_lang lang)
{
	return lang == POL_LANG_EN ? "en" : "nl";
}
