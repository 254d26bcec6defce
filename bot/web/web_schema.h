/* web_schema.h: the website's drop box, web.db in web_dir, the one narrow
 * channel between buurtbot-web and the bot (issue 15). The website never
 * opens the bot's store (it holds the bot's access token and keys); the
 * bot opens this file. Both create it the same way, whoever comes first.
 *
 * web_apps: one row per application made on the website. The website
 * writes a row ('new', with the answers as pol_intake JSON in data); the
 * bot takes it (data wiped, state 'open'), then writes back what the
 * status page shows: state (open, waiting, admitted, rejected, linked,
 * expired, deleted), the wijkgroep's name, the registration token and
 * the code with their expiry. The status page is found by the SHA-256 of
 * its secret link (status_hash): web.db never holds the link itself.
 * delete_asked: the applicant deleted it from the status page; the bot
 * then forgets everything and marks it 'deleted'.
 * web_forms: forms already sent (their nonce), so a replayed form is
 * refused; the website forgets them after a day. */
#ifndef BOT_WEB_SCHEMA_H
#define BOT_WEB_SCHEMA_H

#define BOT_WEB_DB_NAME "web.db"

#define BOT_WEB_SCHEMA \
	"CREATE TABLE IF NOT EXISTS web_apps (" \
	"  id INTEGER PRIMARY KEY AUTOINCREMENT," \
	"  status_hash TEXT NOT NULL UNIQUE," \
	"  wijk TEXT NOT NULL," \
	"  lang TEXT NOT NULL DEFAULT 'nl'," \
	"  data TEXT," \
	"  state TEXT NOT NULL DEFAULT 'new'," \
	"  delete_asked INTEGER NOT NULL DEFAULT 0," \
	"  wijkgroep TEXT," \
	"  reg_token TEXT," \
	"  code TEXT," \
	"  expires INTEGER," \
	"  created INTEGER NOT NULL," \
	"  updated INTEGER NOT NULL);" \
	"CREATE INDEX IF NOT EXISTS web_apps_state ON web_apps (state);" \
	"CREATE TABLE IF NOT EXISTS web_forms (" \
	"  nonce TEXT PRIMARY KEY," \
	"  at INTEGER NOT NULL);"

#endif
