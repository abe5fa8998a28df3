/* Country codes: ISO 3166-1 alpha-2 and the member states of the
 * European Union, for data residency (docs/scenario.md#constraints). */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* The officially assigned ISO 3166-1 alpha-2 codes (249), as the ISO
 * 3166 Maintenance Agency lists them. */
static const char iso3166[] =
	"AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ "
	"BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ "
	"CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ "
	"DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR "
	"GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY "
	"HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP "
	"KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY "
	"MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY "
	"MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM "
	"PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK "
	"SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO "
	"TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT "
	"ZA ZM ZW";

/* The 27 member states of the European Union since 1 February 2020
 * (the EU's "Country profiles" page, european-union.europa.eu). */
const char *const util_eu_members[UTIL_EU_NMEMBERS] = {
	"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES",
	"FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU",
	"LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"};

bool util_country_ok(const char *code)
{
	char up[3];

	if (!code || strlen(code) != 2 || !isalpha((unsigned char)code[0]) ||
	    !isalpha((unsigned char)code[1]))
		return false;
	up[0] = (char)toupper((unsigned char)code[0]);
	up[1] = (char)toupper((unsigned char)code[1]);
	up[2] = '\0';
	for (const char *p = iso3166; *p; p += p[2] ? 3 : 2)
		if (p[0] == up[0] && p[1] == up[1])
			return true;
	return false;
}

const char *util_country_hint(const char *code)
{
	/* names people write for a code ISO spells otherwise */
	static const char *const alias[][2] = {
		{"UK", "GB"}, {"EL", "GR"}, {"CAN", "CA"}, {"FRA", "FR"},
		{"USA", "US"}, {"DEU", "DE"}, {"GBR", "GB"}, {"EUR", "EU"},
		{"CANADA", "CA"}, {"FRANCE", "FR"}, {"GERMANY", "DE"},
		{"QC", "CA"}, {"QUEBEC", "CA"}};

	for (size_t i = 0; code && i < UTIL_ARRAY_SIZE(alias); i++)
		if (!strcasecmp(code, alias[i][0]))
			return alias[i][1];
	return NULL;
}

bool util_country_eu(const char *code)
{
	for (size_t i = 0; code && i < UTIL_EU_NMEMBERS; i++)
		if (!strcasecmp(code, util_eu_members[i]))
			return true;
	return false;
}
