"""The answer feedback engine: grade an answer against an item's key points, offline.

Evidence comes from meaning (MiniLM embeddings, shared with the matcher) and words (IDF-weighted
overlap); a contrast check catches answers that use the right words with the relation reversed.
"""
