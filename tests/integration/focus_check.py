#!/usr/bin/env python3
"""Checks a `gpuplan plan --format focus` file against the column rules
of FOCUS 1.2 (the FinOps Foundation's specification,
https://focus.finops.org/focus-specification/v1-2/), written from its
column definitions: names, types, allowed values, the mandatory columns
that are never null, the conditional ones (quantities on Usage rows only,
a unit with every quantity, ListCost = ListUnitPrice x PricingQuantity),
and that BilledCost adds up to the plan's total.
Usage: focus_check.py FOCUS.csv TOTAL
Prints one line per problem; exit 1 if any."""
import csv
import re
import sys
from datetime import datetime

FOCUS = {
    # column: (type, nullable)
    "BilledCost": ("decimal", False),
    "BillingAccountId": ("string", False),
    "BillingAccountName": ("string", True),
    "BillingCurrency": ("currency", False),
    "BillingPeriodEnd": ("datetime", False),
    "BillingPeriodStart": ("datetime", False),
    "ChargeCategory": ("string", False),
    "ChargeClass": ("string", True),
    "ChargeDescription": ("string", True),
    "ChargeFrequency": ("string", True),
    "ChargePeriodEnd": ("datetime", False),
    "ChargePeriodStart": ("datetime", False),
    "ConsumedQuantity": ("decimal", True),
    "ConsumedUnit": ("string", True),
    "ContractedCost": ("decimal", False),
    "ContractedUnitPrice": ("decimal", True),
    "EffectiveCost": ("decimal", False),
    "InvoiceIssuerName": ("string", False),
    "ListCost": ("decimal", False),
    "ListUnitPrice": ("decimal", True),
    "PricingCategory": ("string", True),
    "PricingQuantity": ("decimal", True),
    "PricingUnit": ("string", True),
    "ProviderName": ("string", False),
    "PublisherName": ("string", False),
    "RegionId": ("string", True),
    "RegionName": ("string", True),
    "ResourceId": ("string", True),
    "ResourceName": ("string", True),
    "ResourceType": ("string", True),
    "ServiceCategory": ("string", False),
    "ServiceName": ("string", False),
    "SkuId": ("string", True),
    "SkuPriceId": ("string", True),
    "SubAccountId": ("string", True),
    "SubAccountName": ("string", True),
    "Tags": ("json", True),
}
ALLOWED = {
    "ChargeCategory": {"Usage", "Purchase", "Tax", "Credit", "Adjustment"},
    "ChargeClass": {"Correction"},
    "ChargeFrequency": {"One-Time", "Recurring", "Usage-Based"},
    "PricingCategory": {"Standard", "Dynamic", "Committed", "Other"},
    "ServiceCategory": {
        "AI and Machine Learning", "Analytics", "Business Applications",
        "Compute", "Databases", "Developer Tools", "Multicloud",
        "Identity", "Integration", "Internet of Things",
        "Management and Governance", "Media", "Migration", "Mobile",
        "Networking", "Security", "Storage", "Web", "Other"},
}
OURS = {"x_Accelerator", "x_Family", "x_Scenario", "x_Workload"}
DECIMAL = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
DATETIME = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$")


def when(s):
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ")


def check_cell(n, col, v, bad):
    kind, nullable = FOCUS[col]
    if v == "":
        if not nullable:
            bad(f"row {n}: {col} is mandatory and null")
        return
    if kind == "decimal" and not DECIMAL.match(v):
        bad(f"row {n}: {col} '{v}' is not a decimal")
    if kind == "datetime" and not DATETIME.match(v):
        bad(f"row {n}: {col} '{v}' is not an ISO 8601 UTC datetime")
    if kind == "currency" and not re.match(r"^[A-Z]{3}$", v):
        bad(f"row {n}: {col} '{v}' is not an ISO 4217 code")
    if col in ALLOWED and v not in ALLOWED[col]:
        bad(f"row {n}: {col} '{v}' is not an allowed value")
    if kind == "string" and v[0] in "=+-@\t\r" and col != "ChargeDescription":
        bad(f"row {n}: {col} '{v}' could run as a spreadsheet formula")


def check_row(n, r, bad):
    for col in FOCUS:
        check_cell(n, col, r[col], bad)
    usage = r["ChargeCategory"] == "Usage"
    for col in ("ConsumedQuantity", "ConsumedUnit"):
        if usage != (r[col] != ""):
            bad(f"row {n}: {col} must be set on Usage rows only")
    if (r["PricingQuantity"] != "") != (r["PricingUnit"] != ""):
        bad(f"row {n}: PricingQuantity and PricingUnit go together")
    if r["ListUnitPrice"] and r["PricingQuantity"]:
        want = float(r["ListUnitPrice"]) * float(r["PricingQuantity"])
        if abs(want - float(r["ListCost"])) > 1e-6 * max(1, abs(want)):
            bad(f"row {n}: ListCost is not ListUnitPrice x PricingQuantity")
    for a, b in (("ChargePeriodStart", "ChargePeriodEnd"),
                 ("BillingPeriodStart", "BillingPeriodEnd")):
        if DATETIME.match(r[a]) and DATETIME.match(r[b]) and \
                when(r[a]) >= when(r[b]):
            bad(f"row {n}: {a} is not before {b}")
    if r["ChargeCategory"] in ("Usage", "Purchase") and not r["PricingCategory"]:
        bad(f"row {n}: a {r['ChargeCategory']} row without PricingCategory")


def main():
    problems = []
    bad = problems.append
    with open(sys.argv[1], newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
        names = list(rows[0].keys()) if rows else []
    for col in names:
        if col not in FOCUS and col not in OURS:
            bad(f"column {col}: neither FOCUS's nor x_-prefixed")
        if col in OURS and not col.startswith("x_"):
            bad(f"column {col}: a custom column without x_")
    for col in FOCUS:
        if col not in names:
            bad(f"column {col} is missing")
    if problems:
        print("\n".join(problems))
        return 1
    total = 0.0
    for n, r in enumerate(rows, 2):
        check_row(n, r, bad)
        total += float(r["BilledCost"]) if DECIMAL.match(r["BilledCost"]) else 0
    if abs(total - float(sys.argv[2])) > 0.01:
        bad(f"BilledCost adds up to {total:.2f}, the plan costs {sys.argv[2]}")
    if not rows:
        bad("no rows")
    print("\n".join(problems[:20]))
    return 1 if problems else 0


sys.exit(main())
