"""Derived answers: computed once per saved graph, kept in the store, read by the services instead of the graph.

This is the one place that knows which answers exist. Each is the result of
an analysis with its default parameters (or one per component), computed by
the same function a read calls on a graph, so an answer read from the store
is by construction what that read would compute:

* ``components`` — ``dependencies.component_list``;
* ``component_dependencies`` — ``dependencies.component_dependencies``;
* ``bus_factor`` — ``ownership.bus_factor`` with no parameter, and
  ``bus_factor_components`` what narrows it to one component
  (``ownership.one_component``);
* ``people`` — ``people.people``; ``decisions`` — ``decisions.decision_list``;
  ``rules`` — ``decisions.rule_list`` for the whole repository;
* ``check`` — the boundary check's judgement without a baseline
  (``contracts.check.judge``), the day it was made and the exceptions' expiry
  dates: the baseline is a file read at check time (``checks``), and a
  judgement holds on another day only while the same exceptions are expired;
* ``card/<component>`` — each component's card (``explore.card.component_cards``),
  its README purpose read when shown.

``store_answers`` computes them all after a graph is saved (every
``GraphStore.save`` in the services is followed by it) and keeps them with
``GraphStore.save_answers`` (an ingest computes them while it saves a large graph whole, in a forked child:
``AnswersBeside``, with the same result): the answers of the previous version of the graph
are never read after the next save, only those given again stand (the
embedded store rewrites only those whose text changed). People are named by
id in the answers kept: their fields that a commit changes (``last_active``,
``commits``, whether they count as gone) are kept once beside them and joined
when an answer is read (``services.answer_people``), so a commit changes only
the answers whose substance changed. After a commit, an ingest hands ``store_answers``
the answers kept for the graph it replaces and what differs between the two
(``kept_base``, ``answer_base``): what of them reads nothing that changed is taken instead of
computed (the check's judgement, cards or parts of them), with the same result, and
an answer whose kept text provably stands (``KEPT``) is neither computed nor
serialised again: the store keeps its text (``GraphStore.save_answers``'s
``unchanged``, where the store ``keeps_unchanged_answers``);
``answer_base.BASIS``, kept beside the answers, says what they were computed
on. ``read_answer`` gives one back, as it was
computed, or None (an older store, a Neo4j store written before answers, a
store written by another version of Cairn): the caller then computes it from
the graph.

Answers are named with ``ANSWERS_FORMAT``: a build whose analyses give
other results never reads answers another build kept, it computes them until
its next ingest keeps its own. Bump it whenever an analysis's result changes
(shape or meaning); a test fingerprints every answer of a fixed repository
and fails until it is bumped. (Cairn's version is not in the name: reading it
from the package metadata costs more than reading an answer.)
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from functools import partial
from typing import IO, TYPE_CHECKING, Any, Callable, Collection, Iterable, Iterator, Mapping, MutableMapping

from cairn.api.services import answer_people
from cairn.api.services.beside import Beside
from cairn.graph.model import GroupedGraph, Label, RepoGraph
from cairn.graph.store import GraphChanges, GraphStore, verifying_skips

if TYPE_CHECKING:
    from cairn.api.services.answer_base import AnswerBase, Reused

#: The format of every stored answer; bump it when an analysis's result changes.
ANSWERS_FORMAT = 16

COMPONENTS = "components"
COMPONENT_DEPENDENCIES = "component_dependencies"
BUS_FACTOR = "bus_factor"
BUS_FACTOR_COMPONENTS = "bus_factor_components"
PEOPLE = "people"
DECISIONS = "decisions"
RULES = "rules"
CHECK = "check"
CARD = "card/"

#: From how many nodes and edges an ingest computes the answers of a graph saved whole in a forked child while it
#: saves it (``AnswersBeside``; 10k files make 260,000, 2k files 40,000).
ANSWERS_BESIDE_SIZE = 100_000

#: What an answer computed with ``Reused`` is when the text kept for the graph it replaces stands (see the docstring).
KEPT = object()


def card_answer(component: str) -> str:
    """The name of a component's card."""
    return CARD + component


