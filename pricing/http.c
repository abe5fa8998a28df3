/* HTTP GET (or POST) with libcurl for the price sources: timeouts, a body limit,
 * bounded retries with exponential backoff and jitter on 5xx and 429
 * (honouring Retry-After), conditional requests with an ETag. TLS is
 * always verified; libcurl honours the proxy environment variables. */
#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "pricing.h"

#define RETRY_AFTER_MAX_S 60 /* a longer Retry-After is not waited for */

struct sink {
	struct util_buf body;
	size_t max;
	bool too_big;
	char *etag, *type;
	long retry_after;
};

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;

	if (s->body.len + n > s->max) {
		s->too_big = true;
		return 0; /* aborts the transfer */
	}
	util_buf_add(&s->body, p, n * size);
	return n * size;
}

/* "Name: value\r\n" -> a copy of value when name matches. */
static char *header_value(const char *line, size_t n, const char *name)
{
	size_t k = strlen(name), e;

	if (n <= k || strncasecmp(line, name, k) || line[k] != ':')
		return NULL;
	line += k + 1;
	n -= k + 1;
	while (n && isspace((unsigned char)*line)) {
		line++;
		n--;
	}
	e = n;
	while (e && isspace((unsigned char)line[e - 1]))
		e--;
	return util_xasprintf("%.*s", (int)e, line);
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	size_t len = n * size;
	char *v;

	if (len > 5 && !strncmp(p, "HTTP/", 5)) { /* a new response */
		free(s->etag);
		free(s->type);
		s->etag = s->type = NULL;
		s->retry_after = -1;
	}
	v = header_value(p, len, "ETag");
	if (v) {
		free(s->etag);
		s->etag = v;
	}
	v = header_value(p, len, "Content-Type");
	if (v) {
		free(s->type);
		s->type = v;
	}
	v = header_value(p, len, "Retry-After");
	if (v) {
		char *end;
		long secs = strtol(v, &end, 10);

		s->retry_after = end != v && !*end && secs >= 0 ? secs : -1;
		free(v);
	}
	return len;
}

static void pause_s(double s)
{
	struct timespec t = {(time_t)s, (long)((s - floor(s)) * 1e9)};

	while (nanosleep(&t, &t) && errno == EINTR)
		;
}

/* Backoff before attempt k (1, 2, ...): base * 2^(k-1), with up to half
 * again of jitter so that clients do not retry in step. */
static double backoff(const struct pricing_http_opts *o, int k)
{
	double b = o->backoff_s * pow(2, k - 1);
	unsigned r = (unsigned)time(NULL) ^ (unsigned)getpid() ^ (unsigned)k;

	r = r * 1103515245u + 12345u;
	return b * (1 + (double)(r >> 16 & 0x7fff) / 0x7fff / 2);
}

static void reset(struct sink *s)
{
	util_buf_release(&s->body);
	util_buf_init(&s->body);
	free(s->etag);
	free(s->type);
	s->etag = s->type = NULL;
	s->too_big = false;
	s->retry_after = -1;
}

/* The key goes in a header or libcurl's basic auth, never in the URL,
 * so that no message, cache or log that shows the URL shows it. The
 * header's copy is wiped when the list is freed (see wipe_headers). */
static struct curl_slist *credentials(CURL *c,
				      const struct pricing_http_opts *o,
				      struct curl_slist *hdr)
{
	if (o->bearer) {
		char *h = util_xasprintf("Authorization: Bearer %s", o->bearer);

		hdr = curl_slist_append(hdr, h);
		memset(h, 0, strlen(h));
		free(h);
	}
	if (o->basic_user) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERNAME, o->basic_user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, "");
	}
	return hdr;
}

static void wipe_headers(struct curl_slist *hdr)
{
	for (struct curl_slist *p = hdr; p; p = p->next)
		memset(p->data, 0, strlen(p->data));
	curl_slist_free_all(hdr);
}

void pricing_http_release(struct pricing_http_resp *r)
{
	free(r->body);
	free(r->etag);
	free(r->content_type);
	memset(r, 0, sizeof(*r));
}

