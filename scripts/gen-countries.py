#!/usr/bin/env python3
"""Generates api/data/countries.json, the catalogue served at GET /api/v1/countries.

The file is committed and embedded in the API at build time; this script is only needed to
change it. It is deterministic: the same rules and the same pycountry release give the same
bytes. Regenerate with:

    python3 -m venv /tmp/gen-countries && /tmp/gen-countries/bin/pip install 'pycountry==26.2.16'
    /tmp/gen-countries/bin/python scripts/gen-countries.py          # writes the file
    /tmp/gen-countries/bin/python scripts/gen-countries.py --check  # exit 1 if it is stale

Bump VERSION whenever the output changes.

Output format:

    {"version": "YYYY-MM-DD",
     "default_number_rule": {"pattern": ..., "description": ...},
     "countries": [{"code", "alpha3", "name", "min_age", "documents": [
         {"type", "back_side", "has_expiry", "mrz", "barcode", "number"}, ...]}, ...]}

- countries: every ISO 3166-1 entry in pycountry, sorted by alpha-2 code. name is pycountry's
  common_name, else its name, except for the few NAME_OVERRIDES.
- type: passport, id_card, driving_licence or residence_permit; passport is always present.
- back_side: whether a photo of the back is needed (false for passports and booklets).
- mrz: "td1", "td2", "td3" or null. barcode: "pdf417" or null.
- has_expiry: whether the document carries an expiry date (the API then requires one).
- number: a rule over the normalised number (upper-case; spaces, hyphens, dots and slashes
  removed) with pattern, description (it follows "Expected " in error messages, so no
  capital or final full stop is needed) and example; null means "use default_number_rule",
  which the API fills in when it serves the catalogue.
- min_age: the age of majority for entering a financial contract; 18 unless listed in MIN_AGE.

Patterns must stay within what the API's regex engine (regex_lite) and Python's re agree on:
only literal characters, classes, counted repetition, groups and alternation; no \\d, no
look-around. Every alternative is anchored with ^...$.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

try:
    import pycountry
except ImportError:
    sys.exit("gen-countries: needs the pycountry package (see the docstring for how to install it)")

VERSION = "2026-11-25"
OUTPUT = Path(__file__).resolve().parent.parent / "api" / "data" / "countries.json"

DEFAULT_RULE = {"pattern": "^[A-Z0-9]{5,20}$", "description": "5 to 20 letters or digits"}

TYPES = ("passport", "id_card", "driving_licence", "residence_permit")


def codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


EU = codes("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK")
EEA_CH = EU | codes("IS LI NO CH")

NAME_OVERRIDES = {
    "BN": "Brunei",
    "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo",
    "FK": "Falkland Islands",
    "FM": "Micronesia",
    "PS": "Palestine",
    "RU": "Russia",
    "VA": "Vatican City",
    "VG": "British Virgin Islands",
    "VI": "U.S. Virgin Islands",
}

MIN_AGE = {"BH": 21, "CM": 21, "DZ": 19, "EG": 21, "KR": 19, "KW": 21, "PR": 21, "TH": 20}

ID_CARD_TD1 = (EEA_CH - codes("DK")) | codes(
    "AL BA BY GE MD ME MK RS UA "
    "AM AZ KG KZ TR UZ "
    "AR CL MX PE UY "
    "AE VN "
    "DZ GH KE MA SN UG "
    "GI"
)
ID_CARD_NO_MRZ = codes(
    "DK MC SM RU "
    "CN HK MO TW KR JP MN "
    "SG MY ID TH PH KH LA MM BN TL "
    "BD PK LK NP BT MV AF TJ "
    "IR IQ JO LB SY IL PS SA QA KW BH OM YE "
    "EG TN SD NG ZA CM CI MW TZ RW ZW ZM MZ AO NA BW LS SZ MU MG "
    "BJ BF ML NE TG GN SL LR GM CV GA CG CF TD DJ MR ER BI KM ST GQ SC "
    "BR BO CO CR CU DO EC SV GT HN NI PA PY VE HT "
    "TT BB GY SR AW CW SX"
)
ID_CARD_BOOKLET = codes("RU")
ID_CARD_NO_EXPIRY = codes("BR CO HK ID KE KR LK MM MY PH RU SG TW ZA")
ID_CARD_PDF417 = codes("AR ZA")

RESIDENCE_TD1 = EEA_CH | codes("GB US AE UA")
RESIDENCE_NO_MRZ = codes("CA JP KR SG TW CN MY SA QA KW BH OM TR MX BR CO PE")

NO_DRIVING_LICENCE = codes("AQ BV GS HM IO TF UM VA")
DRIVING_LICENCE_PDF417 = codes("US CA PR GU VI MP AS ZA")


def rule(alternatives: list[str], description: str, example: str) -> dict:
    return {
        "pattern": "|".join(f"^{a}$" for a in alternatives),
        "description": description,
        "example": example,
    }


DE_CHARS = rule(
    ["[CFGHJKLMNPRTVWXYZ0-9]{9}"],
    "9 characters: letters C F G H J K L M N P R T V W X Y Z or digits",
    "C01X00T47",
)
NL_DOC = rule(
    ["[A-NP-Z]{2}[A-NP-Z0-9]{6}[0-9]"],
    "9 characters: 2 letters, 6 letters or digits, then a digit (never the letter O)",
    "SPECI2014",
)
SE_DOC = rule(["[0-9]{8}"], "8 digits", "12345678")
ES_PERSONAL = rule(
    ["[0-9]{8}[A-Z]", "[XYZ][0-9]{7}[A-Z]"],
    "the holder's DNI (8 digits and a letter) or NIE (X, Y or Z, 7 digits and a letter)",
    "12345678Z",
)
SG_NRIC_FIN = rule(
    ["[STFGM][0-9]{7}[A-Z]"],
    "the NRIC or FIN: S, T, F, G or M, 7 digits and a letter",
    "S1234567D",
)
HKID = rule(
    ["[A-Z]{1,2}[0-9]{6}[0-9A]"],
    "the HKID number: 1 or 2 letters, 6 digits and a check digit (0 to 9 or A)",
    "A1234563",
)
AE_EID = rule(["784[0-9]{12}"], "the 15-digit Emirates ID number, starting 784", "784198012345671")
UA_CARD = rule(["[0-9]{9}"], "9 digits", "001234567")

RULES: dict[tuple[str, str], dict] = {
    ("AE", "id_card"): AE_EID,
    ("AE", "residence_permit"): AE_EID,
    ("AR", "passport"): rule(["[A-Z]{3}[0-9]{6}"], "3 letters and 6 digits", "AAA123456"),
    ("AR", "id_card"): rule(["[0-9]{7,8}"], "the DNI number: 7 or 8 digits", "30123456"),
    ("AT", "passport"): rule(["[A-Z][0-9]{7}"], "a letter and 7 digits", "P1234567"),
    ("AU", "passport"): rule(["[A-Z]{1,2}[0-9]{7}"], "1 or 2 letters and 7 digits", "PA1234567"),
    ("BE", "passport"): rule(["[A-Z]{2}[0-9]{6}"], "2 letters and 6 digits", "EH123456"),
    ("BE", "id_card"): rule(["[0-9]{12}"], "the 12-digit card number", "592123456789"),
    ("BR", "passport"): rule(["[A-Z]{2}[0-9]{6}"], "2 letters and 6 digits", "FZ123456"),
    ("BR", "driving_licence"): rule(
        ["[0-9]{11}"], "the 11-digit registration number (número de registro)", "01234567890"
    ),
    ("CA", "passport"): rule(["[A-Z]{2}[0-9]{6}"], "2 letters and 6 digits", "AB123456"),
    ("CH", "passport"): rule(["[A-Z][0-9]{7}"], "a letter and 7 digits", "X1234567"),
    ("CL", "id_card"): rule(
        ["[0-9]{7,8}[0-9K]"], "the RUN: 7 or 8 digits and a check digit (0 to 9 or K)", "123456785"
    ),
    ("CN", "passport"): rule(
        ["[EG][0-9]{8}", "E[A-Z][0-9]{7}"],
        "9 characters: E or G and 8 digits, or E, a letter and 7 digits",
        "E12345678",
    ),
    ("CN", "id_card"): rule(
        ["[0-9]{17}[0-9X]"], "18 characters: 17 digits and a check digit (0 to 9 or X)", "11010519491231002X"
    ),
    ("CO", "id_card"): rule(["[0-9]{6,10}"], "the cédula number: 6 to 10 digits", "1020304050"),
    ("DE", "passport"): DE_CHARS,
    ("DE", "id_card"): {**DE_CHARS, "example": "L01X00T47"},
    ("EG", "id_card"): rule(["[23][0-9]{13}"], "the 14-digit national ID number", "29001011234567"),
    ("ES", "passport"): rule(["[A-Z]{2,3}[0-9]{6}"], "2 or 3 letters and 6 digits", "PAB123456"),
    ("ES", "id_card"): rule(
        ["[0-9]{8}[A-Z]", "[A-Z]{3}[0-9]{6}"],
        "the DNI number (8 digits and a letter) or the card's support number (3 letters and 6 digits)",
        "12345678Z",
    ),
    ("ES", "driving_licence"): ES_PERSONAL,
    ("ES", "residence_permit"): rule(
        ["[XYZ][0-9]{7}[A-Z]", "E[0-9]{8}"],
        "the NIE (X, Y or Z, 7 digits and a letter) or the card's support number (E and 8 digits)",
        "X1234567L",
    ),
    ("FR", "passport"): rule(
        ["[0-9]{2}[A-Z]{2}[0-9]{5}"], "9 characters: 2 digits, 2 letters and 5 digits", "18AB12345"
    ),
    ("FR", "id_card"): rule(
        ["[A-Z0-9]{9}", "[0-9]{4}[0-9A-Z]{3}[0-9]{5}"],
        "9 letters or digits (cards issued since 2021), or 12 characters (older cards)",
        "X4RTBPFW4",
    ),
    ("GB", "passport"): rule(["[0-9]{9}"], "9 digits", "533401372"),
    ("GB", "driving_licence"): rule(
        ["[A-Z9]{5}[0-9]{6}[A-Z9]{2}[0-9][A-Z0-9]{2}([0-9]{2})?", "[0-9]{8}"],
        "16 characters (5 from the surname, 6 digits, 2 initials, a digit and 2 check characters), "
        "optionally followed by the 2-digit issue number; or 8 digits (Northern Ireland)",
        "MORGA753116SM9IJ",
    ),
    ("GB", "residence_permit"): rule(
        ["[A-Z]{2}[A-Z0-9][0-9]{6}"],
        "9 characters: 2 letters, a letter or digit, and 6 digits",
        "ZU1234567",
    ),
    ("HK", "passport"): rule(["[A-Z]{1,2}[0-9]{7,8}"], "1 or 2 letters and 7 or 8 digits", "K12345678"),
    ("HK", "id_card"): HKID,
    ("HK", "driving_licence"): HKID,
    ("ID", "passport"): rule(["[A-Z]{1,2}[0-9]{7}"], "1 or 2 letters and 7 digits", "C1234567"),
    ("ID", "id_card"): rule(
        ["[0-9]{16}"], "the 16-digit population identity number (NIK)", "3171234567890001"
    ),
    ("IL", "id_card"): rule(["[0-9]{9}"], "the 9-digit identity number", "000000018"),
    ("IN", "passport"): rule(["[A-Z][0-9]{7}"], "a letter and 7 digits", "J8369854"),
    ("IT", "passport"): rule(["[A-Z]{2}[0-9]{7}"], "2 letters and 7 digits", "YA1234567"),
    ("IT", "id_card"): rule(
        ["[A-Z]{2}[0-9]{5}[A-Z]{2}"],
        "9 characters: 2 letters, 5 digits and 2 letters (electronic identity card, CIE)",
        "CA00000AA",
    ),
    ("JP", "passport"): rule(["[A-Z]{2}[0-9]{7}"], "2 letters and 7 digits", "TR1234567"),
    ("JP", "driving_licence"): rule(["[0-9]{12}"], "12 digits", "301234567890"),
    ("JP", "residence_permit"): rule(
        ["[A-Z]{2}[0-9]{8}[A-Z]{2}"], "12 characters: 2 letters, 8 digits and 2 letters", "AB12345678CD"
    ),
    ("KR", "passport"): rule(
        ["[A-Z][0-9]{8}", "[A-Z][0-9]{3}[A-Z][0-9]{4}"],
        "a letter and 8 digits, or (since 2021) a letter, 3 digits, a letter and 4 digits",
        "M123A4567",
    ),
    ("KR", "id_card"): rule(
        ["[0-9]{6}[1-4][0-9]{6}"], "the 13-digit resident registration number", "9001011234567"
    ),
    ("KR", "driving_licence"): rule(["[0-9]{12}"], "12 digits", "111234567890"),
    ("KR", "residence_permit"): rule(
        ["[0-9]{6}[5-8][0-9]{6}"], "the 13-digit foreign registration number", "9001015234567"
    ),
    ("MX", "passport"): rule(
        ["[A-Z][0-9]{8}", "[0-9]{10,11}"],
        "a letter and 8 digits, or 10 or 11 digits (older passports)",
        "G12345678",
    ),
    ("MX", "id_card"): rule(
        ["[A-Z]{6}[0-9]{8}[HM][0-9]{3}", "[0-9]{9}", "[0-9]{13}"],
        "the 18-character voter key (clave de elector), or the 9-digit CIC or 13-digit OCR number "
        "from the back",
        "GMVLMR80070501M100",
    ),
    ("MY", "passport"): rule(["[AHK][0-9]{8}"], "A, H or K and 8 digits", "A12345678"),
    ("MY", "id_card"): rule(["[0-9]{12}"], "the 12-digit MyKad number", "900101141234"),
    ("NG", "passport"): rule(["[A-Z][0-9]{8}"], "a letter and 8 digits", "A12345678"),
    ("NG", "id_card"): rule(
        ["[0-9]{11}"], "the 11-digit National Identification Number (NIN)", "12345678901"
    ),
    ("NG", "driving_licence"): rule(
        ["[A-Z]{3}[A-Z0-9]{9}"], "12 characters: 3 letters, then 9 letters or digits", "ABC12345AA12"
    ),
    ("NL", "passport"): NL_DOC,
    ("NL", "id_card"): NL_DOC,
    ("NL", "driving_licence"): rule(["[0-9]{10}"], "10 digits", "5123456789"),
    ("PE", "id_card"): rule(["[0-9]{8}"], "the 8-digit DNI number", "12345678"),
    ("PH", "passport"): rule(
        ["[A-Z][0-9]{7}[A-Z]", "[A-Z]{2}[0-9]{7}"],
        "a letter, 7 digits and a letter, or 2 letters and 7 digits (older passports)",
        "P1234567A",
    ),
    ("PH", "id_card"): rule(
        ["[0-9]{16}", "[0-9]{12}"],
        "the 16-digit PhilSys card number (PCN) or the 12-digit PhilSys number (PSN)",
        "1234567890123456",
    ),
    ("PH", "driving_licence"): rule(["[A-Z][0-9]{10}"], "a letter and 10 digits", "N0112345678"),
    ("PK", "passport"): rule(["[A-Z]{2}[0-9]{7}"], "2 letters and 7 digits", "AB1234567"),
    ("PK", "id_card"): rule(["[0-9]{13}"], "the 13-digit CNIC number", "3520212345671"),
    ("PL", "passport"): rule(["[A-Z]{2}[0-9]{7}"], "2 letters and 7 digits", "ZS0000177"),
    ("PL", "id_card"): rule(["[A-Z]{3}[0-9]{6}"], "3 letters and 6 digits", "ABA300000"),
    ("RU", "passport"): rule(["[0-9]{9}"], "9 digits", "751234567"),
    ("RU", "id_card"): rule(
        ["[0-9]{10}"],
        "10 digits: the 4-digit series and the 6-digit number of the internal passport",
        "4509123456",
    ),
    ("SE", "passport"): SE_DOC,
    ("SE", "id_card"): SE_DOC,
    ("SG", "passport"): rule(["[EK][0-9]{7}[A-Z]"], "E or K, 7 digits and a letter", "K1234567A"),
    ("SG", "id_card"): SG_NRIC_FIN,
    ("SG", "driving_licence"): SG_NRIC_FIN,
    ("SG", "residence_permit"): rule(
        ["[FGM][0-9]{7}[A-Z]"], "the FIN: F, G or M, 7 digits and a letter", "G1234567X"
    ),
    ("TH", "passport"): rule(["[A-Z]{1,2}[0-9]{6,7}"], "1 or 2 letters and 6 or 7 digits", "AA1234567"),
    ("TH", "id_card"): rule(["[0-9]{13}"], "the 13-digit identification number", "1101700207030"),
    ("TR", "passport"): rule(["[A-Z][0-9]{8}"], "a letter and 8 digits", "U12345678"),
    ("TR", "id_card"): rule(
        ["[1-9][0-9]{10}", "[A-Z][0-9]{2}[A-Z][0-9]{5}"],
        "the 11-digit identity number (T.C. Kimlik No), or the 9-character card serial number",
        "10000000146",
    ),
    ("TW", "passport"): rule(["[0-9]{9}"], "9 digits", "312345678"),
    ("TW", "id_card"): rule(["[A-Z][12][0-9]{8}"], "a letter, 1 or 2, and 8 digits", "A123456789"),
    ("TW", "driving_licence"): rule(
        ["[A-Z][12A-D89][0-9]{8}"],
        "the holder's ID or resident certificate number: a letter, then 1, 2, 8, 9 or A to D, then 8 digits",
        "A123456789",
    ),
    ("TW", "residence_permit"): rule(
        ["[A-Z][A-D89][0-9]{8}"], "a letter, then 8, 9 or A to D, then 8 digits", "A800000014"
    ),
    ("UA", "passport"): rule(["[A-Z]{2}[0-9]{6}"], "2 letters and 6 digits", "FA123456"),
    ("UA", "id_card"): UA_CARD,
    ("UA", "residence_permit"): UA_CARD,
    ("US", "passport"): rule(
        ["[0-9]{9}", "[A-Z][0-9]{8}"], "9 digits, or a letter and 8 digits", "A01234567"
    ),
    ("US", "driving_licence"): rule(
        ["[A-Z0-9]{4,16}"], "4 to 16 letters or digits (the format varies by state)", "D1234567"
    ),
    ("US", "residence_permit"): rule(
        ["[A-Z]{3}[0-9]{10}"], "the 13-character card number: 3 letters and 10 digits", "IOE0123456789"
    ),
    ("UY", "id_card"): rule(
        ["[0-9]{7,8}"], "the cédula number: 7 or 8 digits, check digit included", "12345672"
    ),
    ("VN", "passport"): rule(["[A-Z][0-9]{7,8}"], "a letter and 7 or 8 digits", "C1234567"),
    ("VN", "id_card"): rule(["[0-9]{12}"], "the 12-digit personal identification number", "001090012345"),
    ("ZA", "passport"): rule(
        ["[A-Z0-9][0-9]{8}"], "9 characters: a letter or digit, then 8 digits", "A12345678"
    ),
    ("ZA", "id_card"): rule(["[0-9]{13}"], "the 13-digit identity number", "8001015009087"),
}

CHECKS = [
    ("DE", "passport", "C01X00T47", True),
    ("DE", "id_card", "L01X00T47", True),
    ("DE", "id_card", "L01X00T48", True),
    ("DE", "id_card", "T22000129", True),
    ("DE", "id_card", "12345", False),
    ("DE", "id_card", "??", False),
    ("GB", "driving_licence", "MORGA753116SM9IJ35", True),
    ("GB", "driving_licence", "12345678", True),
    ("GB", "driving_licence", "MORGA753116SM9IJ3", False),
    ("US", "passport", "123456789", True),
    ("US", "passport", "12345678", False),
    ("CN", "id_card", "110105194912310021", True),
    ("FR", "id_card", "880692310285", True),
    ("ES", "residence_permit", "E12345678", True),
    ("NL", "passport", "SPOCI2014", False),
]
ABSENT = [("US", "id_card"), ("GB", "id_card"), ("CA", "id_card"), ("AU", "id_card"), ("IN", "id_card")]

SAFE_PATTERN = re.compile(r"[A-Z0-9^$\[\]{}()|?,-]+")


def name_of(country) -> str:
    return NAME_OVERRIDES.get(country.alpha_2) or getattr(country, "common_name", None) or country.name


def document(code: str, doc_type: str, back_side: bool, mrz, barcode=None, has_expiry=True) -> dict:
    return {
        "type": doc_type,
        "back_side": back_side,
        "has_expiry": has_expiry,
        "mrz": mrz,
        "barcode": barcode,
        "number": RULES.get((code, doc_type)),
    }


def documents_of(code: str) -> list[dict]:
    docs = [document(code, "passport", False, "td3")]
    if code in ID_CARD_TD1 or code in ID_CARD_NO_MRZ:
        docs.append(
            document(
                code,
                "id_card",
                code not in ID_CARD_BOOKLET,
                "td1" if code in ID_CARD_TD1 else None,
                "pdf417" if code in ID_CARD_PDF417 else None,
                code not in ID_CARD_NO_EXPIRY,
            )
        )
    if code not in NO_DRIVING_LICENCE:
        docs.append(
            document(code, "driving_licence", True, None, "pdf417" if code in DRIVING_LICENCE_PDF417 else None)
        )
    if code in RESIDENCE_TD1 or code in RESIDENCE_NO_MRZ:
        docs.append(document(code, "residence_permit", True, "td1" if code in RESIDENCE_TD1 else None))
    return docs


def build() -> dict:
    countries = []
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        countries.append(
            {
                "code": c.alpha_2,
                "alpha3": c.alpha_3,
                "name": name_of(c),
                "min_age": MIN_AGE.get(c.alpha_2, 18),
                "documents": documents_of(c.alpha_2),
            }
        )
    return {"version": VERSION, "default_number_rule": DEFAULT_RULE, "countries": countries}


def check_pattern(where: str, pattern: str) -> re.Pattern:
    assert SAFE_PATTERN.fullmatch(pattern) and "(?" not in pattern, f"{where}: unsupported syntax in {pattern}"
    for alt in pattern.split("|"):
        assert alt.startswith("^") and alt.endswith("$"), f"{where}: unanchored {pattern}"
    return re.compile(pattern)


def validate(data: dict) -> None:
    iso = {c.alpha_2 for c in pycountry.countries}
    sets = {
        "ID_CARD_TD1": ID_CARD_TD1, "ID_CARD_NO_MRZ": ID_CARD_NO_MRZ, "ID_CARD_BOOKLET": ID_CARD_BOOKLET,
        "ID_CARD_NO_EXPIRY": ID_CARD_NO_EXPIRY, "ID_CARD_PDF417": ID_CARD_PDF417,
        "RESIDENCE_TD1": RESIDENCE_TD1, "RESIDENCE_NO_MRZ": RESIDENCE_NO_MRZ,
        "NO_DRIVING_LICENCE": NO_DRIVING_LICENCE, "DRIVING_LICENCE_PDF417": DRIVING_LICENCE_PDF417,
        "NAME_OVERRIDES": set(NAME_OVERRIDES), "MIN_AGE": set(MIN_AGE), "RULES": {k[0] for k in RULES},
    }
    for label, members in sets.items():
        assert members <= iso, f"{label}: not ISO 3166-1: {sorted(members - iso)}"
    assert not ID_CARD_TD1 & ID_CARD_NO_MRZ, sorted(ID_CARD_TD1 & ID_CARD_NO_MRZ)
    assert not RESIDENCE_TD1 & RESIDENCE_NO_MRZ, sorted(RESIDENCE_TD1 & RESIDENCE_NO_MRZ)
    id_cards = ID_CARD_TD1 | ID_CARD_NO_MRZ
    for label in ("ID_CARD_BOOKLET", "ID_CARD_NO_EXPIRY", "ID_CARD_PDF417"):
        assert sets[label] <= id_cards, f"{label} lists countries without an id_card"

    check_pattern("default_number_rule", data["default_number_rule"]["pattern"])
    by_pattern: dict[str, re.Pattern] = {}
    compiled: dict[str, re.Pattern] = {}
    seen_codes, seen_alpha3 = set(), set()
    for country in data["countries"]:
        code = country["code"]
        assert re.fullmatch(r"[A-Z]{2}", code) and re.fullmatch(r"[A-Z]{3}", country["alpha3"]), code
        assert code not in seen_codes and country["alpha3"] not in seen_alpha3, f"duplicate {code}"
        seen_codes.add(code)
        seen_alpha3.add(country["alpha3"])
        assert country["name"] and 16 <= country["min_age"] <= 21, code
        types = [d["type"] for d in country["documents"]]
        assert len(types) == len(set(types)) and set(types) <= set(TYPES), f"{code}: {types}"
        assert types == sorted(types, key=TYPES.index), f"{code}: document order"
        docs = {d["type"]: d for d in country["documents"]}
        assert "passport" in docs and docs["passport"]["back_side"] is False, f"{code}: passport"
        assert docs["passport"]["mrz"] == "td3", f"{code}: passport mrz"
        for d in country["documents"]:
            where = f"{code} {d['type']}"
            assert d["mrz"] in (None, "td1", "td2", "td3"), where
            assert d["barcode"] in (None, "pdf417"), where
            assert isinstance(d["back_side"], bool) and isinstance(d["has_expiry"], bool), where
            rule = d["number"]
            if rule is None:
                continue
            assert set(rule) == {"pattern", "description", "example"}, where
            desc = rule["description"]
            assert desc and desc == desc.strip() and not desc.endswith("."), f"{where}: description"
            if rule["pattern"] not in by_pattern:
                by_pattern[rule["pattern"]] = check_pattern(where, rule["pattern"])
            rx = by_pattern[rule["pattern"]]
            example = rule["example"]
            assert example == re.sub(r"[ ./-]", "", example).upper(), f"{where}: example not normalised"
            assert rx.fullmatch(example) and rx.search(example), f"{where}: {example} does not match"
            compiled[where] = rx
    assert seen_codes == iso, "not every ISO 3166-1 entry is present"
    assert [c["code"] for c in data["countries"]] == sorted(seen_codes), "not sorted by code"
    for key in RULES:
        assert f"{key[0]} {key[1]}" in compiled, f"rule for a document the country does not have: {key}"

    default_rx = re.compile(data["default_number_rule"]["pattern"])
    for code, doc_type, number, expected in CHECKS:
        rx = compiled.get(f"{code} {doc_type}", default_rx)
        assert bool(rx.search(number)) == expected, f"check {code} {doc_type} {number} expected {expected}"
    by_code = {c["code"]: c for c in data["countries"]}
    for code, doc_type in ABSENT:
        assert all(d["type"] != doc_type for d in by_code[code]["documents"]), f"{code} must not list {doc_type}"


def render(data: dict) -> str:
    def dumps(value) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = [
        "{",
        f' "version": {dumps(data["version"])},',
        f' "default_number_rule": {dumps(data["default_number_rule"])},',
        ' "countries": [',
    ]
    countries = data["countries"]
    for i, country in enumerate(countries):
        head = {k: v for k, v in country.items() if k != "documents"}
        lines.append("  " + dumps(head)[:-1] + ', "documents": [')
        docs = country["documents"]
        for j, d in enumerate(docs):
            lines.append("   " + dumps(d) + ("," if j < len(docs) - 1 else ""))
        lines.append("  ]}" + ("," if i < len(countries) - 1 else ""))
    lines += [" ]", "}"]
    text = "\n".join(lines) + "\n"
    assert json.loads(text) == data, "rendering changed the data"
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed file is not up to date")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()

    data = build()
    validate(data)
    text = render(data)

    countries = data["countries"]
    per_type = {t: sum(1 for c in countries for d in c["documents"] if d["type"] == t) for t in TYPES}
    precise = sum(1 for c in countries if any(d["number"] for d in c["documents"]))
    precise_docs = sum(1 for c in countries for d in c["documents"] if d["number"])
    print(f"pycountry {getattr(pycountry, '__version__', '?')}, version {VERSION}")
    print(f"countries: {len(countries)}")
    print("documents: " + ", ".join(f"{t} {n}" for t, n in per_type.items()) + f" (total {sum(per_type.values())})")
    print(f"precise number rules: {precise_docs} documents in {precise} countries")
    print(f"size: {len(text.encode())} bytes")

    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date: run scripts/gen-countries.py", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
