/* web_main.c: buurtbot-web, the public sign-up website (issue 15). A
 * separate program from the bot: it holds none of the bot's secrets (no
 * access token, no keys, no admin token), reads the structure file and
 * writes only web.db in its own directory, which the bot reads (see
 * web_schema.h). Run it as its own unprivileged user behind the
 * operator's HTTPS reverse proxy. `--flyer WIJK --out DIR` draws the
 * publicity instead of serving. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include "web_csrf.h"
#include "web_db.h"
#include "web_flyer.h"
#include "web_http.h"

static const char usage[] =
	"usage: buurtbot-web --structure FILE --dir DIR [options]\n"
	"       buurtbot-web --structure FILE --flyer WIJK --out DIR [--base-url URL] [--lang en]\n"
	"       buurtbot-web --health [--listen ADDR] [--port N]\n"
	"Serves the sign-up website of the gemeente in the structure file.\n"
	"  --structure FILE   the bot's structure file (read only)\n"
	"  --dir DIR          where web.db lives, shared with the bot (its web_dir)\n"
	"  --listen ADDR      IP address to listen on (default 127.0.0.1)\n"
	"  --port N           port (default 8088)\n"
	"  --base-url URL     the public address of the site, as residents type it (default\n"
	"                     http://127.0.0.1:8088); used on flyers and in QR codes\n"
	"  --bot MXID         the bot's Matrix account, for the chat link on the status page\n"
	"  --client-url URL   where an admitted resident creates an account, e.g.\n"
	"                     https://app.element.io/#/register\n"
	"  --trust-proxy      take the client address from X-Forwarded-For (only behind\n"
	"                     the operator's reverse proxy)\n"
	"  --posts N          form posts per address per 10 minutes (default 10)\n"
	"  --gets N           requests per address per minute (default 120)\n"
	"  --flyer WIJK       draw the flyer of wijk WIJK (id) instead of serving\n"
	"  --out DIR          where --flyer writes flyer-WIJK-a5.pdf, -a4.pdf and .png\n"
	"  --lang nl|en       language of the flyer (default nl)\n"
	"  --health           ask a running buurtbot-web at --listen/--port for /health;\n"
	"                     exit 0 when it answers OK (for container health checks)\n";

typedef struct args {
	const char *structure, *dir, *listen, *base_url, *bot, *client_url, *flyer, *out, *lang;
	long port, posts, gets;
	int trust_proxy, health;
} args;

static int number(const char *s, long lo, long hi, long *out)
{
	char *end = NULL;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || !end || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* One option into a; nonzero when its value is bad or it is unknown. */
static int take_option(int c, args *a)
{
	switch (c) {
	case 's': a->structure = optarg; return 0;
	case 'd': a->dir = optarg; return 0;
	case 'l': a->listen = optarg; return 0;
	case 'u': a->base_url = optarg; return 0;
	case 'b': a->bot = optarg; return 0;
	case 'c': a->client_url = optarg; return 0;
	case 't': a->trust_proxy = 1; return 0;
	case 'H': a->health = 1; return 0;
	case 'f': a->flyer = optarg; return 0;
	case 'o': a->out = optarg; return 0;
	case 'L': a->lang = optarg; return 0;
	case 'p': return number(optarg, 1, 65535, &a->port);
	case 'P': return number(optarg, 1, 10000, &a->posts);
	case 'G': return number(optarg, 1, 100000, &a->gets);
	case 'h': fputs(usage, stdout); exit(0);
	default: return 1;
	}
}

