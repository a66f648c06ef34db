"""Search and matching over the bank: BM25 keywords + MiniLM sentence embeddings, fused.

One engine serves `mlcoach match`, `mlcoach search`, the web search box, interview-log matching and
semantic near-duplicate checks. Everything heavy (onnxruntime, bm25s, numpy) loads on first use.
"""
