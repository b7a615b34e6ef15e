"""The written statements that 42 CFR Part 2 requires on consents and disclosures.

Sources (2024 rule, 89 FR 12472; compliance required by 16 Feb 2026), checked as recorded in
/tmp/part2_verified.md and ../shared/research/clinical.md 6.1:
- 42 CFR 2.32(a)(1) Statement 1: the opening and first part read on a public CFR mirror
  (https://compliancecosmos.org/notice-and-copy-consent-accompany-disclosure); the remainder read word
  for word in the 2024-text mirror Rote-Compliance/rote-compliance-skills,
  skills/part-2-self-check/references/redisclosure.md, which matches the public page where they overlap.
- 42 CFR 2.32(a)(2) Statement 2: same repository mirror.
- 42 CFR 2.31(a)(6), (a)(10) and (a)(4)(iii): the default wording offered on the consent form is ours,
  written to carry each element the regulation names; the regulation prescribes the content, not the
  words. A human should compare the statutory text with https://www.ecfr.gov/current/title-42/part-2
  before relying on any of this legally.

The statutory statements are legal text: they are deliberately NOT marked for translation, so the
English text that was verified is what goes out. A translated copy can be attached next to it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

# Stored with every disclosure, so a later change of wording never rewrites what was sent.
NOTICE_VERSION = "2024"

# 42 CFR 2.32(a)(1), as amended in 2024.
STATEMENT_1 = (
    "This record which has been disclosed to you is protected by Federal confidentiality rules "
    "(42 CFR part 2). These rules prohibit you from using or disclosing this record, or testimony "
    "that describes the information contained in this record, in any civil, criminal, "
    "administrative, or legislative proceedings by any Federal, State, or local authority, against "
    "the patient, unless authorized by the consent of the patient, except as provided at 42 CFR "
    "2.12(c)(5) or as authorized by a court in accordance with 42 CFR 2.64 or 2.65. In addition, the "
    "Federal rules prohibit you from making any other use or disclosure of this record unless at "
    "least one of the following applies:\n"
    "(i) Further use or disclosure is expressly permitted by the written consent of the individual "
    "whose information is being disclosed in this record or as otherwise permitted by 42 CFR part 2.\n"
    "(ii) You are a covered entity or business associate and have received the record for "
    "treatment, payment, or health care operations, or\n"
    "(iii) You have received the record from a covered entity or business associate as permitted "
    "by 45 CFR part 164, subparts A and E.\n"
    "A general authorization for the release of medical or other information is NOT sufficient to "
    "meet the required elements of written consent to further use or redisclose the record (see 42 "
    "CFR 2.31)."
)

# 42 CFR 2.32(a)(2), as amended in 2024 (the 2018 text lacked "use or").
STATEMENT_2 = "42 CFR part 2 prohibits unauthorized use or disclosure of these records."

NOTICES = {NOTICE_VERSION: STATEMENT_1}

# Default wording offered on the consent form (editable there); see the module docstring.
DEFAULT_REVOCATION_STATEMENT = _(
    "You may revoke this consent at any time, in writing, except to the extent that the program or "
    "another lawful holder of your information has already acted in reliance on it. To revoke it, "
    "give or send a signed, dated note saying so to your practitioner or to the program's front "
    "desk (a letter, a signed form, or a message through the client portal)."
)

# 42 CFR 2.31(a)(10)(i), with (a)(4)(iii) for covered-entity recipients.
DEFAULT_REDISCLOSURE_STATEMENT = _(
    "Records used or disclosed under this consent may be redisclosed by the recipient and may then "
    "no longer be protected by 42 CFR part 2. If the recipient is a covered entity or business "
    "associate receiving the records for treatment, payment, or health care operations, the records "
    "may be redisclosed in accordance with the HIPAA regulations, except for uses and disclosures "
    "for civil, criminal, administrative, and legislative proceedings against you."
)

# 42 CFR 2.31(a)(10)(ii): only "the consequences to the patient of a refusal to sign the consent".
DEFAULT_REFUSAL_CONSEQUENCES_STATEMENT = _(
    "If you do not sign this consent, the program will not share your records with your other "
    "treating providers, health plans or payers on your behalf."
)


def revocation_statement(agency: str = "") -> str:
    """The default revocation wording, naming the agency where one is configured."""
    if not agency:
        return str(DEFAULT_REVOCATION_STATEMENT)
    return _g(
        "You may revoke this consent at any time, in writing, except to the extent that "
        "%(agency)s or another lawful holder of your information has already acted in reliance on "
        "it. To revoke it, give or send a signed, dated note saying so to your practitioner or to "
        "the front desk of %(agency)s (a letter, a signed form, or a message through the client "
        "portal).") % {"agency": agency}


def refusal_consequences_statement(agency: str = "") -> str:
    """The default wording of 2.31(a)(10)(ii), naming the agency where one is configured."""
    if not agency:
        return str(DEFAULT_REFUSAL_CONSEQUENCES_STATEMENT)
    return _g(
        "If you do not sign this consent, %(agency)s will not share your records with your other "
        "treating providers, health plans or payers on your behalf.") % {"agency": agency}
