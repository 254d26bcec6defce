/* structure.c: see structure.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "daemon.h"
#include "log.h"
#include "caps.h"
#include "proposals.h"
#include "signup.h"
#include "reconcile.h"
#include "policy/pol_overlay.h"
#include "structure.h"

/* Reads the whole file, bounded; caller frees. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n;

	if (!f) {
		LOG_ERROR("setting 'structure_file': cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	buf = malloc(POL_STRUCT_MAX_BYTES + 1);
	if (buf) {
		n = fread(buf, 1, POL_STRUCT_MAX_BYTES + 1, f);
		if (n > POL_STRUCT_MAX_BYTES) {
			LOG_ERROR("setting 'structure_file': %s is larger than %d bytes", path, POL_STRUCT_MAX_BYTES);
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
			*len = n;
		}
	}
	fclose(f);
	return buf;
}

static void log_problems(const pol_problems *p, const char *path)
{
	size_t i;
	char esc[600];

	for (i = 0; i < p->n; i++)
		BOT_LOG(p->items[i].severity == POL_SEV_ERROR ? BOT_LOG_ERROR : BOT_LOG_WARN,
			"%s: %s: %s", path, p->items[i].path,
			bot_log_escape(p->items[i].message, esc, sizeof esc));
	if (p->n_dropped)
		LOG_ERROR("%s: and %zu more problem(s)", path, p->n_dropped);
}

int bot_structure_load(bot_daemon *d, int at_start)
{
	const char *path = d->cfg->structure_file;
	pol_structure *s = NULL;
	pol_problems problems;
	bot_reconcile_stats stats;
	char *text, why[600];
	size_t len = 0;
	int rc;

	if (!path[0])
		return 0;
	text = read_file(path, &len);
	if (!text)
		return at_start ? -1 : 1;
	pol_problems_init(&problems);
	/* The bot's own changes (splits, new wijkgroepen) lie over the file. */
	rc = bot_structure_with_overlay(d, text, NULL, &s, &problems, why, sizeof why);
	log_problems(&problems, path);
	pol_problems_free(&problems);
	if (rc != 0) {
		free(text);
		if (at_start) {
			LOG_ERROR("the structure file %s cannot be used; fix the problems above", path);
			return -1;
		}
		LOG_ERROR("the new structure file has problems; the bot keeps the structure it had");
		return 1;
	}
	pol_structure_free(d->structure);
	d->structure = s;
	free(d->structure_text);
	d->structure_text = text;
	LOG_INFO("structure: gemeente %s, %zu wijk(en), %zu room(s)", pol_structure_gemeente(s),
		 pol_structure_n_wijken(s), pol_structure_n_rooms(s));
	if (bot_reconcile(d, s, &stats) != MX_OK)
		LOG_WARN("structure: not everything could be set up; it is tried again at the next start "
			 "or reload (SIGHUP)");
	bot_proposals_followup(d);
	bot_caps_enforce_all(d);
	bot_signup_spelregels_changed(d);
	return 0;
}

int bot_structure_print(bot_daemon *d, FILE *out)
{
	const char *path = d->cfg->structure_file;
	char *text, *overlay = NULL, *merged = NULL;
	pol_structure *s = NULL;
	pol_problems problems;
	size_t len = 0;
	int rc = -1;

	if (!path[0]) {
		LOG_ERROR("setting 'structure_file' is empty: there is no structure to print");
		return -1;
	}
	text = read_file(path, &len);
	if (!text)
		return -1;
	pol_problems_init(&problems);
	if (bot_store_kv_get(d->store, BOT_KV_OVERLAY, &overlay) != BOT_STORE_ERR &&
	    pol_overlay_merge(text, len, overlay, &merged, &problems) == 0) {
		rc = pol_structure_parse(&s, merged, strlen(merged), &problems) == 0 ? 0 : -1;
		fprintf(out, "%s\n", merged);
	}
	log_problems(&problems, path);
	pol_problems_free(&problems);
	pol_structure_free(s);
	free(merged);
	free(overlay);
	free(text);
	return rc;
}
