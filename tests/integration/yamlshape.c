/* Prints the shape of a YAML stream, one libyaml event a line with every
 * scalar shown as "S": two files of the same shape hold the same
 * documents, mappings, sequences and number of values, whatever their
 * text. Exit 1 when the file is not YAML. For tests/integration/hostile.sh.
 * Usage: yamlshape FILE */
#include <stdio.h>
#include <yaml.h>

static const char *const names[] = {
	[YAML_STREAM_START_EVENT] = "stream", [YAML_STREAM_END_EVENT] = "/stream",
	[YAML_DOCUMENT_START_EVENT] = "doc", [YAML_DOCUMENT_END_EVENT] = "/doc",
	[YAML_ALIAS_EVENT] = "alias", [YAML_SCALAR_EVENT] = "S",
	[YAML_SEQUENCE_START_EVENT] = "seq", [YAML_SEQUENCE_END_EVENT] = "/seq",
	[YAML_MAPPING_START_EVENT] = "map", [YAML_MAPPING_END_EVENT] = "/map",
};

int main(int argc, char **argv)
{
	yaml_parser_t p;
	yaml_event_t e;
	FILE *f = argc == 2 ? fopen(argv[1], "rb") : NULL;
	int rc = 0, done = 0;

	if (!f) {
		fprintf(stderr, "usage: yamlshape FILE\n");
		return 2;
	}
	yaml_parser_initialize(&p);
	yaml_parser_set_input_file(&p, f);
	while (!done) {
		if (!yaml_parser_parse(&p, &e)) {
			fprintf(stderr, "%s:%zu: %s\n", argv[1],
				p.problem_mark.line + 1,
				p.problem ? p.problem : "not YAML");
			rc = 1;
			break;
		}
		if (e.type != YAML_NO_EVENT)
			puts(names[e.type]);
		done = e.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&e);
	}
	yaml_parser_delete(&p);
	fclose(f);
	return rc;
}
