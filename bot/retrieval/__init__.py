"""Store -> retrieved sources: hybrid, multilingual retrieval of the chunks that answer."""
