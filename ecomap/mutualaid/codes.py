"""Meeting type codes: the Meeting Guide specification's vocabulary and each program's own.

Type codes belong to a fellowship ("program"), not to the world: AA's `S` is Spanish while ACA's
`S` is Speaker, AA's `POA` is Proof of Attendance while Al-Anon's is Parents of Alcoholics. A feed is
therefore imported *as* a fellowship, whose `program` names the vocabulary here.

Sources:
- SPEC_TYPES, LANGUAGE_TYPES: code4recovery/spec `data/types.json` @ 404117ad (87 codes), as tabled in
  shared/research/meetings.md section 1.4.
- LEGACY_TYPES: `ONL` (spec 2020-2022, removed by commit 1b4b3bd; still sent) and `NS`.
- PROGRAM_TYPES["al-anon"]: code4recovery/12-step-meeting-list `includes/variables.php`
  ($tsml_programs['al-anon']['types']).
- NA_WORLD_IDS and BMLT_TO_SPEC: bmlt-enabled/bmlt-server
  `src/database/migrations/1902_01_01_000000_create_initial_schema.php` (default formats) and
  `src/app/Http/Resources/Query/TsmlMeetingResource.php` (world id -> spec code).
- CONFERENCE_PROVIDERS: TSML `$tsml_conference_providers`.
"""

from __future__ import annotations

from functools import cache

from django.utils.translation import gettext_lazy as _

SPEC_TYPES = {
    "11": _("11th Step Meditation"), "12x12": _("12 Steps & 12 Traditions"), "A": _("Secular"),
    "ABSI": _("As Bill Sees It"), "AL": _("Concurrent with Alateen"),
    "AL-AN": _("Concurrent with Al-Anon"), "ASL": _("American Sign Language"), "B": _("Big Book"),
    "BA": _("Babysitting Available"), "BE": _("Newcomer"), "BI": _("Bisexual"),
    "BRK": _("Breakfast"), "C": _("Closed"), "CAN": _("Candlelight"), "CF": _("Child-Friendly"),
    "D": _("Discussion"), "DB": _("Digital Basket"), "DD": _("Dual Diagnosis"),
    "DR": _("Daily Reflections"), "FF": _("Fragrance Free"), "G": _("Gay"), "GR": _("Grapevine"),
    "H": _("Birthday"), "L": _("Lesbian"), "LGBTQ": _("LGBTQ"), "LIT": _("Literature"),
    "LS": _("Living Sober"), "M": _("Men"), "MED": _("Meditation"), "N": _("Native American"),
    "NB": _("Non-Binary"), "NDG": _("Indigenous"), "O": _("Open"), "OUT": _("Outdoor"),
    "P": _("Professionals"), "POA": _("Proof of Attendance"), "POC": _("People of Color"),
    "SEN": _("Seniors"), "SM": _("Smoking Permitted"), "SP": _("Speaker"), "ST": _("Step Study"),
    "T": _("Transgender"), "TC": _("Location Temporarily Closed"), "TR": _("Tradition Study"),
    "W": _("Women"), "X": _("Wheelchair Access"), "XB": _("Wheelchair-Accessible Bathroom"),
    "XT": _("Cross Talk Permitted"), "Y": _("Young People"),
}
LANGUAGE_TYPES = {
    "AF": _("Afrikaans"), "AM": _("Amharic"), "AR": _("Arabic"), "BG": _("Bulgarian"),
    "DA": _("Danish"), "DE": _("German"), "EL": _("Greek"), "EN": _("English"), "FA": _("Persian"),
    "FI": _("Finnish"), "FR": _("French"), "HE": _("Hebrew"), "HI": _("Hindi"), "HR": _("Croatian"),
    "HU": _("Hungarian"), "IS": _("Icelandic"), "ITA": _("Italian"), "JA": _("Japanese"),
    "KA": _("Georgian"), "KOR": _("Korean"), "LT": _("Lithuanian"), "ML": _("Malayalam"),
    "MT": _("Maltese"), "NE": _("Nepali"), "NL": _("Dutch"), "NO": _("Norwegian"),
    "POL": _("Polish"), "POR": _("Portuguese"), "PUN": _("Punjabi"), "RUS": _("Russian"),
    "S": _("Spanish"), "SK": _("Slovak"), "SL": _("Slovenian"), "SV": _("Swedish"), "TH": _("Thai"),
    "TL": _("Tagalog"), "TUR": _("Turkish"), "UK": _("Ukrainian"),
}
# Codes outside the spec's table that real feeds still send. ONL is never stored as sent: it is
# derived from the conference fields (TSML's rule), see feeds.common.attendance().
LEGACY_TYPES = {"ONL": _("Online Meeting"), "NS": _("Non-Smoking")}
ONLINE = "ONL"
TEMPORARILY_CLOSED = "TC"

# ISO 639-1 (BMLT's lang_enum) -> the spec's language code.
ISO_LANGUAGES = {
    "af": "AF", "am": "AM", "ar": "AR", "bg": "BG", "da": "DA", "de": "DE", "el": "EL", "en": "EN",
    "fa": "FA", "fi": "FI", "fr": "FR", "he": "HE", "hi": "HI", "hr": "HR", "hu": "HU", "is": "IS",
    "it": "ITA", "ja": "JA", "ka": "KA", "ko": "KOR", "lt": "LT", "ml": "ML", "mt": "MT",
    "ne": "NE", "nl": "NL", "no": "NO", "pl": "POL", "pt": "POR", "pa": "PUN", "ru": "RUS",
    "es": "S", "sk": "SK", "sl": "SL", "sv": "SV", "th": "TH", "tl": "TL", "tr": "TUR", "uk": "UK",
}

