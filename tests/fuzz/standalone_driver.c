/* standalone_driver.c: a main() for fuzz targets built without libFuzzer.
 * Feeds each file named on the command line, or every regular file in a
 * named directory, to LLVMFuzzerTestOneInput, so a corpus replays in CI. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Far above any corpus entry; keeps a stray huge file from eating memory. */
#define DRIVER_MAX_INPUT ((size_t)128 * 1024 * 1024)

/* Runs one file; returns 0, or -1 when it cannot be read. */
static int run_file(const char *path)
{
	FILE *f = NULL;
	uint8_t *buf = NULL;
	size_t len = 0;
	size_t cap = 0;
	int rc = -1;

	f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "driver: cannot open %s\n", path);
		goto cleanup;
	}
	for (;;) {
		size_t got;

		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 4096;
			uint8_t *nbuf;

			if (ncap > DRIVER_MAX_INPUT) {
				fprintf(stderr, "driver: %s is too large\n", path);
				goto cleanup;
			}
			nbuf = realloc(buf, ncap);
			if (nbuf == NULL) {
				fprintf(stderr, "driver: out of memory for %s\n", path);
				goto cleanup;
			}
			buf = nbuf;
			cap = ncap;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "driver: read error on %s\n", path);
		goto cleanup;
	}
	if (getenv("FUZZ_VERBOSE") != NULL)
		fprintf(stderr, "driver: %s (%zu bytes)\n", path, len);
	/* An exact-size copy, so ASan sees any read past the end. */
	{
		uint8_t *exact = malloc(len > 0 ? len : 1);

		if (exact == NULL)
			goto cleanup;
		if (len > 0)
			memcpy(exact, buf, len);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
	}
	rc = 0;

cleanup:
	if (f != NULL)
		fclose(f);
	free(buf);
	return rc;
}

static int skip_dirent(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* Runs every regular file of dir in name order; adds the count to *n_run. */
static int run_dir(const char *dir, size_t *n_run)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, skip_dirent, alphasort);
	int rc = 0;

	if (n < 0) {
		fprintf(stderr, "driver: cannot read directory %s\n", dir);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;
		int w = snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);

		if (w < 0 || (size_t)w >= sizeof(path)) {
			fprintf(stderr, "driver: path too long in %s\n", dir);
			rc = -1;
		} else if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			if (run_file(path) != 0)
				rc = -1;
			else
				(*n_run)++;
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	size_t n_run = 0;
	int rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "driver: no such file %s\n", argv[i]);
			rc = 1;
		} else if (S_ISDIR(st.st_mode)) {
			if (run_dir(argv[i], &n_run) != 0)
				rc = 1;
		} else if (run_file(argv[i]) != 0) {
			rc = 1;
		} else {
			n_run++;
		}
	}
	fprintf(stderr, "driver: %zu inputs run\n", n_run);
	return rc;
}