def stored_name(name: str) -> str:
    """The name an answer is kept under: its format first (see the module docstring)."""
    return f"a{ANSWERS_FORMAT}/{name}"


# -- computing ------------------------------------------------------------------------------


def _components(graph: RepoGraph, reused: Reused) -> dict[str, Any]:
    from cairn.queries.dependencies import component_dependencies, component_list

    return {COMPONENTS: KEPT if reused.same_components else component_list(graph),
            COMPONENT_DEPENDENCIES: KEPT if reused.same_dependencies else component_dependencies(graph)}


def _bus_factor(graph: RepoGraph, reused: Reused) -> dict[str, Any]:
    from cairn.queries.ownership import bus_factor_answers

    report, scopes = bus_factor_answers(graph)
    return {BUS_FACTOR: report, BUS_FACTOR_COMPONENTS: scopes}


def _people(graph: RepoGraph, reused: Reused) -> dict[str, Any]:
    from cairn.queries.people import people

    return {PEOPLE: people(graph)}


def _decisions(graph: RepoGraph, reused: Reused) -> dict[str, Any]:
    from cairn.queries.decisions import decision_list, rule_list

    return {DECISIONS: decision_list(graph), RULES: rule_list(graph)}


def _check(graph: RepoGraph, reused: Reused) -> dict[str, Any]:
    if reused.check is not None:
        return {CHECK: KEPT if reused.same_check else reused.check}
    from cairn.queries.contracts.check import expiry_dates, judge

    today = date.today()
    return {CHECK: {"judged_on": today.isoformat(), "expiries": expiry_dates(graph),
                    "report": judge(graph, today=today).to_answer()}}


def _cards(graph: RepoGraph, reused: Reused) -> dict[str, Any]:
    from cairn.queries.explore.card import component_cards

    kept = reused.same_cards  # their kept text stands: only the others are computed
    names = [c.key for c in graph.of_label(Label.COMPONENT) if c.key not in kept] if kept else None
    cards = component_cards(graph, names, reused.card_parts) if names is None or names else {}
    return {**{card_answer(name): KEPT for name in kept}, **{card_answer(name): card for name, card in cards.items()}}


#: Every kind of answer: what computes it (answer name -> value) from a graph and what is reused of the answers kept
#: for the graph it replaces (``answer_base``), and the first name it gives.
ANSWERS: tuple[tuple[str, Callable[[RepoGraph, Reused], Mapping[str, Any]]], ...] = (
    (COMPONENTS, _components), (BUS_FACTOR, _bus_factor), (PEOPLE, _people), (DECISIONS, _decisions), (CHECK, _check),
    (CARD, _cards),
)


def bus_factor_known(answers: tuple[dict[str, Any], dict[str, Any]]) -> dict[str, Any]:
    """The bus-factor answers from what ``ownership.annotate_bus_factor`` returned (it computes the same report)."""
    report, scopes = answers
    return {BUS_FACTOR: report, BUS_FACTOR_COMPONENTS: scopes}


def compute_answers(graph: RepoGraph, known: Mapping[str, Any] | None = None, base: AnswerBase | None = None,
                    basis: Mapping[str, Any] | None = None, unchanged: set[str] | None = None,
                    leave_out: Collection[str] = ()) -> dict[str, Any]:
    """Every answer of ``graph``, by name; ``known`` holds answers already computed on this graph as it is;
    ``leave_out``: the first names (``ANSWERS``) of kinds the caller computes itself (``texts_to_keep``: the cards).

    ``base``: the answers kept for the stored graph that ``graph`` replaces, and what differs between the two
    (``kept_base``); what of them provably reads the same inputs is taken instead of computed, and the answers
    are the same as without it. ``basis`` is ``answer_base.basis(graph)`` when the caller has it. ``unchanged``
    (with ``base``): the names of the answers whose kept text stands are added to it instead of being computed
    (kept, an answer whose analysis failed has none: it fails the same way on the same inputs).

    An analysis that fails on this graph keeps no answer: the read computes it from the graph and
    reports the same error then, as it would without answers, and the ingest that saved the graph stands.
    """
    from cairn.api.services.answer_base import Reused, reusable
    from cairn.api.services.answer_base import basis as basis_of

    out: dict[str, Any] = dict(known or {})
    grouped = graph if isinstance(graph, GroupedGraph) else GroupedGraph(graph)
    reused = Reused()
    if base is not None:
        reused = reusable(base, grouped, basis if basis is not None else basis_of(grouped), date.today())
        if unchanged is None:  # every answer computed
            reused = replace(reused, same_dependencies=False, same_components=False, same_check=False,
                             same_cards=frozenset())
    for first_name, compute in ANSWERS:
        if first_name in out or first_name in leave_out:
            continue
        try:
            computed = compute(grouped, reused)
        except Exception:  # noqa: BLE001 - see the docstring: the read meets it again
            continue
        for name, value in computed.items():
            if value is KEPT:
                unchanged.add(name)  # type: ignore[union-attr] # only with ``unchanged`` (see above)
            else:
                out[name] = value
    return out


