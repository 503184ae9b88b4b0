"""Agent work named in a commit message rather than in its identities.

Coding agents often commit as the human who runs them and only leave a line
in the message: Claude Code's "🤖 Generated with [Claude Code](…)", "Coded
with Claude", a Codex task link, a Devin session link, a Jules task link, an
``Assisted-by: claude/opus-4.7`` trailer (the Linux kernel's convention, which
flux2 asks of agents)…
History mining treats such a line as an implicit ``Co-authored-by`` trailer
naming the agent, so the commit is agent-assisted, the agent shows up in the
inventory under the same identity its trailers use, and the human author is
the one who shepherded the work. The PR check reads the commits of a change
and its description with the same matcher (``ingest.change``: a
``ChangeSet``'s ``agent_marks``), so the commits the history calls
agent-assisted are the changes it calls agent-authored, the marking line its
evidence. An ``Assisted-by`` trailer marks the agent it names when that is one
below, or, given the reader's identity classifier (``is_agent``), when the
classifier calls whom it names an agent by name and address (celery's
bf1cf69e2: ``Assisted-by: OpenAI GPT-5 <noreply@openai.com>``): a person who
assisted (``Assisted-by: Jane Doe <jane@example.com>``) is not an agent, and
marks nothing.

Built-in markers below; more in ``cairn.toml``::

    [agents]
    markers = [{ text = "Written by Robo", agent = "Robo <robo@example.com>" }]

A configured marker is a literal phrase, matched case-insensitively anywhere
in the message; its agent counts as an agent whatever the identity patterns say.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable

from cairn.ingest.lazy_pattern import LazyPattern
from cairn.ingest.trailers import trailer_contact

if TYPE_CHECKING:
    from cairn.graph.changes import AgentMarker


CLAUDE = ("Claude", "noreply@anthropic.com")
CURSOR = ("Cursor Agent", "cursoragent@cursor.com")
COPILOT = ("Copilot", "175728472+Copilot@users.noreply.github.com")
CODEX = ("Codex", "codex@openai.com")
DEVIN = ("devin-ai-integration[bot]", "158243242+devin-ai-integration[bot]@users.noreply.github.com")
JULES = ("google-labs-jules[bot]", "161369871+google-labs-jules[bot]@users.noreply.github.com")
GEMINI = ("gemini-cli", "gemini-cli@google.com")
AIDER = ("aider", "noreply@aider.chat")
AMP = ("Amp", "amp@ampcode.com")
OPENCODE = ("opencode", "noreply@opencode.ai")
SISYPHUS = ("Sisyphus", "clio-agent@sisyphuslabs.ai")  # oh-my-opencode's agent

#: (regular expression over the whole message, the agent it names). Searched case-insensitively.
BUILTIN_MARKERS: tuple[tuple[str, tuple[str, str]], ...] = (
    (r"generated with \[?claude code\b", CLAUDE),
    (r"\bcoded with claude\b", CLAUDE),
    (r"\bclaude\.ai/code\b", CLAUDE),
    (r"\b(?:generated|made|written) (?:with|by) cursor\b|\bcursor\.com/(?:agents|background-agent)\b", CURSOR),
    (r"\b(?:generated|made|written) (?:with|by) (?:github )?copilot\b", COPILOT),
    (r"\bchatgpt\.com/codex/|\b(?:generated|made|written) (?:with|by) (?:openai )?codex\b", CODEX),
    (r"\bapp\.devin\.ai/sessions/|\bdevin run: ", DEVIN),
    (r"\bjules\.google(?:\.com)?/task|\b(?:generated|made|written) (?:with|by) (?:google )?jules\b", JULES),
    (r"\b(?:generated|made|written) (?:with|by) gemini(?: cli| code assist)?\b", GEMINI),
    (r"^aider: ", AIDER),
    (r"\bampcode\.com/threads/|^amp-thread: ", AMP),
    (r"generated with \[?opencode\b", OPENCODE),
    (r"\bultraworked with \[?sisyphus\b", SISYPHUS),
) + tuple(
    # an "Assisted-by: AGENT/MODEL" trailer, as the Linux kernel asks of coding assistants and flux2's AGENTS.md of
    # agents ("Assisted-by: claude/opus-4.7", "Assisted-by: GitHub Copilot/Claude Opus 4.7", "codex/gpt-5")
    (rf"^assisted-by:[ \t]*{name}\b", agent) for name, agent in (
        (r"(?:anthropic[ \t]+)?claude", CLAUDE), (r"(?:github[ \t]+)?copilot", COPILOT), (r"(?:openai[ \t]+)?codex", CODEX),
        ("cursor", CURSOR), (r"(?:google[ \t]+)?gemini", GEMINI), (r"(?:google[ \t]+)?jules", JULES), ("devin", DEVIN),
        ("aider", AIDER), ("amp", AMP), ("opencode", OPENCODE)))


#: Any other "Assisted-by:" trailer: whom it names is an agent if the reader's classifier says so (``marks_in``).
NAMED_BY_TRAILER = r"^assisted-by:[ \t]*\S[^\n]*"

#: Whether the reader's identity classifier calls (name, e-mail) an agent.
IsAgent = Callable[[str, str], bool]

#: Lower-case words one of which every built-in marker contains: a message with none of them is not searched.
KEYWORDS = ("claude", "cursor", "copilot", "codex", "devin", "jules", "gemini", "aider", "ampcode", "amp-thread", "opencode",
            "sisyphus", "assisted-by")


#: The longest marking line ``MarkerMatcher.marks_in`` gives whole (a longer one is cut).
MARK_CHARS = 160


class MarkerMatcher:
    """Finds the agents a commit message names.

    Most messages name none, so a message is first checked for a few
    lower-case keywords (plain substring tests) and only searched with the
    regular expression when one is there.
    """

    pattern: re.Pattern[str] | LazyPattern
    agents: list[tuple[str, str] | None]  # by group index; None: the one the trailer matched names (NAMED_BY_TRAILER)
    keywords: tuple[str, ...]

    def __init__(self, pattern: re.Pattern[str] | LazyPattern, agents: list[tuple[str, str] | None], keywords: tuple[str, ...] = KEYWORDS) -> None:
        self.pattern = pattern
        self.agents = agents
        self.keywords = keywords

    @classmethod
    def build(cls, configured: list[AgentMarker] | None = None) -> "MarkerMatcher":
        entries: list[tuple[str, tuple[str, str] | None]] = []
        for marker in configured or ():
            entries.append((re.escape(marker.text), parse_agent(marker.agent)))
        entries.extend(BUILTIN_MARKERS)
        entries.append((NAMED_BY_TRAILER, None))  # last: an alternative tried after every marker naming its agent
        # searched only in a message that holds a keyword (most commits none): compiled then
        pattern = LazyPattern("|".join(f"({regex})" for regex, _ in entries), re.IGNORECASE | re.MULTILINE)
        keywords = tuple(dict.fromkeys([m.text.lower() for m in configured or ()] + list(KEYWORDS)))
        return cls(pattern, [agent for _, agent in entries], keywords)

    def agents_in(self, message: str, is_agent: IsAgent | None = None) -> list[tuple[str, str]]:
        """The agents marked in ``message``, each once, in order of appearance (usually none: one failed search);
        with ``is_agent``, also whom another ``Assisted-by`` trailer names when ``is_agent`` says it is an agent."""
        return [agent for agent, _ in self.marks_in(message, is_agent)]

    def marks_in(self, message: str, is_agent: IsAgent | None = None) -> list[tuple[tuple[str, str], str]]:
        """Each agent marked in ``message`` (as ``agents_in``) with the line that first marks it (stripped, at most
        ``MARK_CHARS`` characters: "Assisted-by: Cursor (Claude Opus 5)"), in order of appearance; the evidence the
        PR check shows."""
        found: dict[tuple[str, str], str] = {}
        lowered = message.lower()
        if not any(word in lowered for word in self.keywords):
            return []
        for match in self.pattern.finditer(message):
            if not match.lastindex:
                continue
            agent = self.agents[match.lastindex - 1]
            if agent is None:
                agent = _named_agent(match.group(0), is_agent)
            if agent is not None and agent not in found:
                found[agent] = _line_of(message, match.start())
        return list(found.items())

    @property
    def identity_patterns(self) -> list[str]:
        """Classifier patterns that make every marked agent an agent."""
        return sorted({f"{agent[0]} <{agent[1]}>" for agent in self.agents if agent is not None})


def _named_agent(trailer: str, is_agent: IsAgent | None) -> tuple[str, str] | None:
    """Whom an ``Assisted-by`` trailer names — ``Name <address>`` read as every trailer is
    (``trailers.trailer_contact``), or a name alone — when ``is_agent`` calls it an agent; else None."""
    if is_agent is None:
        return None
    value = trailer.split(":", 1)[1].strip()
    contact = trailer_contact(value) if "<" in value else (value, "")
    if contact is None or not contact[0] and not contact[1]:
        return None
    return contact if is_agent(*contact) else None


def _line_of(message: str, at: int) -> str:
    start = message.rfind("\n", 0, at) + 1
    end = message.find("\n", at)
    line = message[start:end if end >= 0 else len(message)].strip()
    return line if len(line) <= MARK_CHARS else line[:MARK_CHARS - 1] + "…"


def parse_agent(text: str) -> tuple[str, str]:
    """``"Name <email>"`` -> (name, email); a bare name gets no e-mail."""
    match = re.match(r"^\s*(.*?)\s*<([^<>]*)>\s*$", text)
    if match:
        return match.group(1), match.group(2).strip()
    return text.strip(), ""
