/* pol_saar.h: what a melding says, judged from its text: whether 112 was
 * called, whether it describes people or vehicles (signalement), a
 * direction (looprichting), what the reporter will do, whether it names
 * skin colour or origin and nothing else about the people, and whether it
 * is just an acknowledgement ("bedankt", "👍"). Word lists in Dutch and
 * English, deliberately simple: the bot only reminds, it never refuses a
 * melding. */
#ifndef POL_SAAR_H
#define POL_SAAR_H

typedef struct pol_saar {
	int called_112;     /* "112 gebeld", "politie gebeld", "heb 112" ... */
	int signalement;    /* clothing, build, age, vehicle, behaviour */
	int looprichting;   /* "richting", "liep naar", "reed weg" ... */
	int own_action;     /* "ik blijf", "ik houd", "ik ga" ... */
	int origin;         /* names skin colour or origin of a person: "donkere man",
			     * "Marokkaanse jongens", "Oost-Europeanen", "getint type" */
	int origin_only;    /* origin, and no signalement nor what the people did
			     * ("rende weg"): the private suggestion to describe them */
	int acknowledgement;/* only thanks / ok / an emoji: not a melding */
} pol_saar;

/* Reads text (UTF-8, may be NULL) into *out; every field 0 or 1. */
void pol_saar_check(const char *text, pol_saar *out);

#endif
