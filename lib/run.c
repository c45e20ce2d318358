/* run.c - the quoth command's engine: input discovery, the stage processes
 * and their pipes, the split of records over chains and the merge back in
 * input order, progress, and the TSV/CSV tables of quotations. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "quoth/lines.h"
#include "quoth/run.h"
#include "quoth/stage.h"
#include "quoth/util.h"

extern char **environ;

static const char *const stage_names[QUOTH_NSTAGES] = { "normalize", "tokenize", "entities", "quotes" };

/* Inputs. */

static void
inputs_push(quoth_inputs *in, const char *path, const struct stat *st)
{
	in->files = quoth_xgrow(in->files, &in->cap, in->n + 1, sizeof *in->files);
	in->files[in->n++] = quoth_xstrdup(path);
	if (in->bytes >= 0)
		in->bytes = st && S_ISREG(st->st_mode) ? in->bytes + (double)st->st_size : -1;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
wanted(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot && (!strcmp(dot, ".txt") || !strcmp(dot, ".jsonl"));
}

static int
walk(quoth_inputs *in, const char *dir, int depth)
{
	DIR *d;
	struct dirent *e;
	struct stat st;
	char **names = NULL, *path;
	size_t n = 0, cap = 0, i, plen;
	int rc = 0;

	if (depth > 64) {
		quoth_warn("%s: folders nested too deep", dir);
		return -1;
	}
	if (!(d = opendir(dir))) {
		quoth_warn("%s:", dir);
		return -1;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		names = quoth_xgrow(names, &cap, n + 1, sizeof *names);
		names[n++] = quoth_xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, by_name);
	for (i = 0; i < n; i++) {
		plen = strlen(dir);
		path = quoth_xmalloc(plen + strlen(names[i]) + 2);
		sprintf(path, "%s%s%s", dir, plen && dir[plen - 1] == '/' ? "" : "/", names[i]);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (walk(in, path, depth + 1) < 0)
				rc = -1;
		} else if (wanted(names[i]) && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			inputs_push(in, path, &st);
		}
		free(path);
		free(names[i]);
	}
	free(names);
	return rc;
}

int
quoth_inputs_add(quoth_inputs *in, char **operands, size_t n)
{
	struct stat st;
	size_t i;
	int rc = 0;

	if (n == 0) {
		inputs_push(in, "-", fstat(0, &st) == 0 ? &st : NULL);
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (strcmp(operands[i], "-") == 0)
			inputs_push(in, "-", fstat(0, &st) == 0 ? &st : NULL);
		else if (stat(operands[i], &st) != 0) {
			quoth_warn("%s:", operands[i]);
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			if (walk(in, operands[i], 0) < 0)
				rc = -1;
		} else {
			inputs_push(in, operands[i], &st);
		}
	}
	return rc;
}

void
quoth_inputs_free(quoth_inputs *in)
{
	size_t i;

	for (i = 0; i < in->n; i++)
		free(in->files[i]);
	free(in->files);
	memset(in, 0, sizeof *in);
}

/* Tables of quotations. */

static void
put_cell(quoth_buf *out, const char *s, int format)
{
	const char *p;

	if (!s)
		s = "";
	if (format == QUOTH_FORMAT_CSV) {
		if (!s[strcspn(s, ",\"\r\n")]) {
			quoth_buf_puts(out, s);
			return;
		}
		quoth_buf_putc(out, '"');
		for (p = s; *p; p++) {
			if (*p == '"')
				quoth_buf_putc(out, '"');
			quoth_buf_putc(out, *p);
		}
		quoth_buf_putc(out, '"');
		return;
	}
	for (p = s; *p; p++) {
		switch (*p) {
		case '\t': quoth_buf_puts(out, "\\t"); break;
		case '\n': quoth_buf_puts(out, "\\n"); break;
		case '\r': quoth_buf_puts(out, "\\r"); break;
		case '\\': quoth_buf_puts(out, "\\\\"); break;
		default: quoth_buf_putc(out, *p);
		}
	}
}

