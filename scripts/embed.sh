#!/bin/sh
# Turns a file into a C array, so the default catalog is compiled into the
# binary: embed.sh pricing/catalog.yaml > catalog_embed.c
set -eu
printf '/* generated from %s by scripts/embed.sh: do not edit */\n' "$1"
printf '#include <stddef.h>\n\nconst char pricing_default_catalog[] = {\n'
od -An -v -tx1 "$1" | sed -e 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g' -e 's/^/\t/'
printf '\t0x00};\nconst size_t pricing_default_catalog_len =\n'
printf '\tsizeof(pricing_default_catalog) - 1;\n'
