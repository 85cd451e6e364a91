// SPDX-License-Identifier: GPL-2.0
/*
 * scrapeload: GET requests at a fixed rate, for scripts/bench.sh's cost of a scrape.
 *   scrapeload [-r RATE] [-t SECS] [-c CONNS] [-a ACCEPT] http://HOST[:PORT][/PATH]
 *	RATE requests a second (default 10) for SECS seconds (default 10), request i over
 *	keep-alive connection i % CONNS (default 1), connected before the first is due; then
 *	prints one line:
 *	  requests=N errors=N bytes=N reconnects=N p50_ms=F p99_ms=F max_ms=F rate=F
 *	requests: those due (RATE * SECS, at least 1); errors: those without a complete 2xx
 *	answer within 5 s of the last one's due time; bytes: the bodies of the others (decoded
 *	from chunks); the latencies are theirs, and so is rate: per second over SECS, or until
 *	the last answer if later; reconnects: connections opened after the first CONNS.
 *   scrapeload -i N URL
 *	opens N connections that never finish a request: the even ones send nothing, the odd ones
 *	a request line and a Host header but not the blank line that would end them; prints
 *	"idle N" once all are open, holds them until SIGTERM or SIGINT, then prints
 *	"idle_end open=N closed=N" (closed: by the server meanwhile).
 * Exit status: 0 when the run was made, whatever its errors; 1 when a connection could not be
 * opened before it (or in -i, any of the N); 2 on bad usage.
 *
 * Open loop: request i is due at start + i / RATE whatever became of the ones before it, and
 * its latency runs from then, not from when it was sent, to the last byte of its answer. A
 * connection carries one request at a time (no pipelining), so a request due while its
 * connection still waits is sent when that answer is in, and the wait is in its latency: a
 * server slower than the rate shows as latency, which a loop sending on each answer would hide
 * (it would slow down to the server's pace and time only the requests that fit).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define NSEC 1000000000ll
/* The answers still out this long after the last request's due time are errors. */
#define DRAIN_NS (5 * NSEC)
#define CONNECT_MS 3000
/* An exporter's response head is a few hundred bytes: one this long is not one. */
#define HEAD_MAX 16384

struct target {
	struct addrinfo *ai;		/* every address of the host */
	const struct addrinfo *addr;	/* the one that took the first connection */
	char host[256];			/* the Host header: HOST[:PORT] as in the URL */
	const char *path;
};

/* Where the reading of a response is: its head, then its body by one of three framings. */
enum rstate {
	R_HEAD,
	R_LENGTH,	/* Content-Length bytes */
	R_CHUNK_SIZE,	/* a chunk's size line */
	R_CHUNK_DATA,
	R_CHUNK_END,	/* the CRLF after a chunk's data */
	R_TRAILER,	/* the trailer's lines, up to an empty one */
	R_EOF,		/* neither: the body runs to the close */
	R_DONE,
};

struct resp {
	enum rstate state;
	int status;
	bool close;		/* the server closes after this response */
	uint64_t left;		/* of the body (R_LENGTH) or of the chunk (R_CHUNK_DATA) */
	uint64_t body;
	uint64_t got;		/* bytes received: none, on a reused fd, is a lost race */
	size_t head_len;
	size_t line_len;	/* the current line's length, though only its start is kept */
	char line[64];
	char head[HEAD_MAX];
};

enum cstate {
	C_CLOSED,
	C_CONNECTING,
	C_IDLE,		/* connected, no request on it */
	C_SENDING,
	C_WAITING,	/* sent, reading the answer */
};

struct conn {
	int fd;
	enum cstate state;
	long next;		/* the request it carries now or next: next % CONNS is its own */
	size_t sent;
	long served;		/* answers over this fd */
	bool retried;		/* the current request has been sent again after a lost race */
	struct resp resp;
};

struct load {
	struct target *tgt;
	struct conn *conns;
	int nconn;
	int epfd, tfd;
	long total;
	double rate, secs;
	int64_t t0;
	char req[4096];
	size_t req_len;
	double *lat;		/* ms, one per 2xx answer */
	long ok, errors, done, reconnects;
	uint64_t bytes;
	int64_t last;		/* when the last answer ended */
	char first_err[128];
};