int pricing_http_get(const char *url, const struct pricing_http_opts *o,
		     struct pricing_http_resp *r, struct util_err *err)
{
	struct sink s = {.max = o->max_body, .retry_after = -1};
	struct curl_slist *hdr = NULL;
	char errbuf[CURL_ERROR_SIZE], shown[512];
	CURL *c = curl_easy_init();
	int rc = 0;

	memset(r, 0, sizeof(*r));
	util_buf_init(&s.body);
	/* messages show the URL without its query, which may hold a key */
	snprintf(shown, sizeof(shown), "%.*s", (int)strcspn(url, "?"), url);
	if (!c)
		return util_err_set(err, UTIL_E_INTERNAL,
				    "cannot start libcurl");
	if (o->etag) {
		char *h = util_xasprintf("If-None-Match: %s", o->etag);

		hdr = curl_slist_append(hdr, h);
		free(h);
	}
	hdr = credentials(c, o, hdr);
	if (o->post) {
		char *h = util_xasprintf("Content-Type: %s",
					 o->post_type ? o->post_type
						      : "application/json");

		hdr = curl_slist_append(hdr, h);
		free(h);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, o->post);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE,
				 (long)strlen(o->post));
		/* a redirected POST stays a POST (an API does not redirect a
		 * query to a page) */
		curl_easy_setopt(c, CURLOPT_POSTREDIR, CURL_REDIR_POST_ALL);
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "gpuplan");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	/* a redirect never leaves TLS once it is used */
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR,
			 strncmp(url, "https:", 6) ? "http,https" : "https");
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
			 (long)(o->connect_timeout_s * 1000));
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(o->timeout_s * 1000));
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &s);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	for (int attempt = 0;; attempt++) {
		CURLcode cc;
		long status = 0;
		double wait;

		reset(&s);
		errbuf[0] = '\0';
		cc = curl_easy_perform(c);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		r->status = status;
		if (s.too_big) {
			rc = util_err_set(err, UTIL_E_UNAVAILABLE,
					  "%s: the response is larger than "
					  "%zu bytes", shown, o->max_body);
			break;
		}
		if (cc != CURLE_OK) {
			rc = util_err_set(err, UTIL_E_UNAVAILABLE, "%s: %s",
					  shown, errbuf[0] ? errbuf
						       : curl_easy_strerror(cc));
			if (cc != CURLE_OPERATION_TIMEDOUT &&
			    cc != CURLE_COULDNT_CONNECT &&
			    cc != CURLE_RECV_ERROR && cc != CURLE_GOT_NOTHING)
				break;
		} else if (status == 429 || status >= 500) {
			rc = util_err_set(err, UTIL_E_UNAVAILABLE,
					  "%s: HTTP %ld%s", shown, status,
					  status == 429 ? " (too many requests)"
							: "");
		} else if (status == 304 && !o->etag) {
			rc = util_err_set(err, UTIL_E_UNAVAILABLE,
					  "%s: HTTP 304 (not modified) to a "
					  "request that had no ETag", shown);
			break;
		} else if (status != 200 && status != 304) {
			rc = util_err_set(err, UTIL_E_UNAVAILABLE,
					  "%s: HTTP %ld", shown, status);
			/* an API says why in the body: the caller may read it
			 */
			r->len = s.body.len;
			r->body = util_buf_detach(&s.body);
			break;
		} else {
			r->status = status;
			r->len = s.body.len;
			r->body = util_buf_detach(&s.body);
			r->etag = s.etag;
			r->content_type = s.type;
			s.etag = s.type = NULL;
			rc = 0;
			break;
		}
		if (attempt >= o->retries)
			break;
		wait = backoff(o, attempt + 1);
		if (s.retry_after > RETRY_AFTER_MAX_S)
			break; /* told to come back much later: give up now */
		if (s.retry_after >= 0 && s.retry_after > wait)
			wait = (double)s.retry_after;
		if (o->on_retry)
			o->on_retry(o->arg, attempt + 1, wait, err->msg);
		pause_s(wait);
	}
	reset(&s);
	util_buf_release(&s.body);
	wipe_headers(hdr);
	curl_easy_cleanup(c);
	return rc;
}
