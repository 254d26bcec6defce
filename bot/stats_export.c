/* stats_export.c: `buurtbot --config FILE --export-stats --from DATE --to
 * DATE [--format csv|json]`: the figures of the report for the
 * municipality, for the gemeente, every wijk and every wijkgroep, with
 * the same suppression ("<5"). Reads the store; changes nothing in it
 * (opening it may add the statistics table of a newer version). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "log.h"
#include "proposals.h"
#include "stats.h"
#include "policy/pol_overlay.h"

#define FILE_MAX (1024 * 1024)

/* The structure as the bot uses it: the file with its own changes. */
static pol_structure *load_structure(bot_daemon *d)
{
	FILE *f = d->cfg->structure_file[0] ? fopen(d->cfg->structure_file, "rb") : NULL;
	char *text = NULL, *overlay = NULL, *merged = NULL;
	pol_structure *s = NULL;
	pol_problems problems;
	size_t len = 0;

	pol_problems_init(&problems);
	if (!f) {
		fprintf(stderr, "buurtbot: no structure file to read (setting structure_file)\n");
		return NULL;
	}
	text = malloc(FILE_MAX + 1);
	if (text)
		len = fread(text, 1, FILE_MAX + 1, f);
	fclose(f);
	if (text && len <= FILE_MAX && bot_store_kv_get(d->store, BOT_KV_OVERLAY, &overlay) != BOT_STORE_ERR &&
	    pol_overlay_merge(text, len, overlay, &merged, &problems) == 0)
		pol_structure_parse(&s, merged, strlen(merged), &problems);
	pol_problems_free(&problems);
	if (!s)
		fprintf(stderr, "buurtbot: the structure file cannot be read or is not valid (--check-config)\n");
	free(text);
	free(overlay);
	free(merged);
	return s;
}

typedef struct exporter {
	FILE *out;
	int json;
	const char *from, *to;
	cJSON *groups;
} exporter;

static void csv_field(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void emit(exporter *e, const char *wijk, const char *wijkgroep, const pol_stats_item *items, size_t n)
{
	size_t i;

	if (e->json) {
		cJSON *g = cJSON_CreateObject(), *c = cJSON_CreateObject();

		cJSON_AddStringToObject(g, "wijk", wijk);
		cJSON_AddStringToObject(g, "wijkgroep", wijkgroep);
		for (i = 0; i < n; i++)
			cJSON_AddStringToObject(c, items[i].name, items[i].value);
		cJSON_AddItemToObject(g, "cijfers", c);
		cJSON_AddItemToArray(e->groups, g);
		return;
	}
	for (i = 0; i < n; i++) {
		fprintf(e->out, "%s,%s,", e->from, e->to);
		csv_field(e->out, wijk);
		fputc(',', e->out);
		csv_field(e->out, wijkgroep);
		fprintf(e->out, ",%s,%s\n", items[i].name, items[i].value);
	}
}

static int export_all(bot_daemon *d, const bot_stats_set *set, long long from, long long to, exporter *e)
{
	bot_stats_tree t;
	size_t i;

	if (bot_stats_tree_make(d, set, from, to, &t) != 0)
		return 1;
	for (i = 0; i < t.n; i++)
		emit(e, t.part[i].wijk ? t.part[i].wijk->id : "", t.part[i].wijkgroep ? t.part[i].wijkgroep->id : "",
		     t.nodes[i].items, t.nodes[i].n);
	bot_stats_tree_free(&t);
	return 0;
}

int bot_stats_export(bot_daemon *d, const char *from, const char *to, const char *format, FILE *out)
{
	int y1, m1, d1, y2, m2, d2, status = 1;
	long long f, t;
	bot_stats_set set;
	exporter e = { out, format && strcmp(format, "json") == 0, from, to, NULL };
	char *kv = NULL;

	if (pol_stats_date_parse(from, &y1, &m1, &d1) != 0 || pol_stats_date_parse(to, &y2, &m2, &d2) != 0 ||
	    y1 * 10000 + m1 * 100 + d1 > y2 * 10000 + m2 * 100 + d2 ||
	    (format && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)) {
		fprintf(stderr, "buurtbot: --export-stats needs --from YYYY-MM-DD --to YYYY-MM-DD (real dates, --to not "
			"before --from) [--format csv|json]\n");
		return 2;
	}
	d->structure = load_structure(d);
	if (!d->structure)
		return 1;
	/* the bot's own account, so members are counted without it */
	if (bot_store_kv_get(d->store, BOT_KV_USER_ID, &kv) == BOT_STORE_OK)
		d->user_id = kv;
	f = bot_stats_local_date(y1, m1, d1);
	t = bot_stats_local_date(y2, m2, d2 + 1);
	if (bot_stats_load(d->store, d->structure, f, t, &set) != BOT_STORE_OK) {
		fprintf(stderr, "buurtbot: the store cannot be read\n");
		return 1;
	}
	if (e.json)
		e.groups = cJSON_CreateArray();
	else
		fprintf(out, "van,tot,wijk,wijkgroep,cijfer,waarde\n");
	if (export_all(d, &set, f, t, &e) == 0) {
		status = 0;
		if (e.json) {
			cJSON *root = cJSON_CreateObject();
			char *s;

			cJSON_AddStringToObject(root, "van", from);
			cJSON_AddStringToObject(root, "tot", to);
			cJSON_AddStringToObject(root, "onderdrukt", "aantallen van 1 tot 4 als \"<5\"");
			cJSON_AddItemToObject(root, "groepen", e.groups);
			e.groups = NULL;
			s = cJSON_Print(root);
			if (s)
				fprintf(out, "%s\n", s);
			status = s ? 0 : 1;
			free(s);
			cJSON_Delete(root);
		}
	}
	cJSON_Delete(e.groups);
	bot_stats_set_free(&set);
	return status;
}