static char rbuf[65536];

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC + ts.tv_nsec;
}

/* The sockets and the idle mode's N connections would outgrow a soft limit of 1,024. */
static void raise_nofile(void)
{
	struct rlimit rl;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* Split http://HOST[:PORT][/PATH] (HOST may be [IPv6]) and resolve HOST; 0 or -errno. */
static int parse_url(const char *url, struct target *t)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICSERV };
	char host[256], port[8] = "80";
	const char *auth, *end, *colon;
	size_t len;
	int err;

	if (strncasecmp(url, "http://", 7))
		return -EINVAL;
	auth = url + 7;
	end = strchr(auth, '/');
	t->path = end ? end : "/";
	len = end ? (size_t)(end - auth) : strlen(auth);
	if (!len || len >= sizeof(t->host))
		return -EINVAL;
	memcpy(t->host, auth, len);
	t->host[len] = 0;
	/* The path goes into the request line as it is: no byte that would end or split it. */
	for (const char *p = t->path; *p; p++) {
		if (*p <= ' ' || *p == 0x7f)
			return -EINVAL;
	}
	if (t->host[0] == '[') {
		end = strchr(t->host, ']');
		if (!end || (end[1] && end[1] != ':'))
			return -EINVAL;
		colon = end[1] ? end + 1 : NULL;
		snprintf(host, sizeof(host), "%.*s", (int)(end - t->host - 1), t->host + 1);
	} else {
		colon = strchr(t->host, ':');
		snprintf(host, sizeof(host), "%.*s",
			 (int)(colon ? colon - t->host : (long)len), t->host);
	}
	if (colon) {
		if (!colon[1] || strlen(colon + 1) >= sizeof(port) ||
		    strspn(colon + 1, "0123456789") != strlen(colon + 1))
			return -EINVAL;
		strcpy(port, colon + 1);
	}
	if (!host[0])
		return -EINVAL;
	err = getaddrinfo(host, port, &hints, &t->ai);
	if (err) {
		fprintf(stderr, "scrapeload: %s: %s\n", host, gai_strerror(err));
		return -EHOSTUNREACH;
	}
	return 0;
}

/* A non-blocking socket connecting to @ai: its fd, the connection perhaps still under way. */
static int dial_start(const struct addrinfo *ai)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
			ai->ai_protocol);

	if (fd < 0)
		return -errno;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) && errno != EINPROGRESS) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* The outcome of a connection dial_start() began: 0 or -errno. */
static int dial_result(int fd)
{
	socklen_t len = sizeof(int);
	int err;

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len))
		return -errno;
	return -err;
}

/* A connected non-blocking socket, waited for up to CONNECT_MS; its fd or -errno. */
static int dial(const struct addrinfo *ai)
{
	struct pollfd pfd = { .events = POLLOUT };
	int err;

	pfd.fd = dial_start(ai);
	if (pfd.fd < 0)
		return pfd.fd;
	err = poll(&pfd, 1, CONNECT_MS);
	err = err < 0 ? -errno : !err ? -ETIMEDOUT : dial_result(pfd.fd);
	if (err) {
		close(pfd.fd);
		return err;
	}
	return pfd.fd;
}

/*
 * A connection to the target. The first tries each of the host's addresses (localhost may be
 * ::1 first, for a server on 127.0.0.1 only) and keeps the one that answers for the others.
 */
static int target_dial(struct target *t)
{
	int fd = -EHOSTUNREACH;

	if (t->addr)
		return dial(t->addr);
	for (const struct addrinfo *ai = t->ai; ai; ai = ai->ai_next) {
		fd = dial(ai);
		if (fd >= 0) {
			t->addr = ai;
			break;
		}
	}
	return fd;
}

static void resp_reset(struct resp *r)
{
	r->state = R_HEAD;
	r->status = 0;
	r->close = false;
	r->left = r->body = r->got = 0;
	r->head_len = r->line_len = 0;
}

/* Whether @word is in the @len bytes at @s, in any case (a header's list of tokens). */
static bool has_word(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word);

	for (size_t i = 0; i + n <= len; i++) {
		if (!strncasecmp(s + i, word, n))
			return true;
	}
	return false;
}

