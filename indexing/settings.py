"""Index settings, read from the environment so that deployments and tests can redirect them.

CDT_INDEX_DIR        where the Chroma store, the lexical index and the manifest live
                     (default: <data folder>/index)
CDT_MODELS_DIR       where fetched models are unpacked (default: <data folder>/models)
CDT_EMBEDDING_MODEL  a local folder, or a model id (default: the fetched EmbeddingGemma-300M)
CDT_EMBEDDING_DTYPE  bfloat16 (default, 2× faster on CPU, same ranking) or float32
CDT_EMBEDDING_RUNTIME onnx (default: the default model's verified ONNX graph, 2× faster per
                     question and for long documents, when `cdt models fetch` exported it) or
                     pytorch; CDT_QUERY_RUNTIME, its former name, is still read
CDT_ALLOW_MODEL_HUB  1 to let a model id be downloaded from a model hub (off by default:
                     nothing is downloaded at run time unless asked for)
CDT_CHROMA_URL       http://HOST:PORT of a Chroma server instead of the embedded store
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from corpus.paths import data_dir

DEFAULT_MODEL_NAME = "embeddinggemma-300m"


@dataclass(frozen=True)
class IndexSettings:
    index_dir: Path
    models_dir: Path
    embedding_model: str  # a folder path or a model id
    embedding_dtype: str
    embedding_runtime: str  # "onnx" or "pytorch"
    allow_model_hub: bool
    chroma_url: str | None

    @classmethod
    def from_env(cls) -> IndexSettings:
        base = data_dir()
        models_dir = Path(os.environ.get("CDT_MODELS_DIR") or base / "models").expanduser()
        return cls(
            index_dir=Path(os.environ.get("CDT_INDEX_DIR") or base / "index").expanduser(),
            models_dir=models_dir,
            embedding_model=os.environ.get("CDT_EMBEDDING_MODEL") or str(models_dir / DEFAULT_MODEL_NAME),
            embedding_dtype=os.environ.get("CDT_EMBEDDING_DTYPE", "bfloat16"),
            embedding_runtime=os.environ.get("CDT_EMBEDDING_RUNTIME") or os.environ.get("CDT_QUERY_RUNTIME", "onnx"),
            allow_model_hub=os.environ.get("CDT_ALLOW_MODEL_HUB") == "1",
            chroma_url=os.environ.get("CDT_CHROMA_URL") or None,
        )
