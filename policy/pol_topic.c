/* pol_topic.c: room topics per kind and language. */
#include "pol_topic.h"
#include "pol_buf.h"

static const char *const topics[POL_ROOM_KIND_COUNT][POL_LANG_COUNT] = {
	[POL_ROOM_WIJKGROEP] = {
		"Buurtpreventie: meld hier verdachte situaties. Eerst 112 bellen, dan melden (SAAR). "
		"Geen babbelbox: typ !spelregels voor de regels.",
		"Neighbourhood watch: report suspicious situations here. Call 112 first, then report "
		"(SAAR). Not a chat room: type !spelregels for the rules.",
	},
	[POL_ROOM_STUURGROEP] = {
		"Stuurgroep: overleg, aanmeldingen en doorsturen van meldingen.",
		"Steering group: discussion, applications and forwarding of reports.",
	},
	[POL_ROOM_REGIEGROEP] = {
		"Regiegroep: meldingen tussen de stuurgroepen van de wijk.",
		"Coordination group: reports between the steering groups of the district.",
	},
	[POL_ROOM_GEM_REGIEGROEP] = {
		"Gemeentelijke regiegroep: meldingen tussen de wijken.",
		"Municipal coordination group: reports between districts.",
	},
	[POL_ROOM_WIJK_SPACE] = {
		"De groepen van de buurtpreventie in deze wijk.",
		"The neighbourhood watch groups of this district.",
	},
	[POL_ROOM_GEMEENTE_SPACE] = {
		"De buurtpreventie in deze gemeente.",
		"The neighbourhood watch in this municipality.",
	},
};

const char *pol_room_topic(pol_lang lang, pol_room_kind kind)
{
	if ((unsigned)lang >= POL_LANG_COUNT)
		lang = POL_LANG_NL;
	if ((unsigned)kind >= POL_ROOM_KIND_COUNT || !topics[kind][lang])
		return "";
	return topics[kind][lang];
}

void pol_retired_topic(pol_lang lang, const pol_wijkgroep *wg, char *buf, size_t size)
{
	char names[900] = "";
	pol_buf nb;
	size_t k;

	pol_buf_init(&nb, names, sizeof names);
	for (k = 0; k < wg->n_opvolgers; k++)
		pol_buf_add_sep(&nb, ", ", wg->opvolgers[k]->naam);
	pol_textf(buf, size, lang, POL_TXT_RETIRED_TOPIC, names[0] ? names : "-");
}

int pol_room_post_power(const pol_room *room, int bot_power)
{
	if (room->kind == POL_ROOM_WIJK_SPACE || room->kind == POL_ROOM_GEMEENTE_SPACE)
		return bot_power;
	return room->retired ? POL_POWER_MODERATOR : 0;
}
