/* Safe YAML loading and a mapping cursor with typed getters.
 *
 * libyaml's document API would happily build a tree a million levels deep
 * and its aliases let a small file stand for an exponential number of
 * nodes, so a first pass over the events bounds both before the document
 * is built. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ydoc.h"

struct anchor {
	char *name;
	size_t size; /* nodes under it, aliases expanded */
};

struct prepass {
	struct anchor *anchors;
	size_t nanchors, alloc;
	size_t frame_size[UTIL_YAML_MAX_DEPTH + 2];
	char *frame_anchor[UTIL_YAML_MAX_DEPTH + 2];
	int depth;
	int documents;
};

static size_t sat_add(size_t a, size_t b)
{
	return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

static int syntax_error(struct util_ydoc *y, struct util_diags *d,
			yaml_parser_t *p, const char *buf, size_t len)
{
	int line, col;

	/* libyaml names every problem in the text; none named, or a memory
	 * error, means an allocation failed inside it */
	if (p->error == YAML_MEMORY_ERROR || !p->problem)
		util_oom();
	if (p->error == YAML_READER_ERROR) {
		util_offset_to_linecol(buf, len, p->problem_offset, &line,
				       &col);
		return util_diag_add(d, UTIL_ERROR, y->file, line, col,
				     "unreadable YAML: %s", p->problem);
	}
	line = (int)p->problem_mark.line + 1;
	col = (int)p->problem_mark.column + 1;
	/* libyaml calls a tab "a character that cannot start any token":
	 * say what it is, since an editor shows it as spaces */
	if (p->problem_mark.index < len && buf[p->problem_mark.index] == '\t')
		return util_diag_add(d, UTIL_ERROR, y->file, line, col,
				     "YAML syntax error: tab character (YAML "
				     "indents with spaces only)");
	if (p->context)
		return util_diag_add(d, UTIL_ERROR, y->file, line, col,
				     "YAML syntax error: %s (%s at line %d)",
				     p->problem ? p->problem : "unknown",
				     p->context,
				     (int)p->context_mark.line + 1);
	return util_diag_add(d, UTIL_ERROR, y->file, line, col,
			     "YAML syntax error: %s",
			     p->problem ? p->problem : "unknown");
}

static size_t anchor_size(struct prepass *pp, const char *name)
{
	for (size_t i = pp->nanchors; i-- > 0;)
		if (!strcmp(pp->anchors[i].name, name))
			return pp->anchors[i].size;
	return 1;
}

/* Closes a node of `size` nodes that carried `anchor` (may be NULL). */
static void close_node(struct prepass *pp, char *anchor, size_t size)
{
	if (anchor) {
		UTIL_GROW(pp->anchors, pp->nanchors + 1, pp->alloc);
		pp->anchors[pp->nanchors].name = anchor;
		pp->anchors[pp->nanchors++].size = size;
	}
	pp->frame_size[pp->depth] = sat_add(pp->frame_size[pp->depth], size);
}

static char *take_anchor(yaml_char_t *a)
{
	return a ? util_xstrdup((const char *)a) : NULL;
}

/* A control character in a scalar ("\\e", "\\x07", "\\u009b" in a
 * quoted string): no scenario or catalog text needs one, and on a
 * terminal or in a report it could drive the reader's screen (move the
 * cursor, set the title), so it is refused here, once for every reader
 * of YAML. Tabs and newlines are text; a carriage return is not (it
 * would let a name overwrite the line shown before it). */
static int control_char(struct util_ydoc *y, struct util_diags *d,
			const yaml_event_t *ev, int line, int col)
{
	const unsigned char *v = ev->data.scalar.value;
	size_t n = ev->data.scalar.length;

	for (size_t i = 0; i < n; i++) {
		unsigned cp = v[i];

		if (v[i] == 0xc2 && i + 1 < n && v[i + 1] >= 0x80 &&
		    v[i + 1] <= 0x9f)
			cp = v[i + 1]; /* C1: U+0080 to U+009F */
		else if ((v[i] >= 0x20 && v[i] != 0x7f) || v[i] == '\t' ||
			 v[i] == '\n')
			continue;
		return util_diag_add(d, UTIL_ERROR, y->file, line, col,
				     "a control character (U+%04X) in a "
				     "string: scenario and catalog text must "
				     "be printable (tabs and newlines are "
				     "allowed)", cp);
	}
	return 0;
}

/* Returns 0 to go on, 1 at the end of the stream, UTIL_E_INPUT to stop. */
static int prepass_event(struct util_ydoc *y, struct util_diags *d,
			 struct prepass *pp, const yaml_event_t *ev)
{
	int line = (int)ev->start_mark.line + 1;
	int col = (int)ev->start_mark.column + 1;

	switch (ev->type) {
	case YAML_STREAM_END_EVENT:
		return 1;
	case YAML_DOCUMENT_START_EVENT:
		if (++pp->documents > 1)
			return util_diag_add(
				d, UTIL_ERROR, y->file, line, col,
				"several YAML documents in one file "
				"(put each scenario or catalog in its own "
				"file)");
		return 0;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (pp->depth >= UTIL_YAML_MAX_DEPTH)
			return util_diag_add(d, UTIL_ERROR, y->file, line, col,
					     "nesting deeper than %d levels",
					     UTIL_YAML_MAX_DEPTH);
		pp->depth++;
		pp->frame_size[pp->depth] = 0;
		pp->frame_anchor[pp->depth] = take_anchor(
			ev->type == YAML_SEQUENCE_START_EVENT
				? ev->data.sequence_start.anchor
				: ev->data.mapping_start.anchor);
		return 0;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT: {
		size_t size = sat_add(pp->frame_size[pp->depth], 1);
		char *anchor = pp->frame_anchor[pp->depth];

		pp->frame_anchor[pp->depth] = NULL;
		pp->depth--;
		close_node(pp, anchor, size);
		break;
	}
	case YAML_SCALAR_EVENT:
		close_node(pp, take_anchor(ev->data.scalar.anchor), 1);
		/* "\0" in a quoted string: C strings would end there */
		if (memchr(ev->data.scalar.value, '\0', ev->data.scalar.length))
			return util_diag_add(d, UTIL_ERROR, y->file, line, col,
					     "a NUL character (\"\\0\") in a "
					     "string");
		if (control_char(y, d, ev, line, col))
			return UTIL_E_INPUT;
		break;
	case YAML_ALIAS_EVENT:
		close_node(pp, NULL,
			   anchor_size(pp, (const char *)ev->data.alias.anchor));
		break;
	default:
		return 0;
	}
	if (pp->nanchors > UTIL_YAML_MAX_ANCHORS)
		return util_diag_add(d, UTIL_ERROR, y->file, line, col,
				     "more than %d anchors",
				     UTIL_YAML_MAX_ANCHORS);
	if (pp->frame_size[pp->depth] > UTIL_YAML_MAX_NODES ||
	    pp->frame_size[0] > UTIL_YAML_MAX_NODES)
		return util_diag_add(d, UTIL_ERROR, y->file, line, col,
				     "document too large: more than %d nodes "
				     "once aliases are expanded",
				     UTIL_YAML_MAX_NODES);
	return 0;
}

static void prepass_release(struct prepass *pp)
{
	for (size_t i = 0; i < pp->nanchors; i++)
		free(pp->anchors[i].name);
	for (int i = 0; i <= UTIL_YAML_MAX_DEPTH + 1; i++)
		free(pp->frame_anchor[i]);
	free(pp->anchors);
}

static int prepass(struct util_ydoc *y, struct util_diags *d,
		   const char *buf, size_t len)
{
	yaml_parser_t p;
	struct prepass pp;
	int rc = 0;

	memset(&pp, 0, sizeof(pp));
	if (!yaml_parser_initialize(&p)) /* it only allocates */
		util_oom();
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	while (!rc) {
		yaml_event_t ev;

		if (!yaml_parser_parse(&p, &ev)) {
			if (p.error == YAML_MEMORY_ERROR)
				util_oom();
			rc = syntax_error(y, d, &p, buf, len);
			break;
		}
		rc = prepass_event(y, d, &pp, &ev);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	prepass_release(&pp);
	return rc < 0 ? rc : 0;
}

static int check_text(struct util_ydoc *y, struct util_diags *d,
		      const char *buf, size_t len)
{
	size_t bad;
	int line, col;

	if (!util_utf8_valid(buf, len, &bad)) {
		util_offset_to_linecol(buf, len, bad, &line, &col);
		return util_diag_add(d, UTIL_ERROR, y->file, line, col,
				     "invalid UTF-8 (byte 0x%02x): is this a "
				     "text file?",
				     (unsigned char)buf[bad]);
	}
	if (memchr(buf, '\0', len)) {
		bad = (size_t)((const char *)memchr(buf, '\0', len) - buf);
		util_offset_to_linecol(buf, len, bad, &line, &col);
		return util_diag_add(d, UTIL_ERROR, y->file, line, col,
				     "NUL byte in a text file: is this a "
				     "binary file?");
	}
	return 0;
}

int util_ydoc_load(struct util_ydoc *y, const char *file, const char *buf,
		   size_t len, struct util_diags *d)
{
	yaml_parser_t p;
	yaml_node_t *root;
	int rc;

	memset(y, 0, sizeof(*y));
	y->file = util_xstrdup(file);
	if (len > UTIL_INPUT_MAX)
		return util_diag_add(d, UTIL_ERROR, y->file, 0, 0,
				     "file larger than the limit of %zu MiB",
				     UTIL_INPUT_MAX >> 20);
	rc = check_text(y, d, buf, len);
	if (!rc)
		rc = prepass(y, d, buf, len);
	if (rc)
		return rc;
	if (!yaml_parser_initialize(&p)) /* it only allocates */
		util_oom();
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&p, &y->doc)) {
		if (p.error == YAML_MEMORY_ERROR) /* not the text's fault */
			util_oom();
		rc = syntax_error(y, d, &p, buf, len);
		yaml_parser_delete(&p);
		return rc;
	}
	yaml_parser_delete(&p);
	y->loaded = true;
	root = yaml_document_get_root_node(&y->doc);
	if (!root || util_ynull(root))
		return util_diag_add(d, UTIL_ERROR, y->file, 1, 1,
				     "empty document (expected a mapping of "
				     "keys to values)");
	return 0;
}

