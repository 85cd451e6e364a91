// SPDX-License-Identifier: GPL-2.0
/*
 * --listen: the exporter's HTTP side (DESIGN.md §7). libmicrohttpd serves from the refresh
 * loop's own thread: its epoll descriptor is polled beside the source's, so no lock guards the
 * series, and every socket is non-blocking, so a slow client can hold neither the loop nor a
 * refresh. Each frame advances the series (expo.c); a scrape writes them out at most once per
 * format and frame, and never reads /proc.
 *
 *   /metrics   Prometheus text 0.0.4, or OpenMetrics 1.0 when the Accept header prefers it
 *   /snapshot  the latest snapshot as the object --format json prints
 *   /stream    that object at every refresh, as Server-Sent Events
 *   /          a page linking them
 */
#include <dlfcn.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/addr.h"
#include "lib/array.h"
#include "lib/clock.h"
#include "lib/container.h"
#include "sink/batch.h"
#include "sink/expo.h"
#include "sink/sink.h"

/*
 * Limits: connections at once (a client holding hundreds idle leaves room for the scrapers),
 * the memory of one (its request headers must fit: a longer request is refused), and the
 * seconds one may stay idle before it is closed.
 */
#define HTTP_MAX_CONNS 1000
#define HTTP_CONN_MEMORY (16 * 1024)
#define HTTP_IDLE_SECS 10
/* After each /snapshot, the JSON is made at each frame for this long, so the next is at hand. */
#define JSON_KEEP_NS (60 * NSEC_PER_SEC)

/*
 * libmicrohttpd is loaded only when --listen is given: linked in, the GnuTLS it brings along
 * would cost every run of cputop about 3 MB of memory and 8 ms at start.
 */
static struct mhd_api {
	__typeof__(MHD_start_daemon) *start_daemon;
	__typeof__(MHD_stop_daemon) *stop_daemon;
	__typeof__(MHD_run) *run;
	__typeof__(MHD_get_timeout) *get_timeout;
	__typeof__(MHD_get_daemon_info) *get_daemon_info;
	__typeof__(MHD_create_response_from_buffer) *from_buffer;
	__typeof__(MHD_create_response_from_buffer_with_free_callback_cls) *from_blob;
	__typeof__(MHD_create_response_from_callback) *from_callback;
	__typeof__(MHD_add_response_header) *add_header;
	__typeof__(MHD_queue_response) *queue_response;
	__typeof__(MHD_destroy_response) *destroy_response;
	__typeof__(MHD_lookup_connection_value) *lookup;
	__typeof__(MHD_suspend_connection) *suspend;
	__typeof__(MHD_resume_connection) *resume;
} mhd;

#define MHD_SYM(f, sym) { #sym, offsetof(struct mhd_api, f) }
static const struct {
	const char *name;
	size_t off;
} mhd_syms[] = {
	MHD_SYM(start_daemon, MHD_start_daemon),
	MHD_SYM(stop_daemon, MHD_stop_daemon),
	MHD_SYM(run, MHD_run),
	MHD_SYM(get_timeout, MHD_get_timeout),
	MHD_SYM(get_daemon_info, MHD_get_daemon_info),
	MHD_SYM(from_buffer, MHD_create_response_from_buffer),
	MHD_SYM(from_blob, MHD_create_response_from_buffer_with_free_callback_cls),
	MHD_SYM(from_callback, MHD_create_response_from_callback),
	MHD_SYM(add_header, MHD_add_response_header),
	MHD_SYM(queue_response, MHD_queue_response),
	MHD_SYM(destroy_response, MHD_destroy_response),
	MHD_SYM(lookup, MHD_lookup_connection_value),
	MHD_SYM(suspend, MHD_suspend_connection),
	MHD_SYM(resume, MHD_resume_connection),
};

static int mhd_load(void)
{
	void *lib;

	if (mhd.start_daemon)
		return 0;
	lib = dlopen("libmicrohttpd.so.12", RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		fprintf(stderr, "cputop: --listen needs libmicrohttpd (Debian: libmicrohttpd12): "
			"%s\n", dlerror());
		return -ENOENT;
	}
	for (size_t i = 0; i < sizeof(mhd_syms) / sizeof(mhd_syms[0]); i++) {
		void *f = dlsym(lib, mhd_syms[i].name);

		if (!f) {
			fprintf(stderr, "cputop: --listen: libmicrohttpd has no %s: %s\n",
				mhd_syms[i].name, dlerror());
			memset(&mhd, 0, sizeof(mhd));
			return -ENOENT;
		}
		memcpy((char *)&mhd + mhd_syms[i].off, &f, sizeof(f));
	}
	return 0;
}