def store_answers(store: GraphStore, graph: RepoGraph, known: Mapping[str, Any] | None = None,
                  base: AnswerBase | None = None) -> None:
    """Compute every answer of ``graph``, which ``store`` has just saved, and keep them beside it
    (``known``: answers computed on the graph as saved, see ``compute_answers``; ``base``: the answers kept for the
    graph it replaced, ``kept_base``), with what they were computed on (``answer_base.BASIS``)."""
    keep_answers(store, graph.repo, answers_to_keep(graph, known, base, store.keeps_unchanged_answers))


def answers_to_keep(graph: RepoGraph, known: Mapping[str, Any] | None, base: AnswerBase | None,
                    keeps_unchanged: bool) -> dict[str, Any]:
    """What ``store_answers`` keeps for ``graph`` (its arguments as there; ``keeps_unchanged``: the store's
    ``keeps_unchanged_answers``), for ``keep_answers``: ``answers`` (stored name -> value) and ``unchanged`` (the
    stored names whose kept text stands). Reads no store: a forked child computes it too (``AnswersBeside``)."""
    from cairn.api.services.answer_base import BASIS, basis

    view = base.view if base is not None else None
    if view is not None and base is not None and view.shares_maps(graph):
        grouped, computed_on = view, base.now  # worked out by kept_base on this graph
        if verifying_skips() and computed_on != basis(grouped):
            raise AssertionError("the graph changed since kept_base worked out what its answers are computed on")
    else:
        grouped = GroupedGraph(graph)
        computed_on = basis(grouped)
    unchanged: set[str] | None = set() if keeps_unchanged else None
    kept = answer_people.detach(compute_answers(grouped, known, base, computed_on, unchanged))
    if base is not None and unchanged and verifying_skips():
        _verify_kept(grouped, base, unchanged)
    # whether every component's card is kept (their analysis did not fail): ``answer_base.whole_cards`` reads it
    carded = any(name.startswith(CARD) for name in (*kept, *(unchanged or ())))
    kept[BASIS] = {**computed_on, "carded": carded}  # type: ignore[dict-item]
    return {"answers": {stored_name(name): value for name, value in kept.items()},
            "unchanged": sorted(stored_name(name) for name in unchanged or ())}


def _computed_list(graph: RepoGraph) -> Any:
    from cairn.queries.dependencies import component_list

    return component_list(graph)


#: The answers said to stand (``unchanged``) that ``CAIRN_VERIFY_SKIPS=1`` computes afresh and compares with the text
#: kept for them (``AnswerBase.kept``, read by ``kept_base``): what computes each (none has people's fields to detach).
VERIFIED: dict[str, Callable[[RepoGraph], Any]] = {COMPONENTS: _computed_list}


def _verify_kept(graph: RepoGraph, base: AnswerBase, unchanged: set[str]) -> None:
    """Fail when an answer of ``VERIFIED`` said to stand is not, text for text, the one computed on ``graph``."""
    from cairn.graph.values import dumps

    for name in unchanged & VERIFIED.keys():
        if name not in base.kept or dumps(VERIFIED[name](graph)) != dumps(base.kept[name]):
            raise AssertionError(f"the answer {name!r} kept for the graph replaced was taken as it stands, and it "
                                 "differs from the one computed")


