/* web_db.h: buurtbot-web's side of web.db (web_schema.h): new
 * applications, the status page's view of one, deletion requests, and
 * the nonces of forms already sent. The only file the website writes. */
#ifndef WEB_DB_H
#define WEB_DB_H

#include <stdint.h>

typedef struct web_db web_db;

/* Opens (creating, group-writable for the bot) dir/web.db. 0 or -1 with a
 * line in errbuf. */
int web_db_open(web_db **out, const char *dir, char *errbuf, size_t errsize);
void web_db_close(web_db *db);

/* A new application; status_hash: hex SHA-256 of the status link's
 * secret. 0 or -1. */
int web_db_add(web_db *db, const char *status_hash, const char *wijk, const char *lang, const char *data,
	       int64_t now);

typedef struct web_status {
	char state[16], wijk[80], wijkgroep[160], token[80], code[16], lang[4];
	int64_t expires;
	int delete_asked;
} web_status;
/* 0 with *out filled, 1 when no such application, -1 on error. */
int web_db_status(web_db *db, const char *status_hash, web_status *out);
/* The applicant deletes it: its answers go at once, the bot forgets the rest. */
int web_db_delete(web_db *db, const char *status_hash, int64_t now);

/* Marks a form's nonce as used: 0 the first time, 1 when it was used
 * already (a replay), -1 on error. Nonces older than a day are dropped. */
int web_db_use_nonce(web_db *db, const char *nonce, int64_t now);

#endif