/* A text made once and sent to many clients: freed when the last response lets go. */
struct blob {
	unsigned int refs;
	size_t len;
	char *data;
};

static struct blob *blob_ref(struct blob *b)
{
	b->refs++;
	return b;
}

static void blob_unref(void *cls)
{
	struct blob *b = cls;

	if (b && !--b->refs) {
		free(b->data);
		free(b);
	}
}

/* What @fill writes, as a blob with one reference; NULL when out of memory. */
static struct blob *blob_make(void (*fill)(FILE *f, void *ctx), void *ctx)
{
	struct blob *b = calloc(1, sizeof(*b));
	FILE *f = b ? open_memstream(&b->data, &b->len) : NULL;

	if (!f) {
		free(b);
		return NULL;
	}
	fill(f, ctx);
	if (ferror(f) | fclose(f)) {
		free(b->data);
		free(b);
		return NULL;
	}
	b->refs = 1;
	return b;
}

struct http;

/* A client of /stream: the event it is being sent, and the frame it was of. */
struct stream {
	struct http *h;
	struct MHD_Connection *conn;
	struct blob *b;
	size_t off;
	uint64_t gen;			/* the frame last sent (or being sent) */
	bool suspended;			/* waiting for the next frame */
	struct stream *next;
};

struct http {
	struct sink sink;
	struct MHD_Daemon *d;
	int epoll_fd;
	struct expo e;
	bool group;			/* it groups by cgroup: the source reads them */
	bool loopback;			/* bound to a loopback address: the Host must name it */
	uint64_t gen;			/* frames taken in */
	struct blob *metrics[2];	/* this frame's /metrics, text and OpenMetrics, once asked */
	struct blob *json;		/* "data: {...}\n\n" of frame json_gen */
	uint64_t json_gen;
	uint64_t json_until;		/* made at each frame until then (CLOCK_MONOTONIC) */
	struct stream *streams;
	unsigned int nr_streams, max_streams;
	/* /snapshot requests held until the next frame's JSON. */
	struct MHD_Connection **waiting;
	size_t nr_waiting, cap_waiting;
	uint64_t scrapes;
	bool stopping;
};

static const char index_html[] =
	"<!DOCTYPE html>\n<html><head><title>cputop</title></head><body>\n"
	"<h1>cputop</h1>\n<p>Per-task CPU time measured in the kernel, exits included.</p>\n"
	"<ul>\n"
	"<li><a href=\"/metrics\">/metrics</a>: Prometheus text format, or OpenMetrics</li>\n"
	"<li><a href=\"/snapshot\">/snapshot</a>: the latest snapshot as JSON</li>\n"
	"<li><a href=\"/stream\">/stream</a>: a snapshot at each refresh "
	"(Server-Sent Events)</li>\n"
	"</ul>\n</body></html>\n";

/* A constant text as the whole answer. */
static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status, const char *type,
			     const char *text)
{
	struct MHD_Response *r = mhd.from_buffer(strlen(text), (void *)text,
						 MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	mhd.add_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		mhd.add_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	if (status == MHD_HTTP_SERVICE_UNAVAILABLE)
		mhd.add_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "5");
	ret = mhd.queue_response(c, status, r);
	mhd.destroy_response(r);
	return ret;
}

/* @len bytes of blob @b from @off, the response holding a reference. */
static enum MHD_Result reply_blob(struct MHD_Connection *c, struct blob *b, size_t off,
				  size_t len, const char *type)
{
	struct MHD_Response *r = mhd.from_blob(len, b->data + off, blob_unref, blob_ref(b));
	enum MHD_Result ret;

	if (!r) {
		blob_unref(b);
		return MHD_NO;
	}
	mhd.add_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	ret = mhd.queue_response(c, MHD_HTTP_OK, r);
	mhd.destroy_response(r);
	return ret;
}

/* A request's state: its headers came; it waited for a frame's JSON. */
static char heard, waited;

struct metrics_ctx {
	const struct expo *e;
	bool om;
};

