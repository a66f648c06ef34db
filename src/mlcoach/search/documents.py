"""What the search engine sees of an item: one keyword document and a few embedding views."""

from __future__ import annotations

from dataclasses import dataclass

from mlcoach.core.catalog import Bank


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    keywords: str  # the text BM25 indexes
    views: tuple[str, ...]  # texts embedded separately; an item scores as its best view


def item_documents(bank: Bank) -> list[Document]:
    docs = []
    for item in bank.items:
        guide = bank.guides.get(item.area)
        topic = guide.topic_title(item.topic) if guide else item.topic
        points = " ".join(item.key_points)
        asked = " ".join(item.asked_as)
        keywords = " ".join([item.question, item.question, asked, topic, " ".join(item.tags).replace("-", " "), points])
        # The question alone matches paraphrases; the question with its key points matches
        # questions that name a detail the answer covers; each `asked_as` phrasing matches the way
        # interviewers and candidates really put it.
        views = (item.question, f"{item.question} {points}", *item.asked_as)
        docs.append(Document(id=item.id, keywords=keywords, views=views))
    return docs