def keep_answers(store: GraphStore, repo: str, prepared: Mapping[str, Any]) -> None:
    """Keep the answers ``answers_to_keep`` prepared for the graph of ``repo`` that ``store`` has just saved."""
    if prepared["unchanged"]:  # only a store that keeps them is given any
        store.save_answers(repo, prepared["answers"], unchanged=prepared["unchanged"])
    else:
        store.save_answers(repo, prepared["answers"])


class AnswersBeside:
    """``store_answers``'s answers of a graph, computed while the store saves it, and kept once it has.

    Started before the save (``graph`` must not change after): when nothing is kept to take from (``base`` None: a
    first ingest, or another build's graph, which the save writes whole) and the graph has ``ANSWERS_BESIDE_SIZE``
    nodes and edges or more, a forked child (``_TextsBeside``) computes them, writing each answer as the text the
    store keeps (``graph.values.dumps``) to a temporary file as soon as it is made (``FiledTexts``), and sends back
    where each lies; else they are computed by ``keep``, in process: the fork and the pages then
    copied cost more than the answers of a smaller graph, or than those taken from a base (after a commit at 50k
    files, the save of 0.6 s took twice as long beside the child, and the answers' texts made in it another 0.4 s).
    The answers read the graph alone, not what the save writes: those kept are the ones ``store_answers`` keeps
    after the save.

    Neither process holds the texts (30 MB at 50k files) at once: the child, whose peak it made (the parent's pages
    at the fork, the graph's groups and every text), writes each away as it is made, and the store reads each from the
    file when it writes it (``_DecodedWhenRead``): a store that keeps texts takes each as it is (``stored_text``), any
    other decodes it. Decoded whole, the answers of 50k files would hold 100 MB more than computed in process, where
    they share their strings with the graph.
    """

    def __init__(self, store: GraphStore, graph: RepoGraph, known: Mapping[str, Any] | None = None,
                 base: AnswerBase | None = None):
        self._store, self._repo = store, graph.repo
        self._prepare = partial(answers_to_keep, graph, known, base, store.keeps_unchanged_answers)
        self._file: IO[bytes] | None = None
        self._job: _TextsBeside | None = None
        if base is None and len(graph) >= ANSWERS_BESIDE_SIZE:
            import tempfile

            self._file = tempfile.TemporaryFile(prefix="cairn-answers-")  # (gone with the last descriptor)
            filed = FiledTexts(self._file.fileno())
            self._job = _TextsBeside(partial(texts_to_keep, graph, known, filed), filed).start()

    def keep(self) -> None:
        """Keep the answers in the store, which has saved the graph by now."""
        if self._job is None:
            keep_answers(self._store, self._repo, self._prepare())
            return
        from cairn.ingest.freed_memory import give_back

        give_back()  # what the save freed, returned before the texts are read
        sent = self._job.result()
        keep_answers(self._store, self._repo, {"answers": _DecodedWhenRead(sent["texts"]), "unchanged": sent["unchanged"]})
        self._close()

    def cancel(self) -> None:
        """Stop the child, when one computes (the save failed)."""
        if self._job is not None:
            self._job.cancel()
        self._close()

    def _close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def _as_texts(prepare: Callable[[], Mapping[str, Any]]) -> dict[str, Any]:
    from cairn.graph.values import dumps

    prepared = prepare()
    return {"texts": {name: dumps(value) for name, value in prepared["answers"].items()},
            "unchanged": prepared["unchanged"]}