static void metrics_fill(FILE *f, void *ctx)
{
	const struct metrics_ctx *m = ctx;

	expo_write(m->e, f, m->om);
}

/* The frame's series, written at the first scrape of each format, and the scrape counter. */
static enum MHD_Result serve_metrics(struct http *h, struct MHD_Connection *c)
{
	bool om = expo_wants_om(mhd.lookup(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT));
	struct metrics_ctx ctx = { &h->e, om };
	struct blob *body = h->metrics[om];
	struct MHD_Response *r;
	char tail[512], *all;
	enum MHD_Result ret;
	FILE *f;
	size_t n;

	if (!body && !(body = h->metrics[om] = blob_make(metrics_fill, &ctx)))
		return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain", "Out of memory\n");
	h->scrapes++;
	f = fmemopen(tail, sizeof(tail), "w");
	if (!f)
		return MHD_NO;
	expo_write_tail(f, om, h->scrapes);
	n = ftell(f);
	fclose(f);
	all = malloc(body->len + n);
	if (!all)
		return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain", "Out of memory\n");
	memcpy(all, body->data, body->len);
	memcpy(all + body->len, tail, n);
	r = mhd.from_buffer(body->len + n, all, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(all);
		return MHD_NO;
	}
	mhd.add_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, om ? EXPO_OM_CONTENT_TYPE :
		       EXPO_CONTENT_TYPE);
	/* The format follows the Accept header: a cache must keep them apart. */
	mhd.add_header(r, MHD_HTTP_HEADER_VARY, MHD_HTTP_HEADER_ACCEPT);
	ret = mhd.queue_response(c, MHD_HTTP_OK, r);
	mhd.destroy_response(r);
	return ret;
}

/*
 * JSON is made at each frame while a stream is open or until @until: the source reads the
 * system metrics and the cgroups it shows from the next frame on.
 */
static void json_want(struct http *h, uint64_t until)
{
	if (until > h->json_until)
		h->json_until = until;
	h->sink.metrics = h->sink.cgroups = true;
}

/*
 * The latest frame's JSON; when it was not made (nobody asked lately), the request waits,
 * suspended, for the next frame's. @state: the request's own, set once it waited.
 */
/*
 * Rounds of libmicrohttpd until none is due at once. Its epoll descriptor polls readable on a
 * new event only: a connection resumed, or one that still has data for a writable socket, is
 * served by the rounds that follow, not by a wake-up. Bounded: a client that keeps taking is
 * served again at the next wake-up.
 */
static void http_run(struct http *h)
{
	MHD_UNSIGNED_LONG_LONG wait = 0;

	for (int i = 0; i < 64; i++) {
		mhd.run(h->d);
		if (mhd.get_timeout(h->d, &wait) != MHD_YES || wait)
			return;
	}
}

static enum MHD_Result serve_snapshot(struct http *h, struct MHD_Connection *c, void **state)
{
	int err;

	/* A client that asks now will likely ask again: the next ones are at hand. */
	json_want(h, clock_ns(CLOCK_MONOTONIC) + JSON_KEEP_NS);
	if (h->json && h->json_gen == h->gen)
		/* "data: " and the event's blank line off: the object and its newline. */
		return reply_blob(c, h->json, 6, h->json->len - 7, "application/json");
	if (*state == &waited || h->stopping)
		return reply(c, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain", "No snapshot\n");
	err = array_grow((void **)&h->waiting, &h->cap_waiting, h->nr_waiting + 1,
			 sizeof(*h->waiting));
	if (err)
		return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain", "Out of memory\n");
	h->waiting[h->nr_waiting++] = c;
	*state = &waited;
	mhd.suspend(c);
	return MHD_YES;
}

/*
 * A stream's next bytes: the rest of the event being sent, else the latest frame's if it has
 * not had it; else it waits, suspended, for the next frame.
 */
static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *s = cls;
	struct http *h = s->h;
	size_t n;

	(void)pos;
	if (h->stopping)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (!s->b) {
		if (!h->json || h->json_gen != h->gen || h->json_gen <= s->gen) {
			s->suspended = true;
			mhd.suspend(s->conn);
			return 0;
		}
		s->b = blob_ref(h->json);
		s->off = 0;
		s->gen = h->json_gen;
	}
	n = s->b->len - s->off < max ? s->b->len - s->off : max;
	memcpy(buf, s->b->data + s->off, n);
	s->off += n;
	if (s->off == s->b->len) {
		blob_unref(s->b);
		s->b = NULL;
	}
	return n;
}

