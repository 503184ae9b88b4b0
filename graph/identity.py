"""How a person is written down: names, e-mail addresses and GitHub logins, folded so that spellings compare.

Shared vocabulary of ``ingest`` (which resolves identities into people) and
``queries`` (which looks people up by what a user types): nothing here knows
about git or about the graph.
"""

from __future__ import annotations

import re
import unicodedata

#: Names that many different people use; never merged by name.
PLACEHOLDER_NAMES = frozenset({
    "", "root", "unknown", "admin", "administrator", "user", "ubuntu", "ec2user", "vagrant", "git", "github",
    "none", "null", "nobody", "localhost", "test", "your name", "yourname", "name", "me", "dev", "developer",
})

NOREPLY_RE = re.compile(r"^(?:\d+\+)?([^@+]+)@users\.noreply\.github\.com$", re.IGNORECASE)


def normalise_email(email: str) -> str:
    return email.strip().strip("<>").strip().lower()


def github_login(email: str) -> str | None:
    """The GitHub login behind a noreply address, lower-cased; None for any other address."""
    match = NOREPLY_RE.match(email.strip())
    return match.group(1).lower() if match else None


#: Letters that Unicode does not decompose into a base letter and a mark, folded by hand (NFKD leaves "ł" alone).
_FOLD = str.maketrans({
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ß": "ss", "ẞ": "SS",
    "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH", "ı": "i", "ħ": "h", "Ħ": "H",
    "ŀ": "l", "Ŀ": "L", "ŧ": "t", "Ŧ": "T", "ƒ": "f", "ŋ": "n", "Ŋ": "N", "ĸ": "k",
})


def normalise_name(name: str) -> str:
    """Case, diacritics, punctuation and spacing folded away: "José  O'Neil" -> "jose o neil",
    "Bartłomiej Płotka" -> "bartlomiej plotka"."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_FOLD))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = re.findall(r"\w+", stripped.casefold().translate(_FOLD))
    return " ".join(words)
