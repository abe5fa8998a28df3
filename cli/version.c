/* gpuplan version (and --version): the version, the commit it was built
 * from, and the versions of the libraries it runs with. Rebuilt at every
 * build so that the commit is the current one. */
#include <curl/curl.h>
#include <glpk.h>
#include <jansson.h>
#include <stdio.h>
#include <yaml.h>

#include "cli.h"

#ifndef GPUPLAN_VERSION
#define GPUPLAN_VERSION "unknown"
#endif
#ifndef GPUPLAN_COMMIT
#define GPUPLAN_COMMIT "unknown"
#endif

int cmd_version(int argc, char **argv, struct cli_ctx *ctx)
{
	(void)argv;
	if (argc > 1)
		return cli_usage_error("version", "too many arguments");
	printf("gpuplan %s\n", GPUPLAN_VERSION);
	if (!ctx->quiet)
		printf("commit %s\nGLPK %s, libyaml %s, jansson %s, libcurl %s\n",
		       GPUPLAN_COMMIT, glp_version(), yaml_get_version_string(),
		       jansson_version_str(), curl_version_info(CURLVERSION_NOW)
						      ->version);
	return CLI_EXIT_OK;
}