/* The stream's connection has ended. */
static void stream_free(void *cls)
{
	struct stream *s = cls, **p;

	for (p = &s->h->streams; *p; p = &(*p)->next) {
		if (*p == s) {
			*p = s->next;
			break;
		}
	}
	s->h->nr_streams--;
	blob_unref(s->b);
	free(s);
}

static enum MHD_Result serve_stream(struct http *h, struct MHD_Connection *c)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	struct stream *s;

	if (h->nr_streams >= h->max_streams)
		return reply(c, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain",
			     "As many streams as --export-streams allows are open\n");
	s = calloc(1, sizeof(*s));
	if (!s)
		return MHD_NO;
	*s = (struct stream){ .h = h, .conn = c, .next = h->streams };
	r = mhd.from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, stream_read, s, stream_free);
	if (!r) {
		free(s);
		return MHD_NO;
	}
	h->streams = s;
	h->nr_streams++;
	json_want(h, 0);
	mhd.add_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream");
	mhd.add_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	ret = mhd.queue_response(c, MHD_HTTP_OK, r);
	/* Not queued: destroying it frees the stream. */
	mhd.destroy_response(r);
	return ret;
}

/*
 * Whether a request's Host names this machine's loopback. A web page the user visits cannot
 * read the answers (there are no CORS headers), but a name of its own that it makes resolve to
 * 127.0.0.1 (DNS rebinding) would be same-origin: the browser sends that name. No Host at all
 * is an HTTP/1.0 client's own request.
 */
static bool host_local(const char *host)
{
	size_t n;

	if (!host)
		return true;
	if (*host == '[')
		return !strncmp(host, "[::1]", 5) && (!host[5] || host[5] == ':');
	n = strcspn(host, ":");
	if (n == 9 && !strncasecmp(host, "localhost", 9))
		return true;
	/* 127.0.0.0/8, written as digits and dots only. */
	return !strncmp(host, "127.", 4) && strspn(host, "0123456789.") == n;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **state)
{
	struct http *h = cls;

	(void)version;
	(void)upload;
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", "GET or HEAD only\n");
	/*
	 * The answer waits for the whole request: given at the headers, libmicrohttpd could not
	 * tell whether a body follows, and would close the connection after it. A body with a
	 * GET means nothing: read and dropped, as it comes.
	 */
	if (!*state || *upload_size) {
		*state = *state ?: &heard;
		*upload_size = 0;
		return MHD_YES;
	}
	if (h->loopback && !host_local(mhd.lookup(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST)))
		return reply(c, MHD_HTTP_MISDIRECTED_REQUEST, "text/plain",
			     "Not this host: cputop serves its loopback address alone\n");
	if (!strcmp(url, "/metrics"))
		return serve_metrics(h, c);
	if (!strcmp(url, "/snapshot"))
		return serve_snapshot(h, c, state);
	if (!strcmp(url, "/stream"))
		return serve_stream(h, c);
	if (!strcmp(url, "/"))
		return reply(c, MHD_HTTP_OK, "text/html; charset=utf-8", index_html);
	return reply(c, MHD_HTTP_NOT_FOUND, "text/plain", "Not found: see /\n");
}

/* Every held request and waiting stream back into play (their next frame has come). */
static void http_resume(struct http *h)
{
	for (size_t i = 0; i < h->nr_waiting; i++)
		mhd.resume(h->waiting[i]);
	h->nr_waiting = 0;
	for (struct stream *s = h->streams; s; s = s->next) {
		if (s->suspended) {
			s->suspended = false;
			mhd.resume(s->conn);
		}
	}
}

struct json_ctx {
	const struct frame *f;
};

static void json_fill(FILE *f, void *ctx)
{
	const struct frame *fr = ((struct json_ctx *)ctx)->f;

	fputs("data: ", f);
	json_print(f, fr->cur, fr->m, fr->set, fr->users);
	fputc('\n', f);
}

