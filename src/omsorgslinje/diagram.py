"""A flow as a picture a routine owner can hold against the written routine. Pure text.

Three forms: `mermaid` (flowchart), `dot` (Graphviz) and `tekst` (an indented outline for the
terminal). Steps run top to bottom, grouped by section. A step with a condition gets the
condition on the arrow into it, and an arrow «ellers» past it. Info steps and next steps
(actions) are drawn in their own shapes. Linear in the number of steps.
"""

from __future__ import annotations

from dataclasses import field

from .fastclass import dataclass
from .model import Flow, Step

FORMATS = ("tekst", "mermaid", "dot")

TYPE_NAMES = {
    "text": "tekst",
    "textarea": "lang tekst",
    "select": "ett valg",
    "multiselect": "flere valg",
    "confirm": "ja/nei",
    "date": "dato",
    "number": "tall",
    "info": "info",
}
ELSE = "ellers"
MAX_LABEL = 70


def short(text: str, limit: int = MAX_LABEL) -> str:
    """One line, at most `limit` characters."""
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 1].rstrip() + "…"


def render_diagram(flow: Flow, fmt: str) -> str:
    if fmt == "mermaid":
        return mermaid(flow)
    if fmt == "dot":
        return dot(flow)
    if fmt == "tekst":
        return outline(flow)
    raise ValueError(fmt)


# ------------------------------------------------------------------------------------------
# The graph both diagram languages draw


@dataclass
class Node:
    id: str
    label: str
    kind: str  # start, step, info, junction, action, end, document
    section: str | None = None


@dataclass
class Edge:
    source: str
    target: str
    label: str = ""
    dashed: bool = False


@dataclass
class Graph:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    sections: list[tuple[str, list[Node]]] = field(default_factory=list)


def _step_label(step: Step) -> str:
    return f"{step.id} ({TYPE_NAMES.get(step.type, step.type)}): {short(step.prompt)}"


def _action_label(what: str, who: str, when: str) -> str:
    extra = ", ".join(x for x in (short(who, 40), short(when, 30)) if x)
    return short(what) + (f" ({extra})" if extra else "")


def build_graph(flow: Flow) -> Graph:
    """Steps in order. `pending` holds the arrows still to be drawn into the next step."""
    g = Graph()
    start = Node("start", short(flow.title), "start")
    g.nodes.append(start)
    pending: list[tuple[str, str]] = [(start.id, "")]
    section_nodes: list[Node] | None = None
    current: str | None = None

    def place(node: Node, section: str) -> None:
        nonlocal section_nodes, current
        g.nodes.append(node)
        if section:
            if section != current or section_nodes is None:
                section_nodes = []
                g.sections.append((section, section_nodes))
            section_nodes.append(node)
        current = section

    for n, step in enumerate(flow.steps):
        node = Node(f"s{n}", _step_label(step), "info" if step.type == "info" else "step")
        if step.when:
            if len(pending) == 1 and not pending[0][1]:
                fork = pending[0][0]
            else:
                junction = Node(f"j{n}", "", "junction")
                place(junction, step.section)
                g.edges += [Edge(src, junction.id, label) for src, label in pending]
                fork = junction.id
            place(node, step.section)
            g.edges.append(Edge(fork, node.id, short(step.when, 60)))
            pending = [(node.id, ""), (fork, ELSE)]
        else:
            place(node, step.section)
            g.edges += [Edge(src, node.id, label) for src, label in pending]
            pending = [(node.id, "")]
        for k, action in enumerate(step.actions):
            act = Node(f"a{n}_{k}", _action_label(action.what, action.who, action.when), "action")
            place(act, step.section)
            g.edges.append(Edge(node.id, act.id, short(action.condition or "", 60), dashed=True))
    end = Node("slutt", "Dokumenter", "end")
    g.nodes.append(end)
    g.edges += [Edge(src, end.id, label) for src, label in pending]
    for doc in flow.documents:
        d = Node(f"d_{doc.name}", f"{doc.title} ({doc.template})", "document")
        g.nodes.append(d)
        g.edges.append(Edge(end.id, d.id, short(doc.when or "", 60)))
    return g


# ------------------------------------------------------------------------------------------
# Mermaid


def _mm(text: str) -> str:
    """Text inside a quoted mermaid label: entity codes for what mermaid would read itself."""
    return (
        text.replace("&", "#amp;")
        .replace('"', "#quot;")
        .replace("<", "#lt;")
        .replace(">", "#gt;")
        .replace("[", "#91;")
        .replace("]", "#93;")
    )


_MM_SHAPES = {
    "start": ('(["', '"])'),
    "step": ('["', '"]'),
    "info": ('[/"', '"/]'),
    "junction": ('{"', '"}'),
    "action": ('[["', '"]]'),
    "end": ('(["', '"])'),
    "document": ('[("', '")]'),
}


def _mm_node(node: Node) -> str:
    left, right = _MM_SHAPES[node.kind]
    label = node.label if node.label else " "
    if node.kind == "info":
        label = "ℹ " + label
    if node.kind == "action":
        label = "Neste steg: " + label
    return f"{node.id}{left}{_mm(label)}{right}"


