"""Which components a decision governs.

Explicit front matter ``components:`` (score 1.0) is read with the record;
otherwise ``infer_components`` reads the text. Inference signals and their
weights, combined as a noisy-or (1 − Π(1 − wᵢ)): a path below the component
or one of its modules named (``shop/billing/…``, ``shop.billing.invoices``, not a host such as ``docs.deno.com``,
or a relative link to such a path, ``[writer](../../shop/billing/w.py)``;
a folder of two segments or more also as itself, ``pkg/query``) 0.9, unless
another component's folder inside it holds that path (jaeger's
``internal/storage/…`` is ``storage``'s, not ``internal``'s); its package's
name (``ingest.package_names``: hermes' "ibc-relayer" for ``crates/relayer``,
also as Rust writes it in code, ``ibc_relayer``) 0.9 when it is no plain word
(it holds a ``-``, ``_``, ``.``, ``/`` or ``@``); a type named in code
(``SymbolFiles``: an UpperCamelCase span of two words or more, hermes'
`ChainHandle`, that names source files of one component only:
``chain/handle.rs``, ``ChainHandle.java``, ``chain_handle.go``) 0.6; the
component name in the title, or its singular when it is a plural (Vector's "AWS S3 source" is ``sources``',
scrapy's "Spider name" ``spiders``') 0.7; the name as an inline code span 0.6; the name in prose 0.3 for the first mention plus 0.05 per further mention,
at most 0.5. A decision governs a component when the score reaches 0.5
(``INFERENCE_THRESHOLD``): prose alone takes five mentions (on Thanos, cometbft,
course-discovery, jaeger and ibc-go the records naming a component three or
four times and nowhere else were mostly not about it: "server", "metadata",
"config" in passing; those naming it five times or more mostly were); names shorter than three characters are only
matched as paths or modules. A record kept inside a component's own folder
(log4brains' per-package ``packages/web/docs/adr/…``) governs that component,
the innermost one if several hold it (0.9), unless the component is a
documentation folder itself (``docs/**``: the repository's decisions all live
there, and it is no part they decide about). A name more than half of four or
more records use (``ubiquitous_names``: the product's own name, as
openedx/credentials' ``credentials`` package) is no evidence in prose (in
a title it is: cometbft's "Consensus Refactor"); as a path, a module, a code
span or the record's folder it still is. The repository's own name
(cometbft's program ``cmd/cometbft``: "CometBFT" is the product; a program named
as its first word, celestia-node's ``cmd/celestia``; React Router's package ``react-router``) is evidence
only so too, not in a title or prose, its package's name only in code; so is a name that is an ordinary word (``PLAIN_WORD_NAMES``: jaeger's ``internal``
in "Internal Tracing", a ``common`` in "a common case"); a name that is a word of prose (``PROSE_WORD_NAMES``:
"api", "config") is evidence in a title, not in prose. A name the record calls a repository ("the registry
repository", "the registry's GitHub repository") is that other repository's in its title and prose: OpenTofu's
registry RFCs are about its registry's own repository, not ``internal/registry`` (as a path, a module or code it
still counts).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterable, Mapping, Sequence

from cairn.graph.testcode import is_test_file
from cairn.ingest.adrs.discovery import names_decision_folder
from cairn.ingest.adrs.records import ComponentLink, Decision

INFERENCE_THRESHOLD = 0.5
#: At most this many paths a decision mentions are kept (``mentioned_paths``).
MAX_MENTIONS = 50
#: A component name more than this share of the records use is no evidence of which one a record decides about.
UBIQUITOUS_SHARE = 0.5
UBIQUITOUS_MIN_RECORDS = 4
#: Component names that are ordinary words of a record's prose ("internal tracing", "a common case", "the main
#: reason", Thanos' "Adding a New Thanos Component" beside its pkg/component): evidence only as a path, a module or
#: code, as a ubiquitous name. (React Router's "scripts and code outside of app code" named no part of its ``scripts/``.)
PLAIN_WORD_NAMES = frozenset({"internal", "cmd", "src", "lib", "pkg", "main", "common", "util", "utils", "tools",
                              "component", "components", "info", "status", "scripts", "examples", "tests", "test",
                              "build"})

#: Component names that are words records use for something else in their prose, however often, but mean the part when
#: a title names it: Vector's "Automatically Adjust Request Limits" says "conditions" eight times (network conditions),
#: its "Kubernetes Integration" "API" 25 times (Kubernetes') and "config" 16 times, while its "GraphQL API", "Reload
#: API" and "Parse-First Config Interpolation" are about ``src/api`` and ``src/config``; Kueue's "version".
PROSE_WORD_NAMES = frozenset({"api", "config", "conditions", "version"})


def product_components(components: dict[str, list[str]], product: Sequence[str]) -> frozenset[str]:
    """The components named as the repository (``product``: its names): cometbft's program ``cmd/cometbft``, which a
    third of its records name, in prose and titles, every time for the product; and a program (a component in a
    ``cmd/`` folder) named as the first word of one of those names: celestia-node's ``cmd/celestia``, while its
    records' "Celestia Node" and "Celestia Core" are the products; flux2's ``cmd/flux``, named without the version."""
    named = {p.lower() for p in product}
    # (and without a version's digits: flux2's program is cmd/flux)
    firsts = {re.split(r"[-_.]", p, maxsplit=1)[0] for p in named}
    first_words = {word for first in firsts for word in (first, first.rstrip("0123456789")) if len(word) >= 4}
    return frozenset(name for name in components if name.lower() in named or name.lower() in first_words and all(
        path.startswith("cmd/") or "/cmd/" in path for path in components[name]))


def ubiquitous_names(decisions: list[Decision], components: dict[str, list[str]]) -> frozenset[str]:
    """The components whose name more than half of the records use (``UBIQUITOUS_SHARE``, four records or more): the
    product's own name, such as openedx/credentials' ``credentials`` package, which every record mentions, or its
    heart (cometbft's ``consensus``)."""
    if len(decisions) < UBIQUITOUS_MIN_RECORDS:
        return frozenset()
    texts = [(d.title + "\n" + d.text).lower() for d in decisions]
    out = set()
    enough = UBIQUITOUS_SHARE * len(texts)
    for name in components:
        lname = name.lower()
        if len(lname) >= 3:
            holding = [t for t in texts if lname in t]  # (a word search can match only there)
            if len(holding) > enough:  # else no pattern is compiled: most names are in few records
                word = _word_pattern(lname)
                if sum(1 for t in holding if word.search(t)) > enough:
                    out.add(name)
    return frozenset(out)


#: A code span that names a type: UpperCamelCase of two words or more (`ChainHandle`, `HTTPServer`), maybe called.
_TYPE_NAME = re.compile(r"^((?:[A-Z][a-z0-9]+|[A-Z]+(?=[A-Z][a-z]))(?:[A-Z][a-z0-9]+|[A-Z]+(?=[A-Z][a-z]|\(|$)){1,5})(?:\(\))?$")
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z]|$)|[A-Z][a-z0-9]*")
_STEM = re.compile(r"^(?:.*/)?([^/]+)/([^/.]+)\.[^/]+$")


