"""Retrieved sources -> answer: evidence, prompts, generation, verification and quoting."""