def mermaid(flow: Flow) -> str:
    g = build_graph(flow)
    out = [
        f"%% {flow.id} {flow.version}: {short(flow.title)}",
        "flowchart TD",
    ]
    in_section = {id(n) for _, nodes in g.sections for n in nodes}
    for node in g.nodes:
        if id(node) not in in_section:
            out.append(f"    {_mm_node(node)}")
    for i, (name, nodes) in enumerate(g.sections):
        out.append(f'    subgraph del{i}["{_mm(short(name))}"]')
        out += [f"        {_mm_node(n)}" for n in nodes]
        out.append("    end")
    for e in g.edges:
        arrow = "-.->" if e.dashed else "-->"
        label = f'|"{_mm(e.label)}"|' if e.label else ""
        out.append(f"    {e.source} {arrow}{label} {e.target}")
    out.append("    classDef info fill:#eef6ff,stroke:#4a78b5")
    out.append("    classDef action fill:#fff6e0,stroke:#b58a1a")
    infos = [n.id for n in g.nodes if n.kind == "info"]
    actions = [n.id for n in g.nodes if n.kind == "action"]
    if infos:
        out.append(f"    class {','.join(infos)} info")
    if actions:
        out.append(f"    class {','.join(actions)} action")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------------------------------
# Graphviz dot


def _dq(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


_DOT_SHAPES = {
    "start": "shape=oval, style=bold",
    "step": "shape=box, style=rounded",
    "info": 'shape=note, style=filled, fillcolor="#eef6ff"',
    "junction": 'shape=diamond, label="", width=0.25, height=0.25',
    "action": 'shape=box, style="filled,dashed", fillcolor="#fff6e0"',
    "end": "shape=oval, style=bold",
    "document": "shape=folder",
}


def _dot_node(node: Node) -> str:
    attrs = _DOT_SHAPES[node.kind]
    if node.kind == "junction":
        return f"{node.id} [{attrs}];"
    label = node.label
    if node.kind == "info":
        label = "Info: " + label
    if node.kind == "action":
        label = "Neste steg: " + label
    return f"{node.id} [{attrs}, label={_dq(label)}];"


def dot(flow: Flow) -> str:
    g = build_graph(flow)
    out = [
        f"// {flow.id} {flow.version}",
        "digraph flyt {",
        f"    label={_dq(f'{short(flow.title)} (versjon {flow.version})')};",
        "    labelloc=t;",
        '    node [fontname="Helvetica", fontsize=11];',
        '    edge [fontname="Helvetica", fontsize=10];',
    ]
    in_section = {id(n) for _, nodes in g.sections for n in nodes}
    for node in g.nodes:
        if id(node) not in in_section:
            out.append(f"    {_dot_node(node)}")
    for i, (name, nodes) in enumerate(g.sections):
        out.append(f"    subgraph cluster_{i} {{")
        out.append(f"        label={_dq(short(name))};")
        out.append('        style=rounded; color="#999999";')
        out += [f"        {_dot_node(n)}" for n in nodes]
        out.append("    }")
    for e in g.edges:
        attrs = []
        if e.label:
            attrs.append(f"label={_dq(e.label)}")
        if e.dashed:
            attrs.append("style=dashed")
        if e.label == ELSE:
            attrs.append('color="#888888"')
        tail = f" [{', '.join(attrs)}]" if attrs else ""
        out.append(f"    {e.source} -> {e.target}{tail};")
    out.append("}")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------------------------------
# Indented outline


def outline(flow: Flow) -> str:
    out = [f"{flow.title}", f"  id: {flow.id}, versjon {flow.version}"]
    if flow.source:
        out.append(f"  kilde: {short(flow.source, 120)}")
    current: str | None = None
    for step in flow.steps:
        if step.section != current:
            out.append("")
            out.append(step.section or "(uten del)")
            current = step.section
        indent = "  "
        if step.when:
            out.append(f"{indent}hvis {step.when}:")
            indent += "    "
        marker = "ℹ info" if step.type == "info" else TYPE_NAMES.get(step.type, step.type)
        out.append(f"{indent}- {step.id} [{marker}] {short(step.prompt)}")
        if step.previous_ids:
            out.append(f"{indent}    (het før: {', '.join(step.previous_ids)})")
        for c in step.choices:
            label = f" «{short(c.label, 50)}»" if c.label != c.value else ""
            olds = [old for old, new in step.previous_values if new == c.value]
            before = f" (før: {', '.join(olds)})" if olds else ""
            out.append(f"{indent}    · {c.value}{label}{before}")
        for a in step.actions:
            cond = f" (hvis {a.condition})" if a.condition else ""
            out.append(f"{indent}    → neste steg: {_action_label(a.what, a.who, a.when)}{cond}")
    out.append("")
    out.append("Dokumenter")
    for d in flow.documents:
        cond = f" (hvis {d.when})" if d.when else ""
        main = ", hoveddokument" if d.primary else ""
        out.append(f"  - {d.name}: {d.title} [{d.template}{main}]{cond}")
    return "\n".join(out) + "\n"
