"""Which documents a case makes, and each as the bytes of its file.

Besides the flow's own documents (`[flow.documents]`, each with its `when`), every flow has a
built-in one: the whole interview, question by question (`sporsmal-og-svar`), for those who
want every answer; the journal note holds only what its reader needs. A flow replaces it with a
document of the same name, a routine owner with a template of the same name.

A Word file (docx) is made from the document's Markdown, so one template serves every format.
"""

from __future__ import annotations

from .model import Document, Flow
from .render import Case, document_applies, render_bytes

__all__ = [
    "QUESTIONS_AND_ANSWERS",
    "all_documents",
    "case_documents",
    "find_document",
    "questions_and_answers",
    "render_bytes",
]

QUESTIONS_AND_ANSWERS = "sporsmal-og-svar"


def questions_and_answers(flow: Flow) -> Document:
    return Document(
        name=QUESTIONS_AND_ANSWERS,
        template="sporsmal-og-svar.md.j2",
        title="Spørsmål og svar",
        filename=f"{flow.id}-sporsmal-og-svar",
    )


def all_documents(flow: Flow) -> list[Document]:
    """The flow's documents, then the built-in ones it does not name itself."""
    docs = list(flow.documents)
    if flow.document(QUESTIONS_AND_ANSWERS) is None:
        docs.append(questions_and_answers(flow))
    return docs


def find_document(flow: Flow, name: str) -> Document | None:
    for d in all_documents(flow):
        if d.name == name:
            return d
    return None


def case_documents(case: Case) -> list[Document]:
    """Every document to make for the case: the flow's that apply, then the built-in record of
    questions and answers (unless the flow has its own of that name). `--ut-mappe` and the end
    of an interactive run make all of them."""
    return [d for d in all_documents(case.flow) if document_applies(case, d)]