int util_ydoc_load_file(struct util_ydoc *y, const char *path,
			struct util_diags *d)
{
	struct util_err err;
	char *buf = NULL;
	size_t len = 0;
	int rc;

	rc = util_read_file(path, UTIL_INPUT_MAX, &buf, &len, &err);
	if (rc) {
		memset(y, 0, sizeof(*y));
		y->file = util_xstrdup(path);
		util_diag_add(d, UTIL_ERROR, NULL, 0, 0, "%s", err.msg);
		return rc;
	}
	rc = util_ydoc_load(y, path, buf, len, d);
	free(buf);
	return rc;
}

void util_ydoc_release(struct util_ydoc *y)
{
	if (y->loaded)
		yaml_document_delete(&y->doc);
	free(y->file);
	memset(y, 0, sizeof(*y));
}

yaml_node_t *util_ydoc_root(const struct util_ydoc *y)
{
	if (!y->loaded)
		return NULL;
	return yaml_document_get_root_node((yaml_document_t *)&y->doc);
}

yaml_node_t *util_ydoc_node(const struct util_ydoc *y, int index)
{
	return yaml_document_get_node((yaml_document_t *)&y->doc, index);
}

int util_yline(const yaml_node_t *n)
{
	return (int)n->start_mark.line + 1;
}

