"""Everything a user sees is translated: the Russian catalog covers every message in the
code and templates, with no fuzzy or empty entries."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "comarketing" / "translations" / "ru" / "LC_MESSAGES" / "messages.po"


def extracted_messages(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [Path(sys.executable).parent / "pybabel", "-q", "extract", "--ignore-dirs=.* .venv",
         "-F", "babel.cfg",
         "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with pot.open("rb") as handle:
        return {message.id for message in read_po(handle) if message.id}


def test_russian_catalog_is_complete(tmp_path):
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="ru")
    translated = {
        message.id: message
        for message in catalog
        if message.id and message.string and "fuzzy" not in message.flags
    }
    missing = sorted(extracted_messages(tmp_path) - set(translated), key=str)
    assert missing == [], "untranslated: run `make extract-messages` and translate these"


def test_russian_catalog_has_no_fuzzy_or_empty_entries():
    """Also entries no longer in the code (a fuzzy one is shown untranslated once its message
    comes back) and every plural form (a plural with one empty form passes the test above)."""
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="ru")
    fuzzy = sorted(str(message.id) for message in catalog if message.id and message.fuzzy)
    assert fuzzy == [], "fuzzy: check these translations and remove the fuzzy flag"
    empty = sorted(
        str(message.id)
        for message in catalog
        if message.id
        and not all(message.string if isinstance(message.string, tuple) else [message.string])
    )
    assert empty == [], "untranslated: translate these (every plural form)"