static int parse_args(int argc, char **argv, args *a)
{
	static const struct option opts[] = {
		{ "structure", 1, NULL, 's' }, { "dir", 1, NULL, 'd' }, { "listen", 1, NULL, 'l' },
		{ "port", 1, NULL, 'p' }, { "base-url", 1, NULL, 'u' }, { "bot", 1, NULL, 'b' },
		{ "client-url", 1, NULL, 'c' }, { "trust-proxy", 0, NULL, 't' }, { "posts", 1, NULL, 'P' },
		{ "gets", 1, NULL, 'G' }, { "flyer", 1, NULL, 'f' }, { "out", 1, NULL, 'o' }, { "lang", 1, NULL, 'L' },
		{ "health", 0, NULL, 'H' }, { "help", 0, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	int c, bad = 0;

	*a = (args){ NULL, NULL, "127.0.0.1", "http://127.0.0.1:8088", "", "", NULL, NULL, "nl", 8088, 10, 120, 0, 0 };
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		bad |= take_option(c, a);
	if (!bad && optind == argc && a->health)
		return 0;
	if (bad || optind != argc || !a->structure || (a->flyer ? !a->out : !a->dir) ||
	    strlen(a->base_url) > 512 || strlen(a->client_url) > 512 || strlen(a->bot) > 255) {
		fputs(usage, stderr);
		return -1;
	}
	return 0;
}

/* --health: GET /health from the running site; 0 when it says OK. */
static int health(const args *a)
{
	struct addrinfo hints, *res = NULL;
	char port[16], buf[512];
	const char *req = "GET /health HTTP/1.0\r\nHost: localhost\r\n\r\n";
	size_t got = 0;
	ssize_t n;
	int fd = -1, ok = 0;

	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST;
	snprintf(port, sizeof port, "%ld", a->port);
	if (getaddrinfo(strcmp(a->listen, "0.0.0.0") == 0 ? "127.0.0.1" : strcmp(a->listen, "::") == 0 ? "::1" :
			a->listen, port, &hints, &res) == 0 &&
	    (fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) >= 0 &&
	    connect(fd, res->ai_addr, res->ai_addrlen) == 0 && write(fd, req, strlen(req)) == (ssize_t)strlen(req)) {
		while (got < sizeof buf - 1 && (n = read(fd, buf + got, sizeof buf - 1 - got)) > 0)
			got += (size_t)n;
		buf[got] = '\0';
		ok = strncmp(buf, "HTTP/1.", 7) == 0 && strncmp(buf + 8, " 200", 4) == 0 && strstr(buf, "\r\n\r\nOK");
	}
	if (fd >= 0)
		close(fd);
	if (res)
		freeaddrinfo(res);
	fprintf(stderr, "buurtbot-web: %s\n", ok ? "healthy" : "not answering OK at /health");
	return ok ? 0 : 1;
}

static pol_structure *load_structure(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *text = malloc(POL_STRUCT_MAX_BYTES + 1);
	size_t len = f && text ? fread(text, 1, POL_STRUCT_MAX_BYTES + 1, f) : 0;
	pol_structure *s = NULL;
	pol_problems p;

	pol_problems_init(&p);
	if (f)
		fclose(f);
	if (!f || !text || len > POL_STRUCT_MAX_BYTES)
		fprintf(stderr, "buurtbot-web: cannot read the structure file %s\n", path);
	else if (pol_structure_parse(&s, text, len, &p) != 0)
		fprintf(stderr, "buurtbot-web: the structure file %s has %zu error(s); check it with buurtbot --check\n",
			path, p.n_errors);
	pol_problems_free(&p);
	free(text);
	return s;
}

static int serve(const args *a, pol_structure *s)
{
	web_server_opts o;
	web_server *srv = NULL;
	web_db *db = NULL;
	char err[4200];
	sigset_t set;
	int sig = 0;

	/* web.db and its -wal and -shm files: the bot (same group) writes them too. */
	umask(007);
	if (web_csrf_init() != 0 || web_db_open(&db, a->dir, err, sizeof err) != 0) {
		fprintf(stderr, "buurtbot-web: %s\n", db ? "no random bytes" : err);
		return 1;
	}
	if (geteuid() == 0)
		fprintf(stderr, "buurtbot-web: running as root; run it as its own unprivileged user (README)\n");
	memset(&o, 0, sizeof o);
	o.site = (web_site){ s, a->base_url, a->bot, a->client_url };
	o.db = db;
	o.listen_addr = a->listen;
	o.port = (unsigned short)a->port;
	o.trust_proxy = a->trust_proxy;
	o.posts_per_10min = (int)a->posts;
	o.gets_per_min = (int)a->gets;
	o.secure_cookies = strncmp(a->base_url, "https://", 8) == 0;
	/* Signals go to this thread only, not to the server's. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (web_server_start(&srv, &o) != 0) {
		web_db_close(db);
		return 1;
	}
	fprintf(stderr, "buurtbot-web: serving %s on %s port %ld\n", pol_structure_gemeente(s), a->listen, a->port);
	sigwait(&set, &sig);
	fprintf(stderr, "buurtbot-web: stopping\n");
	web_server_stop(srv);
	web_db_close(db);
	return 0;
}

int main(int argc, char **argv)
{
	args a;
	pol_structure *s;
	int rc;

	if (parse_args(argc, argv, &a) != 0)
		return 2;
	if (a.health)
		return health(&a);
	s = load_structure(a.structure);
	if (!s)
		return 1;
	if (a.flyer) {
		const pol_wijk *w = pol_structure_find_wijk(s, a.flyer);

		if (!w)
			fprintf(stderr, "buurtbot-web: --flyer: no wijk with id %s in the structure file\n", a.flyer);
		rc = w && web_flyer_files(&(web_site){ s, a.base_url, a.bot, a.client_url }, w,
					  strcmp(a.lang, "en") == 0 ? POL_LANG_EN : POL_LANG_NL, a.out) == 0 ? 0 : 1;
	} else {
		rc = serve(&a, s);
	}
	pol_structure_free(s);
	web_flyer_cleanup();
	return rc;
}