class SymbolFiles:
    """Which components hold a source file named for a type: ``ChainHandle`` is ``…/chain/handle.rs`` (its words as a
    folder and a file), ``ChainHandle.java``, ``chain_handle.go`` or ``chain-handle.ts`` (its words as one file's name,
    any case, ``_`` or ``-`` between them or none). Test code is left out: cometbft's fuzz test
    ``test/fuzz/mempool/checktx.go`` is not where ABCI's `CheckTx` is decided."""

    def __init__(self, files: Iterable[tuple[str, str]]):
        """``files``: (path, component) of every source file in a component."""
        self._components: dict[str, set[str]] = {}
        self._files: dict[str, str] = {}
        self._named: dict[str, tuple[str, str] | None] = {}  # (a record's spans are asked twice: links, mentions)
        for path, component in files:
            if is_test_file(path):
                continue
            match = _STEM.match(path)
            folder, stem = (match.group(1), match.group(2)) if match else ("", path.rpartition("/")[2].partition(".")[0])
            for key in {_squashed(stem), _squashed(folder) + "/" + _squashed(stem)}:
                self._components.setdefault(key, set()).add(component)
                # the first path in order, whatever order the files come in (a cold and an incremental ingest agree)
                self._files[key] = min(path, self._files.get(key, path))

    def digest(self) -> list[list[Any]]:
        """What the index holds (each key's components and the file it names), for a cache key."""
        return sorted([key, sorted(names), self._files[key]] for key, names in self._components.items())

    def named(self, span: str) -> tuple[str, str] | None:
        """(component, a file) the type ``span`` names, if it is a type name whose files are all in one component."""
        if span not in self._named:
            self._named[span] = self._look_up(span)
        return self._named[span]

    def _look_up(self, span: str) -> tuple[str, str] | None:
        match = _TYPE_NAME.match(span)
        if match is None:
            return None
        words = [w.lower() for w in _WORD.findall(match.group(1))]
        found: set[str] = set()
        file = None
        for key in {"".join(words), "".join(words[:-1]) + "/" + words[-1]}:
            if key in self._components:
                found |= self._components[key]
                file = file or self._files[key]
        return (next(iter(found)), file) if len(found) == 1 and file else None


