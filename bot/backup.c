/* backup.c: see backup.h. */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "backup.h"

/* How long the copy waits for the bot's write lock to clear, per step. */
#define BACKUP_BUSY_MS 10000

/* An empty file of mode 0600 at path; 0 or -1 (errno). */
static int create_private(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);

	if (fd < 0)
		return -1;
	if (fchmod(fd, 0600) != 0) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* Copies every page of src into dst in one step under one read
 * transaction: the copy is one moment of the store. */
static int copy_pages(sqlite3 *src, sqlite3 *dst, char *err, size_t errsize)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	int rc;

	if (!b) {
		snprintf(err, errsize, "cannot start the backup: %s", sqlite3_errmsg(dst));
		return -1;
	}
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		snprintf(err, errsize, "copying the store failed: %s", sqlite3_errstr(rc));
		return -1;
	}
	return 0;
}

static int check_copy(sqlite3 *dst, char *err, size_t errsize)
{
	sqlite3_stmt *st = NULL;
	int ok = 0;

	if (sqlite3_prepare_v2(dst, "PRAGMA quick_check", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		ok = strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
	sqlite3_finalize(st);
	if (!ok)
		snprintf(err, errsize, "the copy does not pass SQLite's quick_check");
	return ok ? 0 : -1;
}

int bot_backup_copy(const char *src, const char *dest, char *err, size_t errsize)
{
	char tmp[BOT_CONFIG_STR_MAX + 64];
	sqlite3 *in = NULL, *out = NULL;
	int rc = -1;

	if (snprintf(tmp, sizeof tmp, "%s.tmp-%ld", dest, (long)getpid()) >= (int)sizeof tmp) {
		snprintf(err, errsize, "the backup file's name is too long");
		return -1;
	}
	/* Never SQLITE_OPEN_CREATE: a missing store is an error, not a new one. */
	if (sqlite3_open_v2(src, &in, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		snprintf(err, errsize, "cannot open the store %s: %s", src, in ? sqlite3_errmsg(in) : "out of memory");
		goto out;
	}
	sqlite3_busy_timeout(in, BACKUP_BUSY_MS);
	if (create_private(tmp) != 0) {
		snprintf(err, errsize, "cannot create %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (sqlite3_open_v2(tmp, &out, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		snprintf(err, errsize, "cannot open %s: %s", tmp, out ? sqlite3_errmsg(out) : "out of memory");
		goto out;
	}
	if (copy_pages(in, out, err, errsize) != 0 || check_copy(out, err, errsize) != 0)
		goto out;
	/* A copy in one file: no -wal next to it to forget. */
	sqlite3_exec(out, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
	if (sqlite3_close(out) != SQLITE_OK) {
		snprintf(err, errsize, "cannot finish %s", tmp);
		goto out;
	}
	out = NULL;
	if (rename(tmp, dest) != 0) {
		snprintf(err, errsize, "cannot rename %s to %s: %s", tmp, dest, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	sqlite3_close(out);
	sqlite3_close(in);
	if (rc != 0)
		unlink(tmp);
	return rc;
}

int bot_backup_run(const bot_config *cfg, const char *dest)
{
	char src[BOT_CONFIG_STR_MAX + 32], err[BOT_CONFIG_STR_MAX * 2 + 128];
	struct stat st;

	snprintf(src, sizeof src, "%s/buurtbot.db", cfg->data_dir);
	if (bot_backup_copy(src, dest, err, sizeof err) != 0) {
		fprintf(stderr, "buurtbot: backup failed: %s\n", err);
		return 1;
	}
	if (stat(dest, &st) == 0)
		printf("buurtbot: backup of %s written to %s (%lld bytes, mode 0600); keep the pickle key with it\n",
		       src, dest, (long long)st.st_size);
	return 0;
}
