"""Files -> documents -> chunks: loading, cleaning and splitting articles."""
