/* store_schema.c: the store's tables, as the list of migrations that
 * builds them (bot_store_open applies the missing ones, each all or
 * nothing). Append-only: never edit a migration that has shipped; add a
 * new one. */
#include "store_int.h"

const char *const bot_store_migrations[] = {
	/* 1: foundation */
	"CREATE TABLE kv ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL);"
	"CREATE TABLE processed_events ("
	"  key TEXT PRIMARY KEY,"
	"  room_id TEXT,"
	"  processed_at INTEGER NOT NULL);"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  txn_id TEXT NOT NULL UNIQUE,"
	"  kind INTEGER NOT NULL CHECK (kind IN (0, 1, 2)),"
	"  room_id TEXT NOT NULL,"
	"  event_type TEXT,"
	"  content TEXT,"
	"  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  done_at INTEGER,"
	"  result_event_id TEXT);"
	"CREATE INDEX outbox_pending ON outbox (state, id);",
	/* 2: end-to-end encryption state (pickled with the operator's key)
	 * and room events waiting for their room key. */
	"CREATE TABLE crypto ("
	"  ns TEXT NOT NULL,"
	"  key TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  PRIMARY KEY (ns, key));"
	"CREATE TABLE held_events ("
	"  event_id TEXT PRIMARY KEY,"
	"  room_id TEXT NOT NULL,"
	"  event TEXT NOT NULL,"
	"  first_seen INTEGER NOT NULL,"
	"  tries INTEGER NOT NULL DEFAULT 0);",
	/* 3: the rooms of the structure file, by their stable key. */
	"CREATE TABLE structure_rooms ("
	"  key TEXT PRIMARY KEY,"
	"  room_id TEXT NOT NULL UNIQUE,"
	"  created_at INTEGER NOT NULL);",
	/* 4: who gave which command where, and whether it was allowed; the
	 * bot's direct chats. */
	"CREATE TABLE audit_log ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  at INTEGER NOT NULL,"
	"  sender TEXT NOT NULL,"
	"  room_id TEXT NOT NULL,"
	"  command TEXT NOT NULL,"
	"  allowed INTEGER NOT NULL,"
	"  reason TEXT NOT NULL);"
	"CREATE TABLE direct_rooms ("
	"  room_id TEXT PRIMARY KEY,"
	"  user_id TEXT NOT NULL);",
	/* 5: membership of the rooms the bot is in, as its syncs show it:
	 * member caps and member lists need no homeserver call. */
	"CREATE TABLE room_members ("
	"  room_id TEXT NOT NULL,"
	"  user_id TEXT NOT NULL,"
	"  membership TEXT NOT NULL,"
	"  PRIMARY KEY (room_id, user_id));",
	/* 6: the outbox learns to invite (kind 3). SQLite cannot change a
	 * CHECK in place, so the table is rebuilt with its rows. */
	"CREATE TABLE outbox_new ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  txn_id TEXT NOT NULL UNIQUE,"
	"  kind INTEGER NOT NULL CHECK (kind IN (0, 1, 2, 3)),"
	"  room_id TEXT NOT NULL,"
	"  event_type TEXT,"
	"  content TEXT,"
	"  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  done_at INTEGER,"
	"  result_event_id TEXT);"
	"INSERT INTO outbox_new SELECT * FROM outbox;"
	"DROP TABLE outbox;"
	"ALTER TABLE outbox_new RENAME TO outbox;"
	"CREATE INDEX outbox_pending ON outbox (state, id);",
	/* 7: room for more kinds of actions (4: ban), without another
	 * rebuild each time: the code checks the kind. */
	"CREATE TABLE outbox_new ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  txn_id TEXT NOT NULL UNIQUE,"
	"  kind INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 31),"
	"  room_id TEXT NOT NULL,"
	"  event_type TEXT,"
	"  content TEXT,"
	"  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  done_at INTEGER,"
	"  result_event_id TEXT);"
	"INSERT INTO outbox_new SELECT * FROM outbox;"
	"DROP TABLE outbox;"
	"ALTER TABLE outbox_new RENAME TO outbox;"
	"CREATE INDEX outbox_pending ON outbox (state, id);",
	/* 8: caps and phases: when a membership began (who came last goes
	 * first when a wijkgroep is over its cap), waiting lists, the
	 * registry of residents and their buurt, proposals a second
	 * stuurgroep member confirms, and members moved by a split. */
	"ALTER TABLE room_members ADD COLUMN since INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE waitlist ("
	"  wijkgroep TEXT NOT NULL,"
	"  user_id TEXT NOT NULL,"
	"  since INTEGER NOT NULL,"
	"  source TEXT NOT NULL,"
	"  PRIMARY KEY (wijkgroep, user_id));"
	"CREATE TABLE residents ("
	"  user_id TEXT PRIMARY KEY,"
	"  wijkgroep TEXT NOT NULL,"
	"  buurt TEXT,"
	"  since INTEGER NOT NULL,"
	"  admitted_by TEXT);"
	"CREATE TABLE proposals ("
	"  nr INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  room_id TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  proposer TEXT NOT NULL,"
	"  args TEXT NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done', 'failed')),"
	"  decided_by TEXT,"
	"  reported INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE moves ("
	"  user_id TEXT NOT NULL,"
	"  to_key TEXT NOT NULL,"
	"  proposal INTEGER NOT NULL,"
	"  done INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (user_id, to_key));",
	/* 9: sign-up. intakes: the answers so far of someone signing up in a
	 * direct chat; applications: complete ones waiting for the stuurgroep;
	 * residents learn what they gave and which spelregels they accepted.
	 * Personal data lives only in these three tables. */
	"CREATE TABLE intakes ("
	"  user_id TEXT PRIMARY KEY,"
	"  room_id TEXT NOT NULL,"
	"  state TEXT NOT NULL,"
	"  updated INTEGER NOT NULL);"
	"CREATE TABLE applications ("
	"  nr INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  user_id TEXT NOT NULL,"
	"  room_id TEXT NOT NULL,"
	"  wijkgroep TEXT NOT NULL,"
	"  data TEXT NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'waiting', 'admitted', 'rejected')),"
	"  decided_by TEXT,"
	"  decided_at INTEGER,"
	"  reminded INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX applications_user ON applications (user_id);"
	"ALTER TABLE residents ADD COLUMN data TEXT;"
	"ALTER TABLE residents ADD COLUMN spelregels TEXT;"
	"ALTER TABLE residents ADD COLUMN welcomed INTEGER NOT NULL DEFAULT 0;",
	/* 10: casussen. casus_rooms: every room a casus reached, its root
	 * there (the melding, or the bot's copy) and its casushouder there;
	 * casus_events: the messages that belong to it, with their content,
	 * so an approved one can be copied (nr 0: a message in a stuurgroep
	 * or regiegroep room that may still be approved); forwards: each
	 * copy, at most one per message and target. */
	"CREATE TABLE casussen ("
	"  nr INTEGER PRIMARY KEY,"
	"  origin_room TEXT NOT NULL,"
	"  origin_event TEXT NOT NULL,"
	"  opened INTEGER NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'expired')),"
	"  uitkomst TEXT,"
	"  afloop TEXT,"
	"  closed INTEGER,"
	"  reminded INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE casus_rooms ("
	"  nr INTEGER NOT NULL,"
	"  room_id TEXT NOT NULL,"
	"  root_event TEXT,"
	"  casushouder TEXT,"
	"  PRIMARY KEY (nr, room_id));"
	"CREATE TABLE casus_events ("
	"  room_id TEXT NOT NULL,"
	"  event_id TEXT NOT NULL,"
	"  nr INTEGER NOT NULL,"
	"  sender TEXT NOT NULL,"
	"  ts INTEGER NOT NULL,"
	"  content TEXT NOT NULL,"
	"  PRIMARY KEY (room_id, event_id));"
	"CREATE TABLE forwards ("
	"  source_event TEXT NOT NULL,"
	"  target_room TEXT NOT NULL,"
	"  nr INTEGER NOT NULL,"
	"  txn TEXT NOT NULL,"
	"  target_event TEXT,"
	"  approver TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  PRIMARY KEY (source_event, target_room));"
	/* linked casussen (!koppel), the stuurgroep's record of warnings and
	 * flags per member, and recent posts (who wrote what when: the author
	 * of a flagged message, chatter); recent posts are kept a week. */
	"CREATE TABLE casus_links ("
	"  nr INTEGER NOT NULL,"
	"  linked INTEGER NOT NULL,"
	"  PRIMARY KEY (nr, linked));"
	"CREATE TABLE marks ("
	"  user_id TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('warning', 'flag')),"
	"  at INTEGER NOT NULL,"
	"  by_user TEXT,"
	"  room_id TEXT,"
	"  event_id TEXT);"
	"CREATE INDEX marks_user ON marks (user_id);"
	"CREATE TABLE recent_posts ("
	"  room_id TEXT NOT NULL,"
	"  event_id TEXT NOT NULL,"
	"  user_id TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  top_level INTEGER NOT NULL,"
	"  PRIMARY KEY (room_id, event_id));",
	/* 11: private words for someone without a direct chat with the bot
	 * yet: kept until the chat the bot opens for them is joined. */
	"CREATE TABLE private_notes ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  user_id TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  at INTEGER NOT NULL);",
	/* 12: the room version of each structure room (from its create
	 * event): power levels differ from version 12 on, !status shows it. */
	"ALTER TABLE structure_rooms ADD COLUMN room_version TEXT;",
	/* 13: privacy. A sent or refused outbox item keeps only what
	 * exactly-once needs (txn id, room, kind, state, result event id,
	 * times): its content goes. outbox_named links the bot's messages that
	 * named a user (their name and phone number in an application notice)
	 * to that user, so !vergeetmij can redact them; older application
	 * notices are linked by their number while the application is known. */
	"CREATE TABLE outbox_named ("
	"  txn_id TEXT NOT NULL,"
	"  user_id TEXT NOT NULL,"
	"  PRIMARY KEY (txn_id, user_id));"
	"CREATE INDEX outbox_named_user ON outbox_named (user_id);"
	"INSERT OR IGNORE INTO outbox_named (txn_id, user_id) "
	"  SELECT o.txn_id, a.user_id FROM outbox o JOIN applications a "
	"  ON o.kind = 0 AND json_valid(o.content) "
	"  AND (json_extract(o.content, '$.body') LIKE 'Nieuwe aanmelding ' || a.nr || ' voor %' "
	"    OR json_extract(o.content, '$.body') LIKE 'New application ' || a.nr || ' for %');"
	"UPDATE outbox SET content = NULL WHERE state != 'pending';",
	/* 14: an author's edits of forwarded messages (issue 11): each waits
	 * for a stuurgroep member's approval before the copies change.
	 * room_id is the room of the edit and its original; request_event the
	 * bot's request to approve it (in request_room), once seen. */
	"CREATE TABLE casus_edits ("
	"  room_id TEXT NOT NULL,"
	"  edit_event TEXT NOT NULL,"
	"  original TEXT NOT NULL,"
	"  nr INTEGER NOT NULL,"
	"  content TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'pending'"
	"    CHECK (state IN ('pending', 'superseded', 'approved', 'withdrawn')),"
	"  request_room TEXT,"
	"  request_event TEXT,"
	"  approver TEXT,"
	"  at INTEGER NOT NULL,"
	"  PRIMARY KEY (room_id, edit_event));"
	"CREATE INDEX casus_edits_original ON casus_edits (room_id, original);"
	"CREATE INDEX casus_edits_request ON casus_edits (request_event);"
	/* a forwarded message was redacted: a copy not seen back yet is
	 * redacted as soon as its event id is known */
	"ALTER TABLE forwards ADD COLUMN source_redacted INTEGER NOT NULL DEFAULT 0;",
	/* 15: floods (issue 11). floods: per resident and wijkgroep, the
	 * top-level messages not opened as casus in the flood going on (held)
	 * and how many of those the stuurgroep has not heard of yet. The
	 * outbox gets a priority (0 high, 1 normal, 2 low) and the thread a
	 * message is in (lane, NULL outside threads): bot/outbox.c sends by
	 * them. held_events gets the sender, so that one account cannot fill
	 * the store with events nobody can read. */
	"CREATE TABLE floods ("
	"  room_id TEXT NOT NULL,"
	"  user_id TEXT NOT NULL,"
	"  started INTEGER NOT NULL,"
	"  last_at INTEGER NOT NULL,"
	"  reported_at INTEGER NOT NULL,"
	"  held INTEGER NOT NULL,"
	"  unreported INTEGER NOT NULL,"
	"  PRIMARY KEY (room_id, user_id));"
	"ALTER TABLE outbox ADD COLUMN prio INTEGER NOT NULL DEFAULT 1;"
	"ALTER TABLE outbox ADD COLUMN lane TEXT;"
	"CREATE INDEX outbox_ready ON outbox (prio, id) WHERE state = 'pending';"
	"CREATE INDEX outbox_room ON outbox (room_id, id) WHERE state = 'pending';"
	"ALTER TABLE held_events ADD COLUMN sender TEXT;"
	"UPDATE held_events SET sender = json_extract(event, '$.sender') WHERE json_valid(event);"
	"CREATE INDEX held_events_sender ON held_events (sender, first_seen);"
	"CREATE INDEX held_events_room ON held_events (room_id, first_seen);",
	/* 16: deferred outbox items (bot/outbox.h): a membership change that
	 * needs another homeserver that is down waits until defer_until (the
	 * store's time, s), deferred since deferred_since, defers times. */
	"ALTER TABLE outbox ADD COLUMN defer_until INTEGER;"
	"ALTER TABLE outbox ADD COLUMN deferred_since INTEGER;"
	"ALTER TABLE outbox ADD COLUMN defers INTEGER NOT NULL DEFAULT 0;",
	/* 17 (issue 15): applications made on
	 * the website (bot/web_intake.c). web_id is the row in the website's
	 * web.db; nr the application it became; its applicant is the
	 * placeholder "web:<web_id>" until a Matrix account sends code (single
	 * use, until expires). token: the one-use Synapse registration token
	 * offered; published: the state last written back to web.db. */
	"CREATE TABLE web_applications ("
	"  web_id INTEGER PRIMARY KEY,"
	"  nr INTEGER NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'open'"
	"    CHECK (state IN ('open', 'admitted', 'linked', 'expired', 'gone')),"
	"  code TEXT UNIQUE,"
	"  token TEXT,"
	"  expires INTEGER,"
	"  user_id TEXT,"
	"  published TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX web_applications_nr ON web_applications (nr);",
	/* 18 (issue 16): anonymous statistics. One row
	 * per casus, counts and times only (no names, texts or message ids),
	 * kept past casus retention: written by triggers when a casus opens,
	 * closes and is first forwarded; bot/store_stats.c adds the wijk and
	 * the SAAR reading (112 called) while the melding is still kept.
	 * stats_activity: the last message per wijkgroep (from recent_posts,
	 * which lasts a week); stats_sent: reports posted (once each);
	 * stats_charts: charts asked for, made after the batch. */
	"CREATE TABLE stats_casus ("
	"  nr INTEGER PRIMARY KEY,"
	"  room_key TEXT NOT NULL DEFAULT '',"
	"  wijk TEXT,"
	"  opened INTEGER NOT NULL,"
	"  called_112 INTEGER,"
	"  first_approval INTEGER,"
	"  closed INTEGER,"
	"  status TEXT NOT NULL,"
	"  uitkomst TEXT);"
	"INSERT OR IGNORE INTO stats_casus (nr, room_key, opened, closed, status, uitkomst)"
	"  SELECT c.nr, COALESCE((SELECT key FROM structure_rooms WHERE room_id = c.origin_room), ''),"
	"  c.opened, c.closed, c.status, c.uitkomst FROM casussen c;"
	"UPDATE stats_casus SET first_approval = (SELECT min(at) FROM forwards f WHERE f.nr = stats_casus.nr);"
	"CREATE TRIGGER stats_casus_opened AFTER INSERT ON casussen BEGIN"
	"  INSERT OR IGNORE INTO stats_casus (nr, room_key, opened, status) VALUES (NEW.nr,"
	"  COALESCE((SELECT key FROM structure_rooms WHERE room_id = NEW.origin_room), ''), NEW.opened, NEW.status);"
	"  END;"
	"CREATE TRIGGER stats_casus_closed AFTER UPDATE OF status ON casussen BEGIN"
	"  UPDATE stats_casus SET status = NEW.status, uitkomst = NEW.uitkomst, closed = NEW.closed WHERE nr = NEW.nr;"
	"  END;"
	"CREATE TRIGGER stats_casus_forwarded AFTER INSERT ON forwards WHEN NEW.nr > 0 BEGIN"
	"  UPDATE stats_casus SET first_approval = NEW.at WHERE nr = NEW.nr"
	"  AND (first_approval IS NULL OR first_approval > NEW.at);"
	"  END;"
	"CREATE TABLE stats_activity ("
	"  room_key TEXT PRIMARY KEY,"
	"  last_at INTEGER NOT NULL);"
	"CREATE TABLE stats_sent ("
	"  key TEXT PRIMARY KEY,"
	"  at INTEGER NOT NULL);"
	"CREATE TABLE stats_charts ("
	"  txn TEXT PRIMARY KEY,"
	"  room_id TEXT NOT NULL,"
	"  reply_to TEXT,"
	"  scope TEXT NOT NULL,"
	"  van INTEGER NOT NULL,"
	"  tot INTEGER NOT NULL,"
	"  at INTEGER NOT NULL);",
};

const int bot_store_n_migrations = (int)(sizeof bot_store_migrations / sizeof bot_store_migrations[0]);