int util_ycol(const yaml_node_t *n)
{
	return (int)n->start_mark.column + 1;
}

const char *util_yscalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE
		       ? (const char *)n->data.scalar.value
		       : NULL;
}

bool util_ynull(const yaml_node_t *n)
{
	const char *s = util_yscalar(n);

	if (!s || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") ||
	       !strcmp(s, "Null") || !strcmp(s, "NULL");
}

const char *util_ydescribe(const yaml_node_t *n, char *buf, size_t size)
{
	if (!n)
		return "nothing";
	if (n->type == YAML_SEQUENCE_NODE)
		return "a list";
	if (n->type == YAML_MAPPING_NODE)
		return "a mapping";
	if (util_ynull(n))
		return "nothing";
	snprintf(buf, size, "'%.60s%s'", util_yscalar(n),
		 strlen(util_yscalar(n)) > 60 ? "..." : "");
	return buf;
}

static int yvdiag(struct util_ydoc *y, struct util_diags *d,
		  enum util_severity sev, const yaml_node_t *n,
		  const char *fmt, va_list ap) UTIL_PRINTF(5, 0);

static int yvdiag(struct util_ydoc *y, struct util_diags *d,
		  enum util_severity sev, const yaml_node_t *n,
		  const char *fmt, va_list ap)
{
	return util_diag_vadd(d, sev, y->file, n ? util_yline(n) : 0,
			      n ? util_ycol(n) : 0, fmt, ap);
}

int util_yerr(struct util_ydoc *y, struct util_diags *d, const yaml_node_t *n,
	      const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = yvdiag(y, d, UTIL_ERROR, n, fmt, ap);
	va_end(ap);
	return rc;
}

int util_ywarn(struct util_ydoc *y, struct util_diags *d,
	       const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = yvdiag(y, d, UTIL_WARNING, n, fmt, ap);
	va_end(ap);
	return rc;
}

size_t util_yseq_len(const yaml_node_t *seq)
{
	if (!seq || seq->type != YAML_SEQUENCE_NODE)
		return 0;
	return (size_t)(seq->data.sequence.items.top -
			seq->data.sequence.items.start);
}

yaml_node_t *util_yseq_item(const struct util_ydoc *y, const yaml_node_t *seq,
			    size_t i)
{
	return util_ydoc_node(y, seq->data.sequence.items.start[i]);
}
