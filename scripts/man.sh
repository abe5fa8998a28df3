#!/bin/sh
# A command's man page, gpuplan-COMMAND(1), from the command table's
# usage text (`gpuplan help COMMAND`), so the page and the program cannot
# drift apart; the tool's page gpuplan(1) and the scenario language's
# gpuplan-scenario(5) are written by hand in docs/man/.
# Usage: sh scripts/man.sh GPUPLAN COMMAND VERSION > gpuplan-COMMAND.1
set -eu
bin=$1
cmd=$2
version=$3
summary=$("$bin" help | sed -n "s/^  $cmd  *//p")
text=$("$bin" help "$cmd")
# roff: backslashes, leading dots and quotes, hyphens
esc() { sed -e 's/\\/\\e/g' -e "s/^\([.']\)/\\\\\&\1/" -e 's/-/\\-/g'; }
upper=$(printf '%s' "$cmd" | tr 'a-z' 'A-Z')
printf '.TH GPUPLAN\\-%s 1 "" "gpuplan %s" "gpuplan manual"\n' "$upper" "$version"
printf '.SH NAME\ngpuplan\\-%s \\- %s\n' "$(printf '%s' "$cmd" | esc)" "$(printf '%s' "$summary" | esc)"
printf '.SH SYNOPSIS\n.nf\n'
printf '%s\n' "$text" | sed -n '/^Usage:/,/^$/p' | sed -e 's/^Usage: //' -e 's/^       //' -e '/^$/d' | esc
printf '.fi\n.SH DESCRIPTION\n'
printf '%s\n' "$text" | sed '1,/^$/d' | esc | sed 's/^$/.PP/'
cat <<'ROFF'
.SH GLOBAL OPTIONS
.TP
\fB\-\-catalog\fR \fIFILE\fR
extend the catalog in use with FILE (\fB\-\-catalog\-replace\fR: replace it)
.TP
\fB\-\-offline\fR
never touch the network: cached prices and the embedded catalog stand
.TP
\fB\-\-fx\fR \fICODE\fR=\fIRATE\fR
exchange rate: the scenario's currency per unit of CODE (over the
scenario's \fBfx:\fR)
.TP
\fB\-\-max\-price\-age\fR \fID\fR
warn about prices older than the duration D (default: 90 days for
market and GPU\-as\-a\-service prices, 365 for list prices)
.TP
\fB\-q\fR, \fB\-\-quiet\fR; \fB\-v\fR, \fB\-\-verbose\fR
fewer or more messages on standard error
.SH EXIT STATUS
0 success; 1 a CI gate failed; 2 usage error; 3 no feasible plan; 4 the
allocator rejected a submission; 65 bad input data; 66 an input file is
missing; 69 a service was unavailable; 70 internal error; 73 an output
could not be written.
.SH SEE ALSO
.BR gpuplan (1),
.BR gpuplan\-scenario (5)
ROFF