def named_type(span: str) -> bool:
    """Whether the code span ``span`` names a type (UpperCamelCase of two words or more)."""
    return _TYPE_NAME.match(span) is not None


def _squashed(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()


def infer_components(decision: Decision, components: dict[str, list[str]],
                     ubiquitous: frozenset[str] = frozenset(),
                     inner: dict[str, list[str]] | None = None,
                     product: frozenset[str] = frozenset(),
                     packages: Mapping[str, str] | None = None,
                     symbols: SymbolFiles | None = None) -> list[ComponentLink]:
    """Components a decision's text points at, scored as described in the module docstring (``packages``: component
    name -> its package's name; ``symbols``: the files named for types); the names in
    ``ubiquitous`` (``ubiquitous_names``) count only in the title, as paths, modules, code or the record's folder,
    those in ``product`` (``product_components``) only as paths, modules, code or the record's folder. ``inner``:
    ``inner_prefixes(components)``, when the caller reads several records against the same components."""
    links = []
    low = _searched_text(decision)
    title = decision.title.lower()
    spans = [s.lower() for s in decision.code_spans]
    keeper, kept_in = _keeping_component(decision.path, components)
    typed: dict[str, str] = {}  # component -> the first type span naming its files, and the file
    for span in decision.code_spans if symbols is not None else ():
        hit = symbols.named(span)
        if hit is not None and hit[0] not in typed:
            typed[hit[0]] = f"`{span}` is {hit[1]}"
    inner = inner_prefixes(components) if inner is None else inner
    # (the product before a name is no other part: "`thanos receive`" is receive)
    names = frozenset(n.lower() for n in components if len(n) >= 3 and n not in product)
    for name, globs in sorted(components.items()):
        weights: list[float] = []
        evidence: list[str] = []
        if name == keeper:
            weights.append(0.9)
            evidence.append(f"kept in {kept_in}/")
        for prefix in _literal_prefixes(globs):
            lprefix = prefix.lower()
            lprefix_dotted = lprefix.replace("/", ".")
            if lprefix not in low and lprefix_dotted not in low:
                continue  # neither pattern can match (the substring test is far cheaper than the search)
            path_pattern, module_pattern = _prefix_patterns(lprefix)
            hit = _own_hit(path_pattern, low, inner.get(lprefix, ()), "/") or _own_hit(
                module_pattern, low, [q.replace("/", ".") for q in inner.get(lprefix, ())], ".")
            if hit:
                weights.append(0.9)
                evidence.append(f"mentions {hit}")
                break
        if name in typed:
            weights.append(0.6)
            evidence.append(typed[name])
        package = (packages or {}).get(name)
        # (the product's package in prose is the product: React Router's "Remix and React-Router" in its Linear workflow)
        if package and (mention := _package_mention(package, low if name not in product else "\n".join(spans))):
            weights.append(0.9)
            evidence.append(f"names its package {mention}")
        lname = name.lower()
        if len(lname) >= 3:
            other = _other_number(lname)
            in_title = lname in title or other in title
            prose = name not in product and lname not in PLAIN_WORD_NAMES and (lname in low or in_title)  # else no search can (or may) match
            # (the record calls the name a repository of its own: OpenTofu's registry RFCs, "the registry repository")
            prose = prose and not _repository_pattern(lname).search(low)
            word = _word_pattern(lname) if prose else None
            if prose and in_title and _title_pattern(lname, other).search(title):
                weights.append(0.7)
                evidence.append("named in the title")
            if name in ubiquitous:  # (named in most records: the title says which it is about, the prose does not)
                word = None
            below = [q for prefix in _literal_prefixes(globs) for q in inner.get(prefix.lower(), ())]
            # (the product's bare name in code is the product, or its command: crossplane's `crossplane`)
            if any((s == lname and name not in product or s.startswith(lname + ".") and not _FILE_NAME.match(s)
                    or s.startswith(lname + "/"))
                   and not any(s.startswith(q + "/") for q in below) for s in spans):
                weights.append(0.6)
                evidence.append(f"`{name}` in code")
            mentions = _own_mentions(word, low, names) if word is not None and lname not in PROSE_WORD_NAMES else 0
            if mentions:
                weights.append(min(0.3 + 0.05 * (mentions - 1), 0.5))
                evidence.append(f"named {mentions}× in the text")
        score = 1.0
        for w in weights:
            score *= 1 - w
        score = round(1 - score, 2)
        if score >= INFERENCE_THRESHOLD:
            links.append(ComponentLink(name, inferred=True, score=score, evidence=evidence))
    return links


def _package_mention(package: str, low: str) -> str | None:
    """How the (lower-case) text ``low`` names the package ``package`` (as it is, or with ``_`` for ``-``, as Rust's
    code names a crate), if it does and the name is no plain word; else None."""
    name = package.lower()
    if not _PACKAGE_MARKS.search(name):
        return None
    for form in dict.fromkeys((name, name.replace("-", "_"))):
        if form in low and _package_pattern(form).search(low):
            return form
    return None


_PACKAGE_MARKS = re.compile(r"[-_./@]")


@lru_cache(maxsize=4096)
def _package_pattern(name: str) -> re.Pattern[str]:
    """A package's name as a whole token: not part of a longer name (``ibc-relayer`` in ``ibc-relayer-cli``)."""
    literal = re.escape(name)
    return re.compile(literal + r"(?<![\w@./-]" + literal + r")(?![\w-]|[./]\w)")


def mentioned_paths(decision: Decision, components: dict[str, list[str]], symbols: SymbolFiles | None = None) -> list[str]:
    """The repository paths (lower-case) below some component that the decision's text and links name, as paths
    (``shop/billing/w.py``) or dotted modules (``shop.billing.invoices`` is ``shop/billing/invoices``), and the
    files named for the types it names in code (``symbols``: hermes' `ChainHandle` is
    ``crates/relayer/src/chain/handle.rs``): the mentions that make its inferred component links, all of them, sorted,
    at most ``MAX_MENTIONS``."""
    low = _searched_text(decision)
    found: set[str] = set()
    for span in decision.code_spans if symbols is not None else ():
        hit = symbols.named(span)
        if hit is not None:
            found.add(hit[1].lower())
    for prefix in sorted({p.lower() for globs in components.values() for p in _literal_prefixes(globs)}):
        dotted = prefix.replace("/", ".")
        if prefix not in low and dotted not in low:
            continue
        path_pattern, module_pattern = _prefix_patterns(prefix)
        for match in path_pattern.finditer(low):
            found.add(match.group(0).split("*", 1)[0].rstrip("/."))
        for match in module_pattern.finditer(low):
            found.add(match.group(0).replace(".", "/"))
    return sorted(found)[:MAX_MENTIONS]


def _searched_text(decision: Decision) -> str:
    """A decision's text (lower-case) with the code its links point at, each path on a line of its own (no prose can
    match inside them); a link to another document (ibc-go's ADRs link docs/ pages) says nothing of what the record
    decides about."""
    linked = [p for p in decision.linked_paths if not _is_document(p)]
    return "\n".join([decision.text, *linked]).lower() if linked else decision.text.lower()


#: A code span that is a file's name (jaeger's `config.go` of internal/storage/v1/badger/), not a module of a component
#: named like the file.
_FILE_NAME = re.compile(r"^[\w-]+\.(?:go|py|pyi|[cm]?[jt]sx?|java|kt|scala|rb|rs|c|h|cc|cpp|hpp|cs|php|swift|md|rst"
                        r"|txt|ya?ml|json|toml|ini|cfg|conf|xml|html?|css|scss|sh|proto|sql|lock|mod|sum|gradle)$")


def inner_prefixes(components: dict[str, list[str]]) -> dict[str, list[str]]:
    """For each (lower-case) path prefix of a component, the longer prefixes of other components below it: jaeger's
    ``internal/`` holds its small packages while ``internal/storage/`` is ``storage``."""
    prefixes = sorted({p.lower() for globs in components.values() for p in _literal_prefixes(globs)})
    inner: dict[str, list[str]] = {}
    for i, prefix in enumerate(prefixes):
        for other in prefixes[i + 1:]:
            if not other.startswith(prefix):
                break
            if other[len(prefix)] == "/":
                inner.setdefault(prefix, []).append(other)
    return inner


def _own_hit(pattern: re.Pattern[str], text: str, inner: list[str] | tuple[str, ...], sep: str) -> str | None:
    """The first mention ``pattern`` finds in ``text`` that is not below one of the ``inner`` prefixes (another
    component's, the more specific)."""
    for match in pattern.finditer(text):
        mention = match.group(0)
        if not any(mention.startswith(q + sep) or mention == q for q in inner):
            return mention
    return None


# Every decision is read against every component: the patterns are compiled once per name, not once per
# decision (hundreds of components overflow the re module's own cache of 512).

# Each pattern starts with its literal text and looks behind it afterwards, ``name(?<![\w./-]name)``: the same matches
# as ``(?<![\w./-])name``, but the regular expression engine can then search for the literal first (18× faster on
# cometbft's 93 records, whose component names, "state", "types", "rpc", are in nearly every one).

@lru_cache(maxsize=4096)
def _prefix_patterns(prefix: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A component's path prefix written as a path below it (or, when it has two segments or more, as itself:
    Thanos' proposals name `pkg/query`; a one-segment folder, ``lib``, is a word), and as a dotted module below it
    (not a host name: ``docs.deno.com``)."""
    path, dotted = re.escape(prefix) + "/", re.escape(prefix.replace("/", "."))
    if "/" in prefix:  # (one literal first, then either form)
        literal = re.escape(prefix)
        below = literal + r"(?<![\w./-]" + literal + r")(?:/[\w.*/-]*[\w*]|(?![\w-]|\.\w|/[\w.*]))"
    else:
        below = path + r"(?<![\w./-]" + path + r")[\w.*/-]*[\w*]"
    return re.compile(below), re.compile(dotted + r"(?<![\w./-]" + dotted + r")(?:\.[a-z_]\w*)++" + _NO_HOST)


#: A dotted name ending in a common top-level domain is a host, not a module: React Router's "in favor of
#: docs.deno.com" named no module of its ``docs/``. (The match is possessive: no shorter part of a host name matches.)
_NO_HOST = "".join(rf"(?<!\.{tld})" for tld in ("com", "org", "net", "dev", "edu", "gov"))


#: The word just before a mention (``applicationset`` of "ApplicationSet controller").
_WORD_BEFORE = re.compile(r"([\w-]+)\s*$")


def _own_mentions(word: re.Pattern[str], low: str, names: frozenset[str]) -> int:
    """How many times the (lower-case) text ``low`` names a component as ``word`` matches it, not counting the mentions
    right after another component's name, which are that one's: Argo CD's "ApplicationSet controller" is the
    controller of ``applicationset``, not the component ``controller``."""
    count = 0
    for match in word.finditer(low):
        before = _WORD_BEFORE.search(low, max(0, match.start() - 40), match.start())
        if before is None or before.group(1) not in names or before.group(1) == match.group(0):
            count += 1
    return count


@lru_cache(maxsize=4096)
def _word_pattern(name: str) -> re.Pattern[str]:
    """A component's (lower-case) name as a word of prose; not a path's folder (followed by "/") nor an address's
    scheme (``http://example.com``: scrapy's SEP-003 gives its example items five, no word about ``scrapy/http``)."""
    word = re.escape(name)
    return re.compile(word + r"(?<![\w./-]" + word + r")(?![\w/-]|://)")


def _other_number(name: str) -> str:
    """A (lower-case) name's singular when it is a plural (``spiders`` → "spider", ``policies`` → "policy",
    ``sources`` → "source"); the name itself otherwise. A folder named in the plural holds things of a kind, and a
    title naming one of them is about it (Vector's "AWS S3 source", "throttle transform", "Google Chronicle Sink";
    scrapy's "Spider name"; Kueue's "… workload resource assignment": on 26 repositories 21 more links, 2 wrong,
    cert-manager's "Gateway API" and course-discovery's "Product Source In Catalog"). Not the other way: a title's
    plural names a kind more often than the folder named in the singular does (14 more links, 3 wrong: crossplane's
    "Consuming Kubernetes Clusters" is not its ``cluster/`` of charts, Kueue's "… By External Controllers" not its
    controllers, cometbft's "proto versions" not ``version/``; nor are OpenTofu's "OCI Registries" its registry
    client), though scrapy's "Item Loaders" is ``loader``'s."""
    if name.endswith("ies") and len(name) > 4:
        return name[:-3] + "y"
    if name.endswith("s") and not name.endswith("ss") and len(name) > 3:
        return name[:-1]
    return name


@lru_cache(maxsize=4096)
def _title_pattern(name: str, other: str) -> re.Pattern[str]:
    """A component's (lower-case) name as a word of a title, or ``other``, its singular (``_other_number``)."""
    return re.compile(r"(?<![\w./-])(?:" + re.escape(name) + "|" + re.escape(other) + r")(?![\w/-]|://)")


@lru_cache(maxsize=4096)
def _repository_pattern(name: str) -> re.Pattern[str]:
    """A component's (lower-case) name as the name of a repository: "the registry repository", "the registry's GitHub
    repository", "registry repo"."""
    word = re.escape(name)
    return re.compile(word + r"(?<![\w./-]" + word + r")(?:'s)?\s+(?:github\s+|git\s+)?repo(?:sitory|sitories|s)?\b")


#: Folders that hold a repository's documents rather than a part of its code.
_DOCUMENT_FOLDERS = frozenset({"doc", "docs", "documentation", "adr", "adrs", "decisions", "architecture"})


def _is_document(path: str) -> bool:
    """Whether a linked repository path is a document (prose, or in a documentation folder), not code."""
    return (path.rpartition(".")[2].lower() in _PROSE_EXTENSIONS
            or path.partition("/")[0].lower() in _DOCUMENT_FOLDERS)


_PROSE_EXTENSIONS = frozenset({"md", "markdown", "mdx", "rst", "txt", "adoc", "asciidoc", "html", "pdf", "png", "svg",
                               "jpg", "jpeg", "gif"})


def _keeping_component(path: str, components: dict[str, list[str]]) -> tuple[str | None, str]:
    """The component whose folder holds the record at ``path`` (the innermost one), and that folder."""
    keeper, kept_in = None, ""
    folder = path.rpartition("/")[0]
    for name, globs in components.items():
        for glob in globs:
            prefix = _literal_prefix(glob)
            if (prefix and path.startswith(prefix + "/") and len(prefix) > len(kept_in)
                    and prefix.rpartition("/")[2].lower() not in _DOCUMENT_FOLDERS
                    and not names_decision_folder(prefix.rpartition("/")[2])  # (crossplane's design/, a component)
                    # a folder's own files (``dotcom-rendering/*``) keep no record below it
                    and (folder == prefix or not glob.rstrip("/").endswith(prefix + "/*"))):
                keeper, kept_in = name, prefix
    return keeper, kept_in


def _literal_prefixes(globs: list[str]) -> list[str]:
    return [prefix for prefix in map(_literal_prefix, globs) if prefix]


def _literal_prefix(glob: str) -> str:
    """The folder a path glob names before its first wildcard (``shop/billing`` of ``shop/billing/**``)."""
    return re.split(r"[*?\[]", glob, maxsplit=1)[0].strip("/")
