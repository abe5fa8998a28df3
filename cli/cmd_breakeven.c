/* gpuplan breakeven SCENARIO --buy OFFER --rent OFFER: from what
 * utilisation, and after how many months, buying a device costs less
 * than renting one (docs/sweep.md); the arithmetic is
 * advise/breakeven.c's, here the options and the output. */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../emit/emit.h"
#include "../report/report.h"
#include "cli.h"

/* The older date of the two offers' prices. */
static const char *oldest(const struct advise_breakeven *b)
{
	return strcmp(b->buy->as_of, b->rent->as_of) < 0 ? b->buy->as_of
							 : b->rent->as_of;
}

/* Whether buying pays off over a span of months, from which
 * utilisation u (infinite or above 1: never, renting always wins). */
static void payoff(struct util_buf *out, const char *span, double months,
		   double u)
{
	if (isinf(u) || u > 1)
		util_buf_printf(out, "buying never pays off over %s (%.0f "
				"months): renting is cheaper even at 100%% "
				"utilisation\n", span, months);
	else
		util_buf_printf(out, "buying pays off over %s (%.0f months) "
				"from %.1f%% utilisation\n", span, months,
				u * 100);
}

static void table(const struct model_scenario *s, const struct advise_breakeven *b,
		  struct util_buf *out)
{
	static const char *const head[] = {"utilisation", "months"};
	static const bool right[] = {true, true};
	struct cli_table t;
	char v[2][32];
	double uh = advise_breakeven_utilisation(b, b->horizon_m), ul = advise_breakeven_utilisation(b, b->lifetime_m);

	char capex[48], maint[48];

	/* money with its currency as elsewhere ("15,180 CAD"); hourly
	 * figures to the tenth of a cent, as the catalog gives them */
	util_buf_printf(out, "Break-even for one device of '%s': buy %s (%s, "
			"maintenance %s a month, energy %.3f %s a busy hour) "
			"or rent %s (%.3f %s an hour)\n\n",
			s->name, b->buy->id,
			util_fmt_money(capex, sizeof(capex), b->capex,
				       s->currency, false),
			util_fmt_money(maint, sizeof(maint), b->maint_month,
				       s->currency, false),
			b->energy_hour, s->currency, b->rent->id, b->rent_hour,
			s->currency);
	cli_table_init(&t, 2, head, right);
	for (int p = 10; p <= 100; p += 10) {
		double m = advise_breakeven_months(b, p / 100.0);

		snprintf(v[0], 32, "%d%%", p);
		snprintf(v[1], 32, isinf(m) ? "never" : "%.1f", m);
		cli_table_row(&t, (const char *const[]){v[0], v[1]});
	}
	cli_table_render(&t, CLI_TABLE, out);
	cli_table_release(&t);
	util_buf_puts(out, "\n");
	payoff(out, "the horizon", b->horizon_m, uh);
	payoff(out, "the device's life", b->lifetime_m, ul);
	/* plan and compare count the capex net of the value left at the
	 * horizon's end (straight line), which puts their break-even at
	 * the life's utilisation for any horizon within the life: said, or
	 * "never over the horizon" reads against a compare where buying
	 * costs less (department-montreal) */
	if (b->horizon_m < b->lifetime_m && !isinf(ul) && ul <= 1)
		util_buf_printf(out, "(in cash; the totals of plan and "
				"compare count the capex net of the device's "
				"value at the horizon's end, and by them buying "
				"costs less from %.1f%% utilisation, lead time "
				"aside)\n",
				ul * 100);
	util_buf_printf(out, "at %.1f%% utilisation (%s", b->u * 100,
			b->u_from);
	if (b->u_devices > 1)
		util_buf_printf(out, ", on each of the %d devices it needs",
				b->u_devices);
	util_buf_puts(out, "), buying ");
	if (isinf(advise_breakeven_months(b, b->u)))
		util_buf_puts(out, "never pays off\n");
	else
		util_buf_printf(out, "pays off after %.1f months\n",
				advise_breakeven_months(b, b->u));
	emit_prices_line(&s->catalog, oldest(b), false, out);
}

static json_t *be_json(const struct model_scenario *s, const struct advise_breakeven *b)
{
	json_t *rows = json_array();
	double uh = advise_breakeven_utilisation(b, b->horizon_m), ul = advise_breakeven_utilisation(b, b->lifetime_m);
	double m = advise_breakeven_months(b, b->u);

	for (int p = 10; p <= 100; p += 10) {
		double x = advise_breakeven_months(b, p / 100.0);

		json_array_append_new(
			rows, json_pack("{s:f, s:o}", "utilisation", p / 100.0,
					"months", isinf(x) ? json_null()
							   : emit_json_real(x)));
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:f, s:f, s:f, s:f, s:o, s:o, "
			 "s:f, s:s, s:o, s:o, s:o}",
			 "scenario", s->name, "currency", s->currency, "buy",
			 b->buy->id, "rent", b->rent->id, "capex", b->capex,
			 "maintenance_month", b->maint_month, "energy_hour",
			 b->energy_hour, "rent_hour", b->rent_hour,
			 "utilisation_horizon",
			 isinf(uh) || uh > 1 ? json_null() : emit_json_real(uh),
			 "utilisation_lifetime",
			 isinf(ul) || ul > 1 ? json_null() : emit_json_real(ul),
			 "utilisation", b->u, "utilisation_from", b->u_from,
			 "months_at_utilisation",
			 isinf(m) ? json_null() : emit_json_real(m), "table", rows,
			 "prices", emit_prices_json(&s->catalog));
}

