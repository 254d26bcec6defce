/* pol_topic.h: the topic the bot gives each kind of room it creates, so a
 * resident who opens a room sees at once what it is for. */
#ifndef POL_TOPIC_H
#define POL_TOPIC_H

#include "pol_structure.h"
#include "pol_text.h"

/* A static text; never NULL. */
const char *pol_room_topic(pol_lang lang, pol_room_kind kind);

/* A retired wijkgroep's topic: it was split, and where its members went
 * (its opvolgers, "-" when none). */
void pol_retired_topic(pol_lang lang, const pol_wijkgroep *wg, char *buf, size_t size);

/* Who may post in room (its events_default): in a Space only the bot
 * (bot_power), in a retired wijkgroep only the stuurgroep (it stays
 * readable), elsewhere everyone (0). */
int pol_room_post_power(const pol_room *room, int bot_power);

#endif
