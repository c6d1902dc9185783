"""Chat models: the bundled weights, the embedded llama.cpp server, and the endpoint client."""
