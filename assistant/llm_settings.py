"""Which language model to use, when one is configured: the settings and the LangChain chat model.

``ollama:MODEL`` is a model served by Ollama (package ``langchain-ollama``); ``openai:MODEL`` any
OpenAI-compatible endpoint (package ``langchain-openai``): OpenAI itself, or with
``CDT_LLM_BASE_URL`` vLLM, a llama.cpp server, LM Studio, a public-sector or commercial API.

Settings (the environment overrides the file):

CDT_LLM              ``ollama:MODEL`` or ``openai:MODEL``; unset: no LLM (extractive mode);
                     ``off`` turns off a model configured in the file
CDT_LLM_BASE_URL     the server's URL (``http://localhost:8000/v1``; optional for Ollama)
CDT_LLM_API_KEY      the key, when the server wants one (default: ``OPENAI_API_KEY``)
CDT_LLM_TEMPERATURE  0 by default
CDT_LLM_TIMEOUT      seconds per request, 60 by default
CDT_LLM_CONFIG       a TOML file (default ``<data folder>/llm.toml``) with the keys ``provider``,
                     ``model``, ``base_url``, ``api_key_env`` (the NAME of the variable holding
                     the key, never the key), ``temperature``, ``timeout``

Nothing here contacts a server before a question is asked, and nothing is ever downloaded.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.language_models import BaseChatModel

from corpus.errors import CorpusError
from corpus.paths import data_dir


PROVIDERS = {"ollama": "langchain-ollama", "openai": "langchain-openai"}
DEFAULT_TEMPERATURE = 0.0
DEFAULT_TIMEOUT = 60.0
CONFIG_NAME = "llm.toml"
CONFIG_KEYS = ("provider", "model", "base_url", "api_key_env", "temperature", "timeout")
OFF = {"off", "aucun", "none", "non", "0", "false"}
LOCAL_API_KEY = "sans-cle"  # OpenAI-compatible local servers (vLLM, llama.cpp) want a key but check none
OLLAMA_NUM_CTX = 8192  # Ollama's default context (2 048 or 4 096 tokens) would silently cut the articles

class LlmConfigError(CorpusError):
    """A language-model setting that cannot be used; the message names it and gives an example."""


class LlmError(CorpusError):
    """The configured language model did not answer (server down, unknown model, timeout…)."""


# --- settings ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LlmSettings:
    provider: str | None  # "ollama" or "openai"; None: no language model (extractive mode)
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    temperature: float = DEFAULT_TEMPERATURE
    timeout: float = DEFAULT_TIMEOUT
    config_file: Path | None = None  # the file read, if any

    @property
    def enabled(self) -> bool:
        return self.provider is not None

    @property
    def label(self) -> str:
        """``ollama:qwen2.5:7b-instruct``: what the answers' mode shows (``llm:<label>``)."""
        return f"{self.provider}:{self.model}" if self.enabled else "extractif"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> LlmSettings:
        """The settings from the environment and the config file; raises LlmConfigError when unusable."""
        env = os.environ if environ is None else environ

        def var(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        path, values = _read_config(var("CDT_LLM_CONFIG"))
        where = f"{path}, clé" if path else "clé"

        provider, model = values.get("provider"), values.get("model")
        provider_from = f"{where} provider"
        chosen = var("CDT_LLM")
        if chosen is not None:
            if chosen.lower() in OFF:
                return cls(None, config_file=path)
            provider, model = _split_model(chosen)
            provider_from = "CDT_LLM"
        elif provider is None and model is None:
            return cls(None, config_file=path)
        provider = _provider(provider, provider_from)
        if not model:
            raise LlmConfigError(f"{where} model : nom du modèle manquant "
                                 "(exemple : model = \"qwen2.5:7b-instruct\").")

        def setting(variable: str, key: str, parse: Callable[[Any, str], Any]) -> Any:
            """The environment variable when set, else the file's key."""
            if (value := var(variable)) is not None:
                return parse(value, variable)
            return parse(values.get(key), f"{where} {key}")

        base_url = setting("CDT_LLM_BASE_URL", "base_url", _base_url)
        temperature = setting("CDT_LLM_TEMPERATURE", "temperature", lambda v, name: _number(v, name, 0, 2, "0.2"))
        timeout = setting("CDT_LLM_TIMEOUT", "timeout", lambda v, name: _number(v, name, 1, 3600, "120"))
        api_key = _api_key(provider, base_url, var, values.get("api_key_env"), where)
        return cls(provider, model, base_url, api_key,
                   DEFAULT_TEMPERATURE if temperature is None else temperature,
                   DEFAULT_TIMEOUT if timeout is None else timeout, path)


def config_path(explicit: str | None = None) -> Path:
    """The config file: ``CDT_LLM_CONFIG``, else ``<data folder>/llm.toml``."""
    return Path(explicit).expanduser() if explicit else data_dir() / CONFIG_NAME


def _read_config(explicit: str | None) -> tuple[Path | None, dict[str, Any]]:
    path = config_path(explicit)
    if not path.is_file():
        if explicit:
            raise LlmConfigError(f"CDT_LLM_CONFIG : le fichier {path} n'existe pas. Indiquez un fichier TOML "
                                 "(exemple : provider = \"ollama\" et model = \"qwen2.5:7b-instruct\"), ou retirez "
                                 "la variable.")
        return None, {}
    try:
        values = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise LlmConfigError(f"{path} : TOML illisible ({error}). Exemple de contenu : provider = \"ollama\", "
                             "model = \"qwen2.5:7b-instruct\", une clé par ligne.") from None
    except OSError as error:
        raise LlmConfigError(f"{path} : lecture impossible ({error.strerror}).") from None
    if "api_key" in values:
        raise LlmConfigError(f"{path}, clé api_key : n'écrivez pas la clé dans le fichier. Mettez-la dans une "
                             "variable d'environnement et nommez celle-ci : api_key_env = \"MON_FOURNISSEUR_API_KEY\".")
    unknown = sorted(set(values) - set(CONFIG_KEYS))
    if unknown:
        raise LlmConfigError(f"{path} : clé(s) inconnue(s) {', '.join(unknown)} ; clés possibles : "
                             f"{', '.join(CONFIG_KEYS)}.")
    for key in ("provider", "model", "base_url", "api_key_env"):
        if key in values and not isinstance(values[key], str):
            raise LlmConfigError(f"{path}, clé {key} : texte entre guillemets attendu (exemple : {key} = "
                                 f"\"{_EXAMPLES[key]}\").")
    return path, {k: (v.strip() or None) if isinstance(v, str) else v for k, v in values.items()}


_EXAMPLES = {"provider": "ollama", "model": "qwen2.5:7b-instruct", "base_url": "http://localhost:8000/v1",
             "api_key_env": "MON_FOURNISSEUR_API_KEY"}


def _split_model(value: str) -> tuple[str, str]:
    """``ollama:qwen2.5:7b`` → (``ollama``, ``qwen2.5:7b``): Ollama model names have colons too."""
    provider, colon, model = value.partition(":")
    if not colon or not model.strip():
        raise LlmConfigError(f"CDT_LLM : « {value} » n'indique pas fournisseur:modèle. Exemples : "
                             "CDT_LLM=ollama:qwen2.5:7b-instruct, CDT_LLM=openai:gpt-4o-mini ; laissez-la vide "
                             "pour le mode extractif.")
    return provider.strip(), model.strip()


def _provider(value: str | None, setting: str) -> str:
    name = (value or "").strip().lower()
    if name not in PROVIDERS:
        raise LlmConfigError(f"{setting} : fournisseur « {value or ''} » inconnu ; possibles : ollama, openai "
                             "(tout serveur compatible OpenAI). Exemple : CDT_LLM=ollama:qwen2.5:7b-instruct.")
    return name


def _base_url(value: str | None, setting: str) -> str | None:
    if value is None:
        return None
    if not re.match(r"https?://[^\s/]+", value):
        raise LlmConfigError(f"{setting} : « {value} » n'est pas une URL http(s). Exemples : "
                             "http://localhost:11434 (Ollama), http://localhost:8000/v1 (vLLM).")
    return value.rstrip("/")


def _number(value: object, setting: str, low: float, high: float, example: str) -> float | None:
    if value is None:
        return None
    try:
        number = float(value.replace(",", ".") if isinstance(value, str) else value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not math.isfinite(number) or not low <= number <= high:
        raise LlmConfigError(f"{setting} : « {value} » n'est pas un nombre entre {low:g} et {high:g} "
                             f"(exemple : {example}).")
    return number


def _api_key(provider: str, base_url: str | None, var: Callable[[str], str | None], key_env: str | None,
             where: str) -> str | None:
    """The key: CDT_LLM_API_KEY, else the variable the file names, else OPENAI_API_KEY (OpenAI only)."""
    if key := var("CDT_LLM_API_KEY"):
        return key
    if key_env is not None:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key_env):
            raise LlmConfigError(f"{where} api_key_env : « {key_env[:4]}… » n'est pas un nom de variable ; "
                                 "indiquez le NOM de la variable qui contient la clé (exemple : api_key_env = "
                                 "\"MON_FOURNISSEUR_API_KEY\"), jamais la clé elle-même.")
        if key := var(key_env):
            return key
        raise LlmConfigError(f"{where} api_key_env : la variable {key_env} est vide ou absente. Exemple : "
                             f"export {key_env}=votre-clé.")
    if provider != "openai":
        return None  # Ollama needs no key; an OpenAI key is never sent to it
    if key := var("OPENAI_API_KEY"):
        return key
    if base_url is not None:
        return LOCAL_API_KEY
    raise LlmConfigError("CDT_LLM_API_KEY : clé manquante pour l'API OpenAI. Exemple : "
                         "export CDT_LLM_API_KEY=sk-… ; pour un serveur local compatible OpenAI, indiquez plutôt "
                         "CDT_LLM_BASE_URL=http://localhost:8000/v1.")


# --- the chat model ------------------------------------------------------------------------------------

def load_chat_model(settings: LlmSettings | None) -> BaseChatModel | None:
    """The LangChain chat model the settings name, or None in extractive mode. Contacts no server."""
    if settings is None or not settings.enabled:
        return None
    package = PROVIDERS[settings.provider]  # type: ignore[index]
    try:
        if settings.provider == "ollama":
            from langchain_ollama import ChatOllama
        else:
            from langchain_openai import ChatOpenAI
    except ImportError as error:
        raise LlmConfigError(f"CDT_LLM={settings.label} demande le paquet {package}, qui n'est pas installé. "
                             f"Installez-le : pip install {package}") from error
    if settings.provider == "ollama":
        headers = {"Authorization": f"Bearer {settings.api_key}"} if settings.api_key else {}
        client_kwargs: dict[str, Any] = {"timeout": settings.timeout}
        if headers:
            client_kwargs["headers"] = headers
        return ChatOllama(model=settings.model, base_url=settings.base_url, temperature=settings.temperature,
                          num_ctx=OLLAMA_NUM_CTX, client_kwargs=client_kwargs, validate_model_on_init=False)
    return ChatOpenAI(model=settings.model, base_url=settings.base_url, api_key=settings.api_key,
                      temperature=settings.temperature, timeout=settings.timeout, max_retries=1)