static void
put_row(quoth_buf *out, const char *const *cells, size_t n, int format)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			quoth_buf_putc(out, format == QUOTH_FORMAT_CSV ? ',' : '\t');
		put_cell(out, cells[i], format);
	}
	quoth_buf_puts(out, format == QUOTH_FORMAT_CSV ? "\r\n" : "\n");
}

void
quoth_table_header(quoth_buf *out, int format)
{
	static const char *const head[] = { "id", "speaker", "kind", "cue", "medium", "type", "quote" };

	put_row(out, head, sizeof head / sizeof *head, format);
}

static const char *
str_at(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int
quoth_table_rows(quoth_buf *out, const char *line, size_t len, int format)
{
	size_t a, b;
	cJSON *quotes, *id = NULL;
	const cJSON *q;
	char *idtext = NULL;
	int rows = 0;

	if (quoth_json_member(line, len, "error", &a, &b))
		return 0;
	if (!quoth_json_member(line, len, "quotes", &a, &b) || !(quotes = cJSON_ParseWithLength(line + a, b - a)))
		return -1;
	if (!cJSON_IsArray(quotes)) {
		cJSON_Delete(quotes);
		return -1;
	}
	if (quoth_json_member(line, len, "id", &a, &b) && (id = cJSON_ParseWithLength(line + a, b - a)))
		idtext = cJSON_IsString(id) ? quoth_xstrdup(id->valuestring) : cJSON_PrintUnformatted(id);
	cJSON_ArrayForEach(q, quotes) {
		const cJSON *sp = cJSON_GetObjectItemCaseSensitive(q, "speaker");
		const cJSON *cue = cJSON_GetObjectItemCaseSensitive(q, "cue");
		const cJSON *med = cJSON_GetObjectItemCaseSensitive(q, "medium");
		const char *cells[7];

		cells[0] = idtext;
		cells[1] = str_at(sp, "name");
		cells[2] = str_at(sp, "kind");
		cells[3] = str_at(cue, "text");
		cells[4] = str_at(med, "name");
		cells[5] = str_at(q, "type");
		cells[6] = str_at(q, "text");
		put_row(out, cells, 7, format);
		rows++;
	}
	free(idtext);
	cJSON_Delete(id);
	cJSON_Delete(quotes);
	return rows;
}

/* Processes. */

struct proc {
	pid_t pid;
	int stage;
	int chain;            /* -1 for normalize */
};

struct run {
	const quoth_run_opts *o;
	const quoth_inputs *in;
	struct proc *procs;
	size_t nprocs, pcap;
	int nchains;
	int *chain_in;        /* write ends the distributor feeds */
	int *chain_out;       /* read ends the merger reads */
	int head_out;         /* quoth-normalize's output when there is a split */
	/* distributor */
	size_t sent;
	int dist_err;         /* errno of a failed write to a chain */
	int dist_read_err;
	/* merger and output */
	quoth_buf out;
	size_t docs;
	double started, last_shown;
	int bad_format;       /* records with no "quotes" under a table format */
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *
stage_path(const quoth_run_opts *o, int stage)
{
	char exe[PATH_MAX], *slash, *path;
	const char *dir = o->bindir;
	ssize_t n;

	if (!dir) {
		n = readlink("/proc/self/exe", exe, sizeof exe - 1);
		if (n > 0) {
			exe[n] = '\0';
			if ((slash = strrchr(exe, '/'))) {
				*slash = '\0';
				dir = exe;
			}
		}
	}
	if (dir) {
		path = quoth_xmalloc(strlen(dir) + 32);
		sprintf(path, "%s/quoth-%s", dir, stage_names[stage]);
		if (access(path, X_OK) == 0 || o->bindir)
			return path;
		free(path);
	}
	path = quoth_xmalloc(32);
	sprintf(path, "quoth-%s", stage_names[stage]);
	return path;
}

/* Starts one stage reading fd in and writing fd out (and reading the file
 * list from fd list as its descriptor 3, when list >= 0). */
static void
spawn(struct run *r, int stage, int chain, int in, int out, int list)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t def;
	char **argv, *path = stage_path(r->o, stage);
	size_t k = 0, i;
	pid_t pid;
	int err;

	argv = quoth_xmalloc((r->o->nstage_args + r->o->nnormalize_args + 4) * sizeof *argv);
	argv[k++] = path;
	for (i = 0; i < r->o->nstage_args; i++)
		argv[k++] = r->o->stage_args[i];
	if (stage == QUOTH_STAGE_NORMALIZE) {
		for (i = 0; i < r->o->nnormalize_args; i++)
			argv[k++] = r->o->normalize_args[i];
		argv[k++] = "--files0-from";
		argv[k++] = "/dev/fd/3";
	}
	argv[k] = NULL;
	posix_spawn_file_actions_init(&fa);
	if (in != 0)
		posix_spawn_file_actions_adddup2(&fa, in, 0);
	if (out != 1)
		posix_spawn_file_actions_adddup2(&fa, out, 1);
	if (list >= 0)
		posix_spawn_file_actions_adddup2(&fa, list, 3);
	posix_spawnattr_init(&attr);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	posix_spawnattr_setsigdefault(&attr, &def);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
	err = strchr(path, '/') ? posix_spawn(&pid, path, &fa, &attr, argv, environ)
	                        : posix_spawnp(&pid, path, &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (err) {
		errno = err;
		quoth_die("cannot start %s:", path);
	}
	r->procs = quoth_xgrow(r->procs, &r->pcap, r->nprocs + 1, sizeof *r->procs);
	r->procs[r->nprocs++] = (struct proc){ pid, stage, chain };
	free(argv);
	free(path);
}

/* A pipe between stages. A large buffer lets a stage run ahead a few
 * records instead of waking its neighbour for every 64 KB, which on a
 * machine with fewer cores than processes costs context switches and
 * cache; where the system refuses, the default buffer serves. */
static void
xpipe(int fd[2])
{
	if (pipe2(fd, O_CLOEXEC) != 0)
		quoth_die("pipe:");
	(void)fcntl(fd[1], F_SETPIPE_SZ, 1 << 20);
}

/* Starts stages first..until of one chain reading in; returns the read end
 * of its output. Closes in. */
static int
spawn_chain(struct run *r, int chain, int first, int in)
{
	int p[2], s;

	for (s = first; s <= r->o->until; s++) {
		xpipe(p);
		spawn(r, s, chain, in, p[1], -1);
		close(in);
		close(p[1]);
		in = p[0];
	}
	return in;
}

/* The list of input files, NUL-separated, in an anonymous file. */
static int
file_list(const quoth_inputs *in)
{
	int fd = memfd_create("quoth-files", MFD_CLOEXEC);
	quoth_buf b = QUOTH_BUF_INIT;
	size_t i, off = 0;
	ssize_t n;

	if (fd < 0)
		quoth_die("memfd_create:");
	for (i = 0; i < in->n; i++)
		quoth_buf_put(&b, in->files[i], strlen(in->files[i]) + 1);
	while (off < b.len) {
		if ((n = write(fd, b.ptr + off, b.len - off)) < 0)
			quoth_die("file list:");
		off += (size_t)n;
	}
	quoth_buf_free(&b);
	return fd;
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The distributor: record i of quoth-normalize's output to chain i mod
 * nchains, one write per record (holding records back could stall a
 * chain that the merger is waiting on). */
static void *
distribute(void *arg)
{
	struct run *r = arg;
	quoth_lines in;
	char *line;
	size_t len;
	int got, i;

	quoth_lines_init(&in, r->head_out);
	while ((got = quoth_lines_next(&in, &line, &len, 0)) == 1) {
		int fd = r->chain_in[r->sent % (size_t)r->nchains];
		line[len] = '\n';
		if (write_all(fd, line, len + 1) < 0) {
			r->dist_err = errno;
			break;
		}
		r->sent++;
	}
	if (got < 0)
		r->dist_read_err = in.err;
	quoth_lines_free(&in);
	for (i = 0; i < r->nchains; i++)
		close(r->chain_in[i]);
	close(r->head_out);
	return NULL;
}

static void
flush_stdout(struct run *r)
{
	if (r->out.len && write_all(1, r->out.ptr, r->out.len) < 0) {
		if (errno == EPIPE) {
			size_t i;
			for (i = 0; i < r->nprocs; i++)
				kill(r->procs[i].pid, SIGTERM);
			signal(SIGPIPE, SIG_DFL);
			raise(SIGPIPE);
		}
		quoth_die("write error:");
	}
	quoth_buf_clear(&r->out);
}

static void
before_wait(void *arg)
{
	flush_stdout(arg);
}

/* Bytes normalize has read so far, from /proc; -1 when unknown. */
static double
bytes_read(const struct run *r)
{
	char path[64], line[128];
	double v = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%ld/io", (long)r->procs[0].pid);
	if (!(f = fopen(path, "r")))
		return -1;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "rchar: ", 7) == 0)
			v = strtod(line + 7, NULL);
	fclose(f);
	return v;
}

static void
show_progress(struct run *r, int last)
{
	double t, el, done;
	char eta[64] = "";

	if (!r->o->progress)
		return;
	t = now();
	el = t - r->started;
	if (!last && t - r->last_shown < (r->o->progress == 1 ? 0.25 : 5))
		return;
	r->last_shown = t;
	if ((done = bytes_read(r)) < 0)
		done = 0;
	if (r->in->bytes > 0 && (done > r->in->bytes || last))
		done = r->in->bytes;
	if (!last && r->in->bytes > 0 && done > 0 && el > 1) {
		double left = (r->in->bytes - done) / (done / el);
		snprintf(eta, sizeof eta, ", %d:%02d left", (int)(left / 60), (int)left % 60);
	}
	fprintf(stderr, "%squoth: %zu documents, %.1f MB", r->o->progress == 1 ? "\r" : "", r->docs, done / 1e6);
	if (r->in->bytes > 0)
		fprintf(stderr, " of %.1f MB", r->in->bytes / 1e6);
	fprintf(stderr, ", %.1f MB/s%s%s%s", el > 0 ? done / 1e6 / el : 0.0, eta,
	        r->o->progress == 1 ? "\033[K" : "", r->o->progress == 1 && !last ? "" : "\n");
}

/* The merger: one line from each chain in turn. Returns 0 when every
 * chain ended where the distributor's count says it should, else -1. */
static int
merge(struct run *r, pthread_t *dist)
{
	quoth_lines *outs = quoth_xcalloc((size_t)r->nchains, sizeof *outs);
	char *line;
	size_t len;
	int c, got, rc = 0;

	for (c = 0; c < r->nchains; c++) {
		quoth_lines_init(&outs[c], r->chain_out[c]);
		outs[c].before_wait = before_wait;
		outs[c].arg = r;
	}
	for (;;) {
		c = (int)(r->docs % (size_t)r->nchains);
		got = quoth_lines_next(&outs[c], &line, &len, 0);
		if (got < 0) {
			errno = outs[c].err;
			quoth_warn("reading chain %d:", c + 1);
			rc = -1;
			break;
		}
		if (got == 0)
			break;
		r->docs++;
		if (r->o->format == QUOTH_FORMAT_JSON) {
			quoth_buf_put(&r->out, line, len);
			quoth_buf_putc(&r->out, '\n');
		} else if (quoth_table_rows(&r->out, line, len, r->o->format) < 0) {
			r->bad_format++;
		}
		if (r->out.len >= (1u << 16))
			flush_stdout(r);
		show_progress(r, 0);
	}
	flush_stdout(r);
	if (dist) {
		pthread_join(*dist, NULL);
		if (rc == 0 && r->docs != r->sent) {
			quoth_warn("chain %d ended after %zu of %zu records", c + 1, r->docs, r->sent);
			rc = -1;
		}
	}
	for (c = 0; c < r->nchains; c++) {
		quoth_lines_free(&outs[c]);
		close(r->chain_out[c]);
	}
	free(outs);
	return rc;
}

/* Waits for every stage; returns the worst exit code, with a message for
 * a stage that was killed. */
static int
reap(struct run *r)
{
	size_t i;
	int status, rc = QUOTH_EXIT_OK;

	for (i = 0; i < r->nprocs; i++) {
		while (waitpid(r->procs[i].pid, &status, 0) < 0)
			if (errno != EINTR)
				quoth_die("waitpid:");
		if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGPIPE || WTERMSIG(status) == SIGTERM)) {
			continue;
		} else if (WIFSIGNALED(status)) {
			if (r->procs[i].chain >= 0)
				quoth_warn("quoth-%s (chain %d) killed by signal %d", stage_names[r->procs[i].stage],
				           r->procs[i].chain + 1, WTERMSIG(status));
			else
				quoth_warn("quoth-%s killed by signal %d", stage_names[r->procs[i].stage], WTERMSIG(status));
			rc = QUOTH_EXIT_SYSTEM;
		} else if (WEXITSTATUS(status) > rc) {
			rc = WEXITSTATUS(status);
		}
	}
	return rc;
}