/* The value of header @name in the head, trimmed, and its length in *len; NULL if absent. */
static const char *header(const char *head, const char *name, size_t *len)
{
	size_t n = strlen(name);
	const char *p, *v, *end;

	/* Each line after the status line, up to the empty one that ends the head. */
	for (p = strchr(head, '\n'); p && p[1] && p[1] != '\r' && p[1] != '\n'; p = end) {
		p++;
		end = strchr(p, '\n');
		if (!end)
			end = p + strlen(p);
		if (strncasecmp(p, name, n) || p[n] != ':')
			continue;
		for (v = p + n + 1; *v == ' ' || *v == '\t'; v++)
			;
		while (end > v && isspace((unsigned char)end[-1]))
			end--;
		*len = end - v;
		return v;
	}
	return NULL;
}

/* The head is in: its status, whether the server closes after it, and how its body is framed. */
static int resp_head(struct resp *r)
{
	int major, minor;
	const char *v;
	char *end;
	size_t len;

	if (sscanf(r->head, "HTTP/%d.%d %d", &major, &minor, &r->status) != 3 || major != 1 ||
	    r->status < 100 || r->status > 999)
		return -EPROTO;
	/* 100 Continue and the like come before the real answer: read its head next. */
	if (r->status < 200) {
		r->head_len = 0;
		return 0;
	}
	v = header(r->head, "Connection", &len);
	/* HTTP/1.0 closes unless asked to keep alive, 1.1 keeps alive unless told it closes. */
	if (minor == 0)
		r->close = !v || !has_word(v, len, "keep-alive");
	else
		r->close = v && has_word(v, len, "close");
	if (r->status == 204 || r->status == 304) {
		r->state = R_DONE;
		return 0;
	}
	v = header(r->head, "Transfer-Encoding", &len);
	if (v && has_word(v, len, "chunked")) {
		r->state = R_CHUNK_SIZE;
	} else if ((v = header(r->head, "Content-Length", &len))) {
		errno = 0;
		r->left = strtoull(v, &end, 10);
		if (!isdigit((unsigned char)*v) || end != v + len || errno)
			return -EPROTO;
		r->state = r->left ? R_LENGTH : R_DONE;
	} else {
		r->state = R_EOF;
		r->close = true;
	}
	return 0;
}

/* Take bytes of the head from @buf, *used of them; the head's end goes to resp_head(). */
static int head_feed(struct resp *r, const char *buf, size_t len, size_t *used)
{
	size_t had = r->head_len, from = had > 3 ? had - 3 : 0;
	size_t n = len < HEAD_MAX - 1 - had ? len : HEAD_MAX - 1 - had;
	char *end;

	memcpy(r->head + had, buf, n);
	r->head_len += n;
	r->head[r->head_len] = 0;
	end = memmem(r->head + from, r->head_len - from, "\r\n\r\n", 4);
	if (!end) {
		*used = n;
		return r->head_len == HEAD_MAX - 1 ? -EPROTO : 0;
	}
	r->head_len = end + 4 - r->head;
	r->head[r->head_len] = 0;
	*used = r->head_len - had;
	return resp_head(r);
}

/* A line of the chunked framing is in: r->line its start, r->line_len its length, no CR LF. */
static int line_done(struct resp *r)
{
	char *end;

	switch (r->state) {
	case R_CHUNK_SIZE:
		errno = 0;
		r->left = strtoull(r->line, &end, 16);
		if (!isxdigit((unsigned char)r->line[0]) || errno ||
		    (*end && *end != ';' && *end != ' ' && *end != '\t'))
			return -EPROTO;
		r->state = r->left ? R_CHUNK_DATA : R_TRAILER;
		return 0;
	case R_CHUNK_END:
		if (r->line_len)
			return -EPROTO;
		r->state = R_CHUNK_SIZE;
		return 0;
	default:
		/* A trailer field, read past; the empty line ends the response. */
		if (!r->line_len)
			r->state = R_DONE;
		return 0;
	}
}

