/* pol_text.h: every text a Matrix user sees from the bot, per language.
 * Dutch is the default; English is available for every text. Texts are
 * plain; callers that build HTML escape what they insert. */
#ifndef POL_TEXT_H
#define POL_TEXT_H

typedef enum pol_lang {
	POL_LANG_NL = 0,
	POL_LANG_EN = 1,
	POL_LANG_COUNT
} pol_lang;

typedef enum pol_text_id {
	POL_TXT_PONG,
	POL_TXT_HELP_HEADER,
	POL_TXT_HELP_PING,
	POL_TXT_HELP_HELP,
	POL_TXT_UNKNOWN_COMMAND,   /* %s: the command as typed */
	POL_TXT_COUNT
} pol_text_id;

/* Returns a static string; never NULL for valid ids. */
const char *pol_text(pol_lang lang, pol_text_id id);

/* Parses "nl" / "en"; returns 0 and sets *out, or -1 when unknown. */
int pol_lang_parse(const char *name, pol_lang *out);
const char *pol_lang_name(pol_lang lang);

#endif
