"""The apps' import graph, read from the source with ast (imports inside functions count too).

Layers: `common` and `accounts` at the bottom (the foundation); the domain apps; `documents`, the document engine,
which imports no domain app (they register with it); `reports` on top, which nothing imports; the project package
`mobility` (settings, URLs, `load_demo`, `bench_attendance`), which may import every app. Apps that give another app
a section (the final report's dissemination entries, the public site's figures, the learner's export and
anonymisation, the retention rules) do it through `common.sections`, never by importing upwards. No two apps import
each other.
"""

import ast
from collections import defaultdict
from pathlib import Path

from django.apps import apps as django_apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
FOUNDATION = {"common", "accounts"}
# The learner-data export and anonymisation still read the mobility certificates and printouts directly;
# they are the next to move to contributions (common.sections).
KNOWN_UPWARD: set[tuple[str, str]] = set()


def project_apps():
    return {config.name for config in django_apps.get_app_configs() if Path(config.path).is_relative_to(ROOT)}


def modules():
    """{module name: path} of every project module outside migrations and tests."""
    found = {}
    for app in project_apps() | {"mobility"}:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            found[name] = path
    return found


def imported(name, path):
    """The modules `name` imports, relative imports resolved."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def module_graph():
    found = modules()
    graph = defaultdict(set)
    for name, path in found.items():
        graph[name] |= {target for target in imported(name, path) if target in found and target != name}
    return graph


def app_of(module):
    return module.partition(".")[0]


def app_edges():
    return {(app_of(a), app_of(b)) for a, targets in module_graph().items() for b in targets if app_of(a) != app_of(b)}


def cycles(graph):
    """The strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in list(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_reader_sees_imports_inside_functions_and_relative_ones():
    graph = module_graph()
    assert "documents.tasks" in graph["documents.jobs"]  # `from .tasks import ...` inside a function
    assert "documents.registry" in graph["reports.documents"]


def test_the_document_engine_imports_no_domain_app():
    engine_imports = {target for source, target in app_edges() if source == "documents"}
    assert engine_imports <= FOUNDATION, engine_imports - FOUNDATION


def test_nothing_imports_the_reports_app():
    # credentials sits above reports on purpose: a Europass Mobility is made from the learner's certificate; ops'
    # load test asks for a placement's certificates as a coordinator would.
    above = {"mobility", "credentials", "ops"}
    importers = {(source, target) for source, target in app_edges() if target == "reports" and source not in above}
    assert importers <= KNOWN_UPWARD, importers - KNOWN_UPWARD


def test_common_and_accounts_do_not_import_the_document_engine():
    for source, target in app_edges():
        assert not (target == "documents" and source in FOUNDATION), (source, target)


# Pairs of apps that still import each other, each to be removed (and then taken off this list, which the test
# below keeps from going stale). Issue 19 started with 16; moving load_demo into mobility and the retention rule
# into common.sections removed 11; the foundation's mail through common.sections.SEND_MAIL (which the outbox
# fills) one more; the learner below the placement and privacy (their panels, list columns and filters, archive
# hold and personal-data log through common.sections) two more; Organisation moved down into accounts
# (accounts/0011, its table kept) one more; moving bench_attendance into mobility the last one. None is left:
# a new pair fails the test below.
KNOWN_MUTUAL: set[tuple[str, str]] = set()
# Domain apps the foundation still imports, each to be removed as above (none left: keep it that way).
KNOWN_FOUNDATION_UPWARD: set[tuple[str, str]] = set()


def mutual_pairs():
    edges = app_edges()
    return {tuple(sorted(edge)) for edge in edges if (edge[1], edge[0]) in edges}


def test_no_two_apps_import_each_other():
    assert mutual_pairs() <= KNOWN_MUTUAL, sorted(mutual_pairs() - KNOWN_MUTUAL)


def test_the_list_of_apps_importing_each_other_only_shrinks():
    """An entry whose cycle is gone comes off the list, so that it cannot come back unnoticed."""
    assert KNOWN_MUTUAL <= mutual_pairs(), sorted(KNOWN_MUTUAL - mutual_pairs())


def test_the_foundation_imports_no_domain_app():
    upward = {(source, target) for source, target in app_edges() if source in FOUNDATION and target not in FOUNDATION}
    assert upward <= KNOWN_FOUNDATION_UPWARD, sorted(upward - KNOWN_FOUNDATION_UPWARD)
    assert KNOWN_FOUNDATION_UPWARD <= upward, sorted(KNOWN_FOUNDATION_UPWARD - upward)


def test_no_import_cycle_crosses_apps():
    crossing = [sorted(c) for c in cycles(module_graph()) if len({app_of(module) for module in c}) > 1]
    assert crossing == []


def test_the_foundations_mail_has_one_mailer_and_names_its_purposes():
    """accounts sends its mail through common.sections.SEND_MAIL, which the outbox fills, naming the outbox's
    purposes by their values: a purpose misspelt there would be stored as given."""
    import re

    from common.sections import SEND_MAIL, _sections
    from outbox.models import OutgoingMessage

    assert len(_sections[SEND_MAIL]) == 1
    named = set()
    for path in (ROOT / "accounts").rglob("*.py"):
        named |= set(re.findall(r'purpose="(\w+)"', path.read_text()))
    assert named, "the scan found no purpose"
    assert named <= set(OutgoingMessage.Purpose.values), named - set(OutgoingMessage.Purpose.values)
