"""The bus factor's declared owners without knowledge, below its table: a line per component, or per owner when the
same few owners are declared on many components (etcd's root approvers on 40 of them)."""

from cairn.api.commands.ownership import DRIFT_COMPONENTS_NAMED, _owner_drift_lines


def component(name, without, unlinked=()):
    return {"name": name, "declared_owners_without_knowledge": list(without),
            "declared_owners_not_in_history": list(unlinked)}


def test_few_owners_of_many_components_are_listed_per_owner_with_the_components_counted():
    components = [component(f"util{i:02d}", ["@ann", "@bo"] if i % 2 else ["@ann"]) for i in range(12)]
    components.append(component("clean", []))
    lines = _owner_drift_lines(components)
    assert len(lines) == 2
    assert lines[0].startswith("[yellow]@ann: declared owner without knowledge of 12 components:[/] util00, util01")
    assert lines[0].endswith(f"and {12 - DRIFT_COMPONENTS_NAMED} more")
    assert lines[1] == "[yellow]@bo: declared owner without knowledge of 6 components:[/] util01, util03, util05, util07, util09, util11"


def test_an_owner_linked_to_no_commit_author_says_so_per_owner():
    components = [component(f"c{i}", ["@ghost"], ["@ghost"]) for i in range(3)]
    assert _owner_drift_lines(components) == ["[yellow]@ghost: declared owner, linked to no commit author, of 3 components:[/] c0, c1, c2"]


def test_as_many_owners_as_components_keep_a_line_per_component():
    lines = _owner_drift_lines([component("api", ["@ann"]), component("web", ["@bo"])])
    assert len(lines) == 2 and "declared owners without knowledge of api:" in lines[0] and "@bo" in lines[1]


def test_a_nested_components_name_says_its_parent_unless_the_name_already_does():
    """ktor's ``ktor-server-servlet-jakarta (in ktor-server)`` folded mid-word at 80 columns for a parent its name
    already begins with; ``discovery/aws`` says ``discovery`` as well; ``netty`` or ``ktor-serverless`` does not."""
    from cairn.api.commands.ownership import _component_name

    assert _component_name({"name": "ktor-server-netty", "parent": "ktor-server"}) == "ktor-server-netty"
    assert _component_name({"name": "discovery/aws", "parent": "discovery"}) == "discovery/aws"
    assert _component_name({"name": "netty", "parent": "ktor-server"}) == "netty (in ktor-server)"
    assert _component_name({"name": "ktor-serverless", "parent": "ktor-server"}) == "ktor-serverless (in ktor-server)"
    assert _component_name({"name": "web", "parent": None}) == "web"
