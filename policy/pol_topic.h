/* pol_topic.h: the topic the bot gives each kind of room it creates, so a
 * resident who opens a room sees at once what it is for. */
#ifndef POL_TOPIC_H
#define POL_TOPIC_H

#include "pol_structure.h"
#include "pol_text.h"

/* A static text; never NULL. */
const char *pol_room_topic(pol_lang lang, pol_room_kind kind);

#endif