/* Take a line's bytes from @buf, up to and with its LF, *used of them. */
static int line_feed(struct resp *r, const char *buf, size_t len, size_t *used)
{
	const char *lf = memchr(buf, '\n', len);
	size_t n = lf ? (size_t)(lf - buf) : len, keep = sizeof(r->line) - 1;
	int err;

	/* Only the line's start is kept: a chunk's size comes first, extensions after it. */
	for (size_t i = 0; i < n; i++, r->line_len++) {
		if (r->line_len < keep)
			r->line[r->line_len] = buf[i];
	}
	*used = lf ? n + 1 : n;
	if (!lf)
		return 0;
	if (r->line_len && r->line_len <= keep && r->line[r->line_len - 1] == '\r')
		r->line_len--;
	r->line[r->line_len < keep ? r->line_len : keep] = 0;
	err = line_done(r);
	r->line_len = 0;
	return err;
}

/*
 * Read @len bytes of the answer: 1 once it is complete, with *used the bytes of it (more would be
 * the server's error: nothing was asked), 0 while it is not, -EPROTO if it is not HTTP/1.x.
 */
static int resp_feed(struct resp *r, const char *buf, size_t len, size_t *used)
{
	size_t at = 0, n;
	int err = 0;

	r->got += len;
	while (at < len && r->state != R_DONE && !err) {
		switch (r->state) {
		case R_HEAD:
			err = head_feed(r, buf + at, len - at, &n);
			break;
		case R_LENGTH:
		case R_CHUNK_DATA:
			n = len - at < r->left ? len - at : r->left;
			r->left -= n;
			r->body += n;
			if (!r->left)
				r->state = r->state == R_LENGTH ? R_DONE : R_CHUNK_END;
			break;
		case R_EOF:
			n = len - at;
			r->body += n;
			break;
		default:
			err = line_feed(r, buf + at, len - at, &n);
			break;
		}
		at += n;
	}
	*used = at;
	return err ? -EPROTO : r->state == R_DONE;
}

/* When request @i is due. */
static int64_t due(const struct load *l, long i)
{
	return l->t0 + llround(i * (NSEC / l->rate));
}

/* Epoll events @ev for @c: one direction at a time, as a connection waits on one at a time. */
static void watch(struct load *l, struct conn *c, uint32_t ev)
{
	struct epoll_event e = { .events = ev, .data.ptr = c };

	if (epoll_ctl(l->epfd, EPOLL_CTL_MOD, c->fd, &e) && errno == ENOENT)
		epoll_ctl(l->epfd, EPOLL_CTL_ADD, c->fd, &e);
}

static void conn_close(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->state = C_CLOSED;
	c->served = 0;
}

/* The current request of @c is over, without a 2xx answer: why, the first time. */
static void request_error(struct load *l, struct conn *c, const char *why, int err)
{
	if (!l->errors) {
		snprintf(l->first_err, sizeof(l->first_err), "%s%s%s", why, err ? ": " : "",
			 err ? strerror(-err) : "");
	}
	l->errors++;
	l->done++;
	c->next += l->nconn;
	c->retried = false;
}

static void conn_start(struct load *l, struct conn *c);

/*
 * The request on @c failed (@err: -errno, or 0 if @why says it all). A kept-alive connection
 * closed before a byte of the answer is the server's idle timeout meeting the request on the
 * way, not a failure of the server's: the request goes again, once, over a new connection, as a
 * browser would send it.
 */
static void conn_fail(struct load *l, struct conn *c, const char *why, int err)
{
	bool race = (c->state == C_SENDING || c->state == C_WAITING) && c->served &&
		    !c->resp.got && !c->retried;

	conn_close(c);
	if (race) {
		c->retried = true;
		conn_start(l, c);
		return;
	}
	request_error(l, c, why, err);
}

static void conn_send(struct load *l, struct conn *c)
{
	ssize_t n;

	for (;;) {
		n = send(c->fd, l->req + c->sent, l->req_len - c->sent, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN) {
			conn_fail(l, c, "send", -errno);
			return;
		}
		if (n > 0)
			c->sent += n;
		break;
	}
	if (c->sent < l->req_len) {
		c->state = C_SENDING;
		watch(l, c, EPOLLOUT);
		return;
	}
	c->state = C_WAITING;
	watch(l, c, EPOLLIN);
}

