"""``cairn people``: every person Cairn resolved, with the identities merged into each and likely duplicates."""

from __future__ import annotations

from typing import Optional

from cairn.api.common import CairnError, OutputFormat, RepoOption, StoreOption, console, opened_workspace, print_json
from cairn.api.params import App, Option
from cairn.api.render.console import escape


def register(app: App) -> None:
    app.command("people")(people)


def people(
    store: Optional[str] = StoreOption,
    repo: Optional[str] = RepoOption,
    format: OutputFormat = Option(OutputFormat.table, "--format", help="json or table"),
) -> None:
    """Who is who: each person with kind, names, e-mails, logins, commits and last activity, and likely duplicates.

    Fix a split person with a [[people]] entry in cairn.toml (name and aliases) and ingest again.
    """
    if format not in (OutputFormat.json, OutputFormat.table):
        raise CairnError(f"--format {format.value} is not available for people (use json or table)")
    from cairn.api.services import reads

    with opened_workspace(store) as ws:
        report = reads.people(ws, repo)
    if format is OutputFormat.json:
        print_json(report)
        return
    from cairn.api.render.terminal import IDENTIFIER, NUMBER, table

    rows = []
    for p in report["people"]:
        identities = _shown_identities(p)
        if p["declared_only"]:
            identities.append("(only in CODEOWNERS)")
        # one a line: a comma wrapped onto a line of its own, or an address folded after it, read as two identities
        rows.append((p["name"], p["kind"], str(p["commits"]), (p["last_active"] or "")[:10], "\n".join(identities)))
    # fitted to the terminal: a long name or a long list of e-mails wraps instead of squeezing the other columns away
    console.print(table(f"People of {report['repository']}", [
        ("name", IDENTIFIER), "kind", ("commits", NUMBER), ("last active", NUMBER), "identities"], rows, keep_empty=True))
    _print_likely_duplicates(report["likely_duplicates"])


def _shown_identities(person: dict) -> list[str]:
    """The person's logins, e-mails and other names, less what repeats a login shown: a GitHub noreply address
    (``12345+login@users.noreply.github.com``) and a name that is the login. ``--format json`` keeps them all;
    on hono every third row of the table was a noreply address folded over three lines beside its ``@login``."""
    from cairn.graph.people import noreply_login

    logins = {login.lower() for login in person["logins"]}
    emails = [e for e in person["emails"] if noreply_login(e) not in logins]
    names = [n for n in person["names"] if n != person["name"] and n.lower() not in logins]
    strays = [f'"{n}" (another\'s name at their address)' for n in person.get("stray_names") or []]
    return ["@" + x for x in person["logins"]] + emails + [f'"{n}"' for n in names] + strays


def _print_likely_duplicates(duplicates: list[dict]) -> None:
    """The pairs under one heading, what to do said once (as notes, ibc-go's 22 pairs were 22 paragraphs)."""
    from cairn.queries.people import IF_SO, MAX_NOTES, ONE_WORD_NAMES

    if not duplicates:
        return
    import textwrap

    # each pair wrapped under its own indent (an identity is never cut: an e-mail address folded at a hyphen reads
    # as two); printed as they were, poetry's lines ran to 224 columns
    width = max(console.width, 40)
    heading = f"{len(duplicates)} likely the same person, not merged."
    lines = [f"[yellow]{escape(heading)}[/]{escape(textwrap.fill(f'{heading} {IF_SO}:', width)[len(heading):])}"]
    for d in duplicates[:MAX_NOTES]:
        (a, b), (a_id, b_id) = d["names"], d["people"]
        why = "; ".join(r.replace(ONE_WORD_NAMES, "") for r in d["reasons"])
        pair = f"{a!r} ({a_id}) and {b!r} ({b_id}): {why}"
        lines.append(escape(textwrap.fill(pair, width, initial_indent="  ", subsequent_indent="    ",
                                          break_long_words=False, break_on_hyphens=False)))
    if any(ONE_WORD_NAMES in r for d in duplicates for r in d["reasons"]):
        lines.append(f"[dim]{escape(ONE_WORD_NAMES.strip(' ()').capitalize())}.[/]")
    if len(duplicates) > MAX_NOTES:
        lines.append(f"{len(duplicates) - MAX_NOTES} more: --format json lists them all")
    console.print(*lines, sep="\n", highlight=False, soft_wrap=True)