def texts_to_keep(graph: RepoGraph, known: Mapping[str, Any] | None,
                  texts: MutableMapping[str, str] | None = None) -> dict[str, Any]:
    """``_as_texts`` of ``answers_to_keep`` for a graph with nothing kept to take from (``base`` None), each answer made
    text as soon as it can be and put in ``texts`` (a dict by default; the child of ``AnswersBeside`` gives
    ``FiledTexts``, which holds none of them): the others first, each detached (``answer_people``) once the people's
    answers are in, then the cards one at a time (``iter_component_cards``), so that they are never all held as objects
    (at 50k files: 66 MB of cards for 17 MB of text, the peak of the child that computes them). The same texts, in the
    same order; ``CAIRN_VERIFY_SKIPS=1`` computes them whole too and compares."""
    from cairn.api.services.answer_base import BASIS, Reused, basis
    from cairn.graph.values import dumps
    from cairn.queries.explore.card import iter_component_cards

    texts = {} if texts is None else texts
    grouped = GroupedGraph(graph)
    computed_on = basis(grouped)
    answers = compute_answers(grouped, known, leave_out=(CARD,))
    people = answer_people.directory(answers)
    for name, value in answers.items():
        texts[stored_name(name)] = dumps(answer_people.detach_one(people, name, value))
    del answers
    cards: list[str] = []
    if CARD not in (known or {}):
        try:
            for component, card in iter_component_cards(grouped, None, Reused().card_parts):
                name = card_answer(component)
                cards.append(stored_name(name))
                texts[cards[-1]] = dumps(answer_people.detach_one(people, name, card))
        except Exception:  # noqa: BLE001 - as compute_answers: no card is kept when their analysis fails
            for name in cards:
                del texts[name]
            cards = []
    if people:
        texts[stored_name(answer_people.DIRECTORY)] = dumps(people)
    # (as answers_to_keep: whether any card is kept, ``answer_base.whole_cards`` reads it)
    carded = bool(cards) or any(name.startswith(CARD) for name in known or {})
    texts[stored_name(BASIS)] = dumps({**computed_on, "carded": carded})
    result = {"texts": texts, "unchanged": []}
    if verifying_skips():
        whole = _as_texts(partial(answers_to_keep, graph, known, None, False))
        if list(whole["texts"].items()) != list(texts.items()):
            raise AssertionError("the answers' texts made one at a time are not those made whole")
    return result


class FiledTexts(MutableMapping[str, str]):
    """Texts by name, each written to the file open at ``fd`` as it is set (UTF-8; a lone surrogate passes) and read
    back from there when read: what holds them is the file, not the process. Only the names and where each text lies
    (``spans``) are held; writes go at explicit offsets, past every text written by this mapping (what another process
    wrote to the same file there, or a text deleted, is left unread)."""

    def __init__(self, fd: int, spans: Mapping[str, tuple[int, int]] | None = None):
        self.fd = fd
        self.spans: dict[str, tuple[int, int]] = dict(spans or {})
        self._end = max((end for _, end in self.spans.values()), default=0)

    def __setitem__(self, name: str, text: str) -> None:
        data = memoryview(text.encode("utf-8", "surrogatepass"))
        start = at = self._end
        while data:
            written = os.pwrite(self.fd, data, at)
            data, at = data[written:], at + written
        self.spans[name], self._end = (start, at), at

    def __getitem__(self, name: str) -> str:
        start, end = self.spans[name]
        data = os.pread(self.fd, end - start, start)
        while len(data) < end - start:  # (a regular file gives it all at once but for a signal)
            more = os.pread(self.fd, end - start - len(data), start + len(data))
            if not more:
                raise OSError(f"the text of {name!r} is cut short")
            data += more
        return data.decode("utf-8", "surrogatepass")

    def __delitem__(self, name: str) -> None:
        del self.spans[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.spans)

    def __len__(self) -> int:
        return len(self.spans)


class _TextsBeside(Beside):
    """``texts_to_keep`` into ``FiledTexts`` in a forked child (``Beside``): the texts are in the file, only their names
    and spans travel, as JSON; given back as ``FiledTexts`` over the same file."""

    def __init__(self, compute: Callable[[], dict[str, Any]], filed: FiledTexts):
        super().__init__(compute)
        self._filed = filed

    def _encode(self, result: dict[str, Any]) -> Iterable[Any]:
        texts: FiledTexts = result["texts"]
        return super()._encode({"spans": [[name, *span] for name, span in texts.spans.items()],
                                "unchanged": result["unchanged"]})

    def _decode(self, received: list[bytearray]) -> tuple[bool, Any]:
        decoded, head = super()._decode(received)
        if not decoded:
            return False, None
        try:
            spans = {str(name): (int(start), int(end)) for name, start, end in head["spans"]}
        except (TypeError, KeyError, ValueError):
            return False, None
        if len(spans) != len(head["spans"]) or any(not 0 <= s <= e for s, e in spans.values()):
            return False, None
        return True, {"texts": FiledTexts(self._filed.fd, spans), "unchanged": head["unchanged"]}