# NA's world ids (BMLT default formats) that have no spec counterpart: kept as NA program codes.
NA_WORLD_IDS = {
    "BT": _("Basic Text"), "CH": _("Closed Holidays"), "CPT": _("Concepts"),
    "CW": _("Children Welcome"), "GP": _("Guiding Principles"), "HYBR": _("Hybrid"),
    "IP": _("Informational Pamphlet"), "IW": _("It Works How and Why"), "JFT": _("Just for Today"),
    "LC": _("Living Clean"), "NC": _("No Children"), "NS": _("No Smoking"),
    "QA": _("Question and Answer"), "RA": _("Restricted Attendance"),
    "SPAD": _("A Spiritual Principle a Day"), "SMOK": _("Smoking"), "SWG": _("Step Working Guide"),
    "TOP": _("Topic"), "VAR": _("Rotating Format"), "VM": _("Virtual Meeting"),
}
# BMLT world id -> spec code (TsmlMeetingResource plus the mapping in research section 3.1).
BMLT_TO_SPEC = {
    "CLOSED": "C", "OPEN": "O", "WCHR": "X", "M": "M", "W": "W", "Y": "Y", "TC": "TC",
    "MED": "MED", "CAN": "CAN", "LIT": "LIT", "BEG": "BE", "DISC": "D", "SPK": "SP", "S-D": "SP",
    "STEP": "ST", "TRAD": "TR", "GL": "LGBTQ",
}
# LANG formats carry the language in their key (BMLT default keys).
BMLT_LANGUAGE_KEYS = {"ES": "S", "ENG": "EN", "FIN": "FI", "PER": "FA"}
# Formats without a world id, recognised by their English name (reported as such).
BMLT_BY_NAME = {"agnostic": "A", "asl": "ASL"}

PROGRAM_TYPES = {
    # Al-Anon's own meanings (TSML); codes not listed fall back to the spec's.
    "al-anon": {
        "AC": _("Adult Child Focus"), "Y": _("Alateen"), "A": _("Atheist / Agnostic"),
        "AA": _("Concurrent with AA Meeting"), "AL": _("Concurrent with Alateen Meeting"),
        "O": _("Families, Friends and Observers Welcome"), "C": _("Families and Friends Only"),
        "LGBTQIA": _("LGBTQIA+"), "POA": _("Parents of Alcoholics"), "ST": _("Step Meeting"),
        "YA": _("Young Adults"), "BE": _("Beginner"), "X": _("Wheelchair Accessible"),
    },
    "na": dict(NA_WORLD_IDS),
}

# TSML's legacy and full names that map to codes (case-insensitive), besides the spec's names.
TYPE_NAME_ALIASES = {
    "sign language": "ASL", "outdoor meeting": "OUT", "step meeting": "ST",
    "wheelchair accessible": "X", "online meeting": ONLINE, "online": ONLINE, "beginners": "BE",
    "beginner": "BE", "newcomers": "BE", "speaker meeting": "SP",
}

CONFERENCE_PROVIDERS = {
    "bluejeans.com": "Bluejeans", "discord.gg": "Discord", "freeconference.com": "Free Conference",
    "freeconferencecall.com": "FreeConferenceCall", "goto.com": "GoTo", "gotomeet.me": "GoTo",
    "gotomeeting.com": "GoTo", "horizon.meta.com": "Virtual Reality",
    "maps.secondlife.com": "Virtual Reality", "meet.google.com": "Google Meet",
    "meet.jit.si": "Jitsi", "meetings.dialpad.com": "Dialpad", "signal.group": "Signal",
    "skype.com": "Skype", "slurl.com": "Virtual Reality", "teams.live.com": "Teams",
    "teams.microsoft.com": "Teams", "vrchat.com": "Virtual Reality", "webex.com": "WebEx",
    "zoho.com": "Zoho", "zoom.us": "Zoom",
}


def vocabulary(program: str) -> dict:
    """Code -> label for a program: the spec's codes and languages, overridden by the program's."""
    return {**SPEC_TYPES, **LANGUAGE_TYPES, **PROGRAM_TYPES.get(program, {})}


@cache
def known_codes(program: str) -> tuple[frozenset[str], dict[str, str]]:
    """(the codes a program knows, legacy ones included; upper-cased code -> code)."""
    known = frozenset(vocabulary(program)) | frozenset(LEGACY_TYPES)
    return known, {code.upper(): code for code in known}


def label(code: str, program: str = "") -> str:
    return str(vocabulary(program).get(code) or LEGACY_TYPES.get(code) or code)


@cache
def names_to_codes(program: str) -> dict[str, str]:
    """Lower-cased English names (and TSML's legacy names) -> code, for feeds that send names."""
    from django.utils.translation import override

    with override("en"):
        mapping = {str(name).casefold(): code for code, name in vocabulary(program).items()}
    return {**mapping, **TYPE_NAME_ALIASES}