/* Money paid over the months at utilisation u, buying and renting, the
 * crossing marked. */
static int plot(const struct model_scenario *s, const struct advise_breakeven *b,
		const char *out)
{
	double end = fmax(b->horizon_m, fmin(advise_breakeven_months(b, b->u) * 1.5,
					     b->lifetime_m));
	size_t n = (size_t)ceil(end) + 1;
	double *x = util_xcalloc(n, sizeof(double));
	double *yb = util_xcalloc(n, sizeof(double));
	double *yr = util_xcalloc(n, sizeof(double));
	char title[256], label[64];
	double mark_buy;
	struct report_series ser[2] = {{"buy", x, yb, n}, {"rent", x, yr, n}};
	struct report_plot p = {
		.kind = REPORT_COST_OVER_TIME, .title = title,
		.xlabel = "month", .series = ser, .nseries = 2,
		.mark_x = NAN, .mark_y = NAN};
	int rc;

	for (size_t i = 0; i < n; i++) {
		x[i] = (double)i;
		advise_breakeven_paid(b, b->u, x[i], &yb[i], &yr[i]);
	}
	if (!isinf(advise_breakeven_months(b, b->u))) {
		p.mark_x = advise_breakeven_months(b, b->u);
		advise_breakeven_paid(b, b->u, p.mark_x, &mark_buy, &p.mark_y);
		snprintf(label, sizeof(label), "break-even: month %.1f",
			 p.mark_x);
		p.mark_label = label;
	}
	snprintf(title, sizeof(title), "%s: one %s bought or rented at %.0f%% "
		 "utilisation", s->name, b->buy->accel, b->u * 100);
	p.ylabel = s->currency;
	rc = cli_draw_plot(&p, out);
	free(x);
	free(yb);
	free(yr);
	return rc;
}

int cmd_breakeven(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option longopts[] = {
		{"buy", required_argument, NULL, 'b'},
		{"rent", required_argument, NULL, 'r'},
		{"workload", required_argument, NULL, 'w'},
		{"utilisation", required_argument, NULL, 'u'},
		{"plot", required_argument, NULL, 'p'},
		{"format", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0}};
	const char *buy = NULL, *rent = NULL, *wl = NULL, *out = NULL;
	enum cli_format f = CLI_TABLE;
	struct model_scenario s;
	struct advise_breakeven b;
	struct util_err err;
	struct util_buf o;
	double u = -1;
	int ch, rc;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			buy = optarg;
			break;
		case 'r':
			rent = optarg;
			break;
		case 'w':
			wl = optarg;
			break;
		case 'u':
			if (model_units_parse(optarg, MODEL_DIM_FRACTION, 0, &u,
					      &err) || u <= 0 || u > 1)
				return cli_usage_error("breakeven", "'--"
						       "utilisation' is a "
						       "percentage above 0, "
						       "got '%s'", optarg);
			break;
		case 'p':
			out = optarg;
			break;
		case 'f':
			if (cli_parse_format("breakeven", optarg,
					     (1u << CLI_TABLE) |
						     (1u << CLI_JSON),
					     &f))
				return CLI_EXIT_USAGE;
			break;
		case ':':
			return cli_usage_error("breakeven", "option '%s' needs "
					       "a value", argv[optind - 1]);
		default:
			return cli_usage_error("breakeven", "unknown option "
					       "'%s'", argv[optind - 1]);
		}
	}
	if (optind != argc - 1 || !buy || !rent)
		return cli_usage_error("breakeven", "give a scenario, --buy "
				       "OFFER and --rent OFFER");
	rc = cli_load_scenario(ctx, argv[optind], &s);
	if (!rc && advise_breakeven(&s, buy, rent, &b, &err))
		rc = cli_usage_error("breakeven", "%s", err.msg);
	if (!rc && strcmp(b.buy->accel, b.rent->accel))
		cli_warn(ctx, "buying %s but renting %s: the comparison assumes "
			 "they do the same work in an hour", b.buy->accel,
			 b.rent->accel);
	if (!rc && wl && advise_breakeven_workload(&s, wl, &b, &err)) {
		if (err.code == UTIL_E_USAGE) {
			rc = cli_usage_error("breakeven", "%s", err.msg);
		} else {
			cli_error("%s", err.msg);
			rc = cli_exit_code(err.code);
		}
	}
	if (!rc && u > 0) {
		b.u = u;
		b.u_from = "--utilisation";
	}
	util_buf_init(&o);
	if (!rc && f == CLI_JSON) {
		rc = cli_emit_json(be_json(&s, &b));
	} else if (!rc) {
		table(&s, &b, &o);
		rc = cli_write_text(&o); /* wrapped at --width */
		struct pricing_staleness st = {0};

		pricing_staleness_add(&st, b.buy);
		pricing_staleness_add(&st, b.rent);
		cli_warn_price_age(ctx, &st);
	}
	if (!rc && out)
		rc = plot(&s, &b, out);
	util_buf_release(&o);
	model_scenario_release(&s);
	return rc;
}