class _DecodedWhenRead(Mapping[str, Any]):
    """Answers by name, given as their JSON texts, each decoded when it is read; ``stored_text`` gives the text
    itself, to a store that keeps it as it is (``SQLiteStore.save_answers``: the text it would make of the value)."""

    def __init__(self, texts: Mapping[str, str]):
        self._texts = texts

    def __getitem__(self, name: str) -> Any:
        from cairn.graph.values import loads

        return loads(self._texts[name])

    def stored_text(self, name: str) -> str:
        return self._texts[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)


def kept_base(store: GraphStore, graph: RepoGraph, changes: GraphChanges,
              knows_files: Iterable[str] | None) -> AnswerBase | None:
    """What is kept for the graph of ``graph.repo`` stored now, which ``changes`` (a save of ``graph`` as changes to
    it) patches, for ``store_answers`` to take from (``answer_base``); ``knows_files``: the File node ids whose KNOWS
    edges the ingest computed afresh. Read before the save (after it, the answers describe a graph no longer stored),
    under the writer lock. None when nothing is kept, or it was computed on another graph than the one stored."""
    from cairn.api.services.answer_base import BASIS, CARD_PARTS, AnswerBase, basis as basis_of, cards_wanted
    from cairn.api.services.answer_base import describes, differences, verify_wanted

    repo = graph.repo
    basis, check = stored_name(BASIS), stored_name(CHECK)
    verified = {stored_name(name): name for name in VERIFIED} if verifying_skips() else {}
    found = store.load_answers(repo, [basis, check, *verified])  # one read: all of one version
    if not describes(found.get(basis), store, repo):
        return None
    imports, knows, imported = differences(changes, knows_files)
    base = AnswerBase(found[basis], found.get(check), {}, imports, knows, imported,
                      {name: found[stored] for stored, name in verified.items() if stored in found})
    if imports is None and knows is None:
        return base
    # of the cards, only the parts that may be taken, of those that may not stand whole: what that takes is worked
    # out here, on the graph as it will be saved (the answers read it alone), and kept for them
    view = GroupedGraph(graph)
    now = basis_of(view)
    wanted = cards_wanted(base, view, now) if store.keeps_unchanged_answers else None  # (else every card computed)
    names = {stored_name(card_answer(c.key)): c.key for c in view.of_label(Label.COMPONENT)
             if wanted is None or c.key in wanted}
    cards: dict[str, Any] = {}
    if verifying_skips() and wanted is not None:
        every = {stored_name(card_answer(c.key)): c.key for c in view.of_label(Label.COMPONENT)}
        read = {every[name]: part for name, part in store.load_answer_parts(repo, every, CARD_PARTS).items()}
        verify_wanted(replace(base, cards=read), view, now, wanted)
    if names:
        cards = {names[name]: part for name, part in store.load_answer_parts(repo, names, CARD_PARTS).items()}
        if found[basis] != store.load_answers(repo, [basis]).get(basis):
            return None  # another version's, saved between the two reads
    return replace(base, cards=cards, now=now, view=view)


def read_answer(store: GraphStore, repo: str, name: str) -> Any | None:
    """The answer ``name`` kept for the stored graph of ``repo``, people's fields joined; None when there is none
    (compute it)."""
    if not answer_people.needs_directory(name):
        return store.load_answer(repo, stored_name(name))
    kept, people = stored_name(name), stored_name(answer_people.DIRECTORY)
    both = store.load_answers(repo, (kept, people))  # one read: the directory of the same version as the answer
    if kept not in both:
        return None
    try:
        return answer_people.attach(name, both[kept], both.get(people))
    except answer_people.Unjoinable:  # not kept by this module (a planted answer, say): computed instead
        return None
