/* pol_saar.h: what a melding says, judged from its text: whether 112 was
 * called, whether it describes people or vehicles (signalement), a
 * direction (looprichting), what the reporter will do, whether it only
 * names skin colour or origin, and whether it is just an acknowledgement
 * ("bedankt", "👍"). Keyword heuristics in Dutch and English, deliberately
 * simple: the bot only reminds, it never refuses a melding. */
#ifndef POL_SAAR_H
#define POL_SAAR_H

typedef struct pol_saar {
	int called_112;     /* "112 gebeld", "politie gebeld", "heb 112" ... */
	int signalement;    /* clothing, build, vehicle, behaviour */
	int looprichting;   /* "richting", "liep naar", "reed weg" ... */
	int own_action;     /* "ik blijf", "ik houd", "ik ga" ... */
	int origin_only;    /* names skin colour or origin but no signalement */
	int acknowledgement;/* only thanks / ok / an emoji: not a melding */
} pol_saar;

void pol_saar_check(const char *text, pol_saar *out);

#endif