static int http_write(struct sink *k, const struct frame *f)
{
	struct http *h = container_of(k, struct http, sink);
	struct json_ctx ctx = { f };
	int err = expo_update(&h->e, f->m);

	if (err)
		return err;
	h->gen++;
	blob_unref(h->metrics[0]);
	blob_unref(h->metrics[1]);
	h->metrics[0] = h->metrics[1] = NULL;
	blob_unref(h->json);
	h->json = NULL;
	/* Without a reader, no JSON, nor the system metrics only it shows. */
	if (h->nr_streams || clock_ns(CLOCK_MONOTONIC) < h->json_until) {
		h->json = blob_make(json_fill, &ctx);
		h->json_gen = h->gen;
	} else {
		h->sink.metrics = false;
		h->sink.cgroups = h->group;
	}
	http_resume(h);
	/* The resumed ones, and the idle connections' timeouts, at least once a refresh. */
	http_run(h);
	return 0;
}

static size_t http_fds(struct sink *k, int *fds, size_t max)
{
	struct http *h = container_of(k, struct http, sink);

	if (!max)
		return 0;
	fds[0] = h->epoll_fd;
	return 1;
}

static int http_ready(struct sink *k, int fd)
{
	struct http *h = container_of(k, struct http, sink);

	(void)fd;
	/* A failed round is libmicrohttpd's to tell its client: the loop goes on. */
	http_run(h);
	return 0;
}

static void http_close(struct sink *k)
{
	struct http *h = container_of(k, struct http, sink);

	/* Stopping with a connection suspended would leak it: each is resumed, to end. */
	h->stopping = true;
	if (h->d) {
		http_resume(h);
		mhd.stop_daemon(h->d);
	}
	blob_unref(h->metrics[0]);
	blob_unref(h->metrics[1]);
	blob_unref(h->json);
	free(h->waiting);
	expo_free(&h->e);
	free(h);
}

static const struct sink_ops http_ops = {
	.write = http_write,
	.fds = http_fds,
	.ready = http_ready,
	.close = http_close,
};

/* The listening socket, bound now: before privileges go, and with a clear error. */
static int http_socket(const struct export_opts *o)
{
	int fd = socket(o->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (const struct sockaddr *)&o->addr, o->addr_len) || listen(fd, 128)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/*
 * Room for the connections: the soft limit on descriptors raised to the hard one as far as
 * they need; fewer connections where the hard limit is lower.
 */
static unsigned int http_conns(void)
{
	struct rlimit r;
	rlim_t want = HTTP_MAX_CONNS + 64;

	if (getrlimit(RLIMIT_NOFILE, &r))
		return 64;
	if (r.rlim_cur < want) {
		r.rlim_cur = r.rlim_max < want ? r.rlim_max : want;
		setrlimit(RLIMIT_NOFILE, &r);
		getrlimit(RLIMIT_NOFILE, &r);
	}
	return r.rlim_cur >= want ? HTTP_MAX_CONNS : r.rlim_cur > 128 ? r.rlim_cur - 64 : 64;
}

int http_sink_open(struct sink **out, const struct export_opts *o)
{
	struct http *h;
	int err, fd;

	*out = NULL;
	err = mhd_load();
	if (err)
		return err;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->group = o->expo.group != GROUP_NONE;
	h->loopback = addr_loopback(&o->addr);
	h->sink = (struct sink){ .ops = &http_ops, .what = "--listen: ", .cgroups = h->group,
				 .last = false };
	h->max_streams = o->streams;
	err = expo_init(&h->e, &o->expo);
	if (err)
		goto cleanup;
	fd = http_socket(o);
	if (fd < 0) {
		err = fd;
		fprintf(stderr, "cputop: --listen %s: %s\n", o->listen, strerror(-err));
		goto cleanup;
	}
	/* No internal thread: the loop polls the epoll descriptor and runs each round. */
	h->d = mhd.start_daemon(MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME, 0, NULL, NULL,
				on_request, h,
				MHD_OPTION_LISTEN_SOCKET, fd,
				MHD_OPTION_CONNECTION_LIMIT, http_conns(),
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONN_MEMORY,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)HTTP_IDLE_SECS,
				MHD_OPTION_END);
	if (!h->d) {
		close(fd);
		err = -EIO;
		fprintf(stderr, "cputop: --listen %s: libmicrohttpd could not start\n", o->listen);
		goto cleanup;
	}
	h->epoll_fd = mhd.get_daemon_info(h->d, MHD_DAEMON_INFO_EPOLL_FD)->epoll_fd;
	*out = &h->sink;
	return 0;
cleanup:
	http_close(&h->sink);
	return err;
}