/* Send the request @c is due to carry, over a new connection if it has none. */
static void conn_start(struct load *l, struct conn *c)
{
	int fd;

	resp_reset(&c->resp);
	c->sent = 0;
	if (c->state == C_IDLE) {
		conn_send(l, c);
		return;
	}
	l->reconnects++;
	fd = dial_start(l->tgt->addr);
	if (fd < 0) {
		request_error(l, c, "connect", fd);
		return;
	}
	c->fd = fd;
	c->state = C_CONNECTING;
	watch(l, c, EPOLLOUT);
}

/* The answer on @c is complete; @extra: the server sent more, which nothing asked for. */
static void conn_done(struct load *l, struct conn *c, bool extra)
{
	int64_t t = now_ns();
	char why[32];

	c->served++;
	if (c->resp.status / 100 == 2) {
		l->lat[l->ok++] = (t - due(l, c->next)) / 1e6;
		l->bytes += c->resp.body;
		l->last = t;
		l->done++;
		c->next += l->nconn;
		c->retried = false;
	} else {
		snprintf(why, sizeof(why), "status %d", c->resp.status);
		request_error(l, c, why, 0);
	}
	if (c->resp.close || extra) {
		conn_close(c);
		return;
	}
	c->state = C_IDLE;
	watch(l, c, EPOLLIN);
}