int
quoth_run(const quoth_run_opts *o, const quoth_inputs *in)
{
	struct run r;
	pthread_t dist;
	int p[2], list, head, c, merged, rc, split, nchains;

	memset(&r, 0, sizeof r);
	r.o = o;
	r.in = in;
	r.started = r.last_shown = now();
	signal(SIGPIPE, SIG_IGN);
	split = o->jobs > 1 && o->until > QUOTH_STAGE_NORMALIZE;
	nchains = split ? o->jobs : 1;
	r.nchains = nchains;
	r.chain_in = quoth_xcalloc((size_t)nchains, sizeof *r.chain_in);
	r.chain_out = quoth_xcalloc((size_t)nchains, sizeof *r.chain_out);

	if (o->format != QUOTH_FORMAT_JSON)
		quoth_table_header(&r.out, o->format);
	list = file_list(in);
	xpipe(p);
	spawn(&r, QUOTH_STAGE_NORMALIZE, -1, 0, p[1], list);
	close(p[1]);
	close(list);
	head = p[0];
	if (!split) {
		r.chain_out[0] = spawn_chain(&r, 0, QUOTH_STAGE_TOKENIZE, head);
	} else {
		r.head_out = head;
		for (c = 0; c < nchains; c++) {
			xpipe(p);
			r.chain_in[c] = p[1];
			r.chain_out[c] = spawn_chain(&r, c, QUOTH_STAGE_TOKENIZE, p[0]);
		}
		if ((errno = pthread_create(&dist, NULL, distribute, &r)) != 0)
			quoth_die("pthread_create:");
	}
	merged = merge(&r, split ? &dist : NULL);
	show_progress(&r, 1);
	rc = reap(&r);
	if (r.dist_err && r.dist_err != EPIPE) {
		errno = r.dist_err;
		quoth_warn("writing to a chain:");
	}
	if (r.dist_read_err) {
		errno = r.dist_read_err;
		quoth_warn("reading quoth-normalize:");
	}
	if (r.bad_format)
		quoth_warn("%d record%s without \"quotes\" gave no row", r.bad_format, r.bad_format == 1 ? "" : "s");
	if ((merged < 0 || r.dist_err || r.dist_read_err) && rc == QUOTH_EXIT_OK)
		rc = QUOTH_EXIT_SYSTEM;
	quoth_buf_free(&r.out);
	free(r.procs);
	free(r.chain_in);
	free(r.chain_out);
	return rc;
}
