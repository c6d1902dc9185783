"""Chunks -> store: the VectorStore protocol, Chroma behind it, and the embedder."""