static void conn_read(struct load *l, struct conn *c)
{
	size_t used;
	ssize_t n;
	int ret;

	for (;;) {
		n = recv(c->fd, rbuf, sizeof(rbuf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n < 0) {
			conn_fail(l, c, "recv", -errno);
			return;
		}
		if (!n) {
			/* The close ends a body framed by nothing else, and any other too soon. */
			if (c->resp.state == R_EOF) {
				c->resp.state = R_DONE;
				conn_done(l, c, true);
			} else {
				conn_fail(l, c, "closed before the end of the answer", 0);
			}
			return;
		}
		ret = resp_feed(&c->resp, rbuf, n, &used);
		if (ret < 0) {
			conn_fail(l, c, "not an HTTP/1.x answer", 0);
			return;
		}
		if (ret) {
			conn_done(l, c, used < (size_t)n);
			return;
		}
	}
}

static void conn_event(struct load *l, struct conn *c)
{
	int err;

	switch (c->state) {
	case C_CONNECTING:
		err = dial_result(c->fd);
		if (err) {
			conn_fail(l, c, "connect", err);
			break;
		}
		conn_send(l, c);
		break;
	case C_SENDING:
		conn_send(l, c);
		break;
	case C_WAITING:
		conn_read(l, c);
		break;
	case C_IDLE:
		/* The server closed a kept-alive connection, or spoke unasked: reconnect later. */
		conn_close(c);
		break;
	case C_CLOSED:
		break;
	}
}

/* Wake the loop at @t (CLOCK_MONOTONIC ns) at the latest. */
static void arm(struct load *l, int64_t t)
{
	struct itimerspec it = { .it_value = { .tv_sec = t / NSEC, .tv_nsec = t % NSEC } };

	timerfd_settime(l->tfd, TFD_TIMER_ABSTIME, &it, NULL);
}

static int run(struct load *l)
{
	struct epoll_event evs[64];
	int64_t now, wake, end;
	uint64_t ticks;
	int n;

	l->t0 = now_ns();
	end = due(l, l->total - 1) + DRAIN_NS;
	for (;;) {
		now = now_ns();
		wake = end;
		for (int i = 0; i < l->nconn; i++) {
			struct conn *c = &l->conns[i];

			/* A connect that fails at once uses up its request; the next may be due. */
			while ((c->state == C_IDLE || c->state == C_CLOSED) && c->next < l->total) {
				if (due(l, c->next) > now) {
					wake = due(l, c->next) < wake ? due(l, c->next) : wake;
					break;
				}
				conn_start(l, c);
			}
		}
		if (l->done == l->total || now >= end)
			break;
		arm(l, wake);
		n = epoll_wait(l->epfd, evs, sizeof(evs) / sizeof(evs[0]), -1);
		if (n < 0 && errno != EINTR)
			return -errno;
		for (int i = 0; i < n; i++) {
			if (evs[i].data.ptr)
				conn_event(l, evs[i].data.ptr);
			else if (read(l->tfd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
				return -errno;
		}
	}
	/* What is still out, or not yet sent behind it, had no answer in time. */
	for (int i = 0; i < l->nconn; i++) {
		struct conn *c = &l->conns[i];

		while (c->next < l->total)
			request_error(l, c, "no answer within 5 s of the last due time", 0);
		conn_close(c);
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The @p quantile of the @n sorted values at @v, by nearest rank; NAN if there are none. */
static double quantile(const double *v, long n, double p)
{
	long rank = (long)ceil(p * n);

	if (!n)
		return NAN;
	return v[rank > 0 ? rank - 1 : 0];
}

static void report(struct load *l)
{
	double span = l->last ? (l->last - l->t0) / 1e9 : 0;

	qsort(l->lat, l->ok, sizeof(l->lat[0]), cmp_double);
	printf("requests=%ld errors=%ld bytes=%llu reconnects=%ld p50_ms=%.3f p99_ms=%.3f "
	       "max_ms=%.3f rate=%.2f\n", l->total, l->errors, (unsigned long long)l->bytes,
	       l->reconnects, quantile(l->lat, l->ok, 0.5), quantile(l->lat, l->ok, 0.99),
	       l->ok ? l->lat[l->ok - 1] : NAN, l->ok / (span > l->secs ? span : l->secs));
	if (l->errors)
		fprintf(stderr, "scrapeload: %ld errors, the first: %s\n", l->errors, l->first_err);
}

static int load(struct target *t, double rate, double secs, int nconn, const char *accept)
{
	struct load l = { .tgt = t, .nconn = nconn, .rate = rate, .secs = secs, .tfd = -1 };
	struct epoll_event e = { .events = EPOLLIN };
	int len, fd, err = 0;

	len = snprintf(l.req, sizeof(l.req), "GET %s HTTP/1.1\r\nHost: %s\r\n"
		       "User-Agent: scrapeload\r\n%s%s%s\r\n", t->path, t->host,
		       accept ? "Accept: " : "", accept ? accept : "", accept ? "\r\n" : "");
	if (len < 0 || (size_t)len >= sizeof(l.req)) {
		fprintf(stderr, "scrapeload: the request is over %zu bytes\n", sizeof(l.req));
		return 2;
	}
	l.req_len = len;
	l.total = llround(rate * secs);
	if (l.total < 1)
		l.total = 1;
	l.lat = calloc(l.total, sizeof(*l.lat));
	l.conns = calloc(nconn, sizeof(*l.conns));
	for (int i = 0; l.conns && i < nconn; i++) {
		l.conns[i].fd = -1;
		l.conns[i].next = i;
	}
	l.epfd = epoll_create1(EPOLL_CLOEXEC);
	l.tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (!l.lat || !l.conns || l.epfd < 0 || l.tfd < 0 ||
	    epoll_ctl(l.epfd, EPOLL_CTL_ADD, l.tfd, &e)) {
		perror("scrapeload");
		err = 1;
		goto out;
	}
	/* Every connection open before the first request is due, so that none is timed. */
	for (int i = 0; i < nconn; i++) {
		struct conn *c = &l.conns[i];

		fd = target_dial(t);
		if (fd < 0) {
			fprintf(stderr, "scrapeload: cannot connect to %s: %s\n", t->host,
				strerror(-fd));
			err = 1;
			goto out;
		}
		c->fd = fd;
		c->state = C_IDLE;
		watch(&l, c, EPOLLIN);
	}
	err = run(&l);
	if (err) {
		fprintf(stderr, "scrapeload: %s\n", strerror(-err));
		err = 1;
		goto out;
	}
	report(&l);
out:
	for (int i = 0; l.conns && i < nconn; i++)
		conn_close(&l.conns[i]);
	if (l.tfd >= 0)
		close(l.tfd);
	if (l.epfd >= 0)
		close(l.epfd);
	free(l.conns);
	free(l.lat);
	return err;
}

/* Whether the server has closed @fd (or reset it); what it sent before is read past. */
static bool peer_closed(int fd)
{
	ssize_t n;

	do {
		n = recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT);
	} while (n > 0 || (n < 0 && errno == EINTR));
	return !n || errno != EAGAIN;
}

static int idle(struct target *t, long n)
{
	char part[4096];
	long i, closed = 0;
	int *fds, sig, err = 0, len;
	sigset_t set;

	/* A request that has begun but never ends: the head lacks its closing empty line. */
	len = snprintf(part, sizeof(part), "GET %s HTTP/1.1\r\nHost: %s\r\n", t->path, t->host);
	fds = calloc(n, sizeof(*fds));
	if (!fds || len < 0 || (size_t)len >= sizeof(part)) {
		fprintf(stderr, "scrapeload: out of memory, or the URL is too long\n");
		free(fds);
		return 1;
	}
	/* Held until SIGTERM or SIGINT, or until the caller dies: none outlives a benchmark. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	for (i = 0; i < n; i++) {
		fds[i] = target_dial(t);
		if (fds[i] < 0) {
			fprintf(stderr, "scrapeload: connection %ld of %ld to %s: %s\n", i + 1, n,
				t->host, strerror(-fds[i]));
			err = 1;
			break;
		}
		if (i % 2 && send(fds[i], part, len, MSG_NOSIGNAL) != len) {
			fprintf(stderr, "scrapeload: connection %ld of %ld: cannot send: %s\n",
				i + 1, n, strerror(errno));
			close(fds[i]);
			err = 1;
			break;
		}
	}
	n = i;
	if (!err) {
		printf("idle %ld\n", n);
		fflush(stdout);
		sigwait(&set, &sig);
		for (i = 0; i < n; i++)
			closed += peer_closed(fds[i]);
		printf("idle_end open=%ld closed=%ld\n", n - closed, closed);
	}
	for (i = 0; i < n; i++)
		close(fds[i]);
	free(fds);
	return err;
}

static int usage(void)
{
	fprintf(stderr, "usage: scrapeload [-r RATE] [-t SECS] [-c CONNS] [-a ACCEPT] URL\n"
		"       scrapeload -i N URL\n"
		"URL: http://HOST[:PORT][/PATH]; RATE requests/s (10) for SECS s (10) over CONNS\n"
		"keep-alive connections (1); -i: hold N connections that never finish a request\n");
	return 2;
}

/* A number in [min, max] from @s, whole or not; -1 (never valid here) if it is not one. */
static double number(const char *s, double min, double max)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(v) || v < min || v > max)
		return -1;
	return v;
}

int main(int argc, char **argv)
{
	double rate = 10, secs = 10, conns = 1, nidle = 0;
	struct target t = { 0 };
	const char *accept = NULL;
	int opt, err;

	while ((opt = getopt(argc, argv, "r:t:c:a:i:")) != -1) {
		switch (opt) {
		case 'r':
			rate = number(optarg, 1e-3, 1e6);
			break;
		case 't':
			secs = number(optarg, 1e-3, 1e6);
			break;
		case 'c':
			conns = number(optarg, 1, 10000);
			break;
		case 'i':
			nidle = number(optarg, 1, 1e6);
			break;
		case 'a':
			accept = optarg;
			/* It goes into the request as it is: nothing that would end the header. */
			for (const char *p = accept; *p; p++) {
				if ((unsigned char)*p < ' ' || *p == 0x7f)
					return usage();
			}
			break;
		default:
			return usage();
		}
	}
	if (optind != argc - 1 || rate < 0 || secs < 0 || conns < 0 || nidle < 0 ||
	    conns != floor(conns) || nidle != floor(nidle) || rate * secs > 1e8)
		return usage();
	err = parse_url(argv[optind], &t);
	if (err == -EINVAL) {
		fprintf(stderr, "scrapeload: %s: not http://HOST[:PORT][/PATH]\n", argv[optind]);
		return 2;
	}
	if (err)
		return 1;
	raise_nofile();
	err = nidle ? idle(&t, (long)nidle) : load(&t, rate, secs, (int)conns, accept);
	freeaddrinfo(t.ai);
	return err;
}
