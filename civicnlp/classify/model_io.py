"""Safe model folders: save a trained classifier as data files, load it without running code.

A model is a folder:

- ``model.json`` — the model card: ``format`` (``civicnlp.model/1``: name and format version),
  ``backend``, ``labels``, training counts, cross-validated per-label scores, the training
  data's sha256, library versions, the date, and ``files``: the sha256 of every weight file;
- the weight files the backend names in ``files``.

``load_model_dir`` reads the card, checks every listed file against its sha256 (a changed or
missing file is E302; a folder without ``model.json`` is E301), and then hands the folder to
the backend the card names. Backends are a fixed table here (``BACKENDS``): the card's
``backend`` string only *chooses* among them, nothing in a folder is imported or executed, and
no loader unpickles (``np.load(..., allow_pickle=False)``, JSON, safetensors).

Backends:

- ``"sklearn"`` — the default model (``civicnlp.classify.linear.LinearModel``): ``vocab.json``
  (the terms of each feature block) and ``weights.npz`` (IDF, coefficients, intercepts, sigmoid
  calibration), rebuilt as numpy arrays.
- ``"transformer"`` — a fine-tuned transformer (issue 6): its loader is
  ``civicnlp.classify.transformer_model.TransformerClassifier.load(folder)``; when its optional
  packages are missing the error is E303 with the install line.

To add a backend: write ``load(folder) -> Classifier`` that reads only data files, and add
``"name": "module:Class.method"`` to ``BACKENDS``. ``load_model_dir`` has already verified
the card's file hashes when it calls the loader; the loader still checks shapes and types.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import importlib
import json
import platform
import warnings
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from civicnlp.errors import CivicError, Errors, ModelError

if TYPE_CHECKING:
    from civicnlp.classify import Classifier
    from civicnlp.classify.estimator import DocTypeClassifier
    from civicnlp.classify.linear import LinearModel

__all__ = [
    "BACKENDS",
    "CARD",
    "FORMAT",
    "FORMAT_VERSION",
    "load_linear",
    "load_model_dir",
    "now_iso",
    "read_card",
    "save_linear",
    "sha256_file",
    "verify_files",
]

CARD = "model.json"
FORMAT_VERSION = 1
FORMAT = f"civicnlp.model/{FORMAT_VERSION}"
VOCAB = "vocab.json"
WEIGHTS = "weights.npz"
# file kinds that can carry code: a model folder holding one is refused, whatever its card says
UNSAFE_SUFFIXES = (".pkl", ".pickle", ".joblib", ".pt", ".pth", ".bin", ".ckpt", ".py", ".pyc", ".so")

MAX_CARD_BYTES = 16 << 20  # a card is a few kB; refuse absurd ones before reading them
MAX_WEIGHTS_BYTES = 1 << 30  # per weight file
# backend name -> "module:attribute path" of its loader (a callable taking the folder)
BACKENDS: dict[str, str] = {
    "sklearn": "civicnlp.classify.model_io:load_linear",
    "transformer": "civicnlp.classify.transformer_model:TransformerClassifier.load",
}


# -- card and files ---------------------------------------------------------------------
def sha256_file(path: Path) -> str:
    """The sha256 hex digest of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_card(folder: Path) -> dict[str, Any]:
    """The parsed ``model.json`` (E301 when the folder has none, E302 when it is not a JSON object)."""
    path = folder / CARD
    if not folder.is_dir() or not path.is_file():
        raise ModelError(Errors.E301, path=str(folder))
    try:
        card = _read_json(path, MAX_CARD_BYTES)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ModelError(Errors.E302, path=str(folder), detail=f"model.json is unreadable: {exc}") from None
    if not isinstance(card, dict):
        raise ModelError(Errors.E302, path=str(folder), detail="model.json is not a JSON object")
    return card


def verify_files(folder: Path, card: dict[str, Any], required: tuple[str, ...] = ()) -> None:
    """Every file the card lists exists and matches its sha256; ``required`` are listed; no pickles."""
    listed = card.get("files")
    if not isinstance(listed, dict) or not listed:
        raise ModelError(Errors.E302, path=str(folder), detail="model.json lists no weight files with their sha256")
    for name in required:
        if name not in listed:
            raise ModelError(Errors.E302, path=str(folder), detail=f"model.json does not list {name}")
    for name, digest in listed.items():
        if not isinstance(name, str) or "/" in name or "\\" in name or name.startswith("."):
            raise ModelError(Errors.E302, path=str(folder), detail=f"bad file name {name!r} in model.json")
        path = folder / name
        if path.is_symlink() or (path.exists() and path.resolve().parent != folder.resolve()):
            raise ModelError(Errors.E302, path=str(folder), detail=f"{name} is a link; a model's files must be in it")
        if not path.is_file():
            raise ModelError(Errors.E302, path=str(folder), detail=f"{name} is missing")
        if path.stat().st_size > MAX_WEIGHTS_BYTES:
            raise ModelError(Errors.E302, path=str(folder), detail=f"{name} is over {MAX_WEIGHTS_BYTES} bytes")
        if sha256_file(path) != digest:
            raise ModelError(Errors.E302, path=str(folder), detail=f"the sha256 of {name} does not match model.json")
    unsafe = sorted(p.name for p in folder.iterdir() if p.suffix.lower() in UNSAFE_SUFFIXES)
    if unsafe:
        raise ModelError(
            Errors.E302,
            path=str(folder),
            detail=f"it holds pickle or code files ({', '.join(unsafe)}), which civicnlp never loads",
        )


def now_iso() -> str:
    """The current UTC time, ISO 8601 to the second (a card's ``created``)."""
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


def _resolve(spec: str) -> Any:
    module, _, attr = spec.partition(":")
    obj: Any = importlib.import_module(module)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


def load_model_dir(folder: Path) -> Classifier:
    """Load the model in ``folder`` without unpickling anything (see the module docstring)."""
    folder = Path(folder)
    card = read_card(folder)
    backend = card.get("backend")
    if backend not in BACKENDS:
        known = ", ".join(sorted(BACKENDS))
        raise ModelError(Errors.E302, path=str(folder), detail=f"unknown backend {backend!r} (known: {known})")
    fmt = card.get("format")
    name, _, version = fmt.partition("/") if isinstance(fmt, str) else ("", "", "")
    if name != "civicnlp.model" or not version.isdigit():
        raise ModelError(Errors.E302, path=str(folder), detail=f"model.json has format {fmt!r}, not 'civicnlp.model/N'")
    if int(version) > FORMAT_VERSION:
        raise ModelError(
            Errors.E302,
            path=str(folder),
            detail=f"format {fmt} is newer than this civicnlp reads ({FORMAT}); upgrade civicnlp",
        )
    verify_files(folder, card)
    try:
        loader = _resolve(BACKENDS[backend])
    except ImportError as exc:
        raise ModelError(
            Errors.E303, path=str(folder), backend=backend, install=f"pip install 'civicnlp[{backend}]' ({exc})"
        ) from None
    model: Classifier = loader(folder)
    return model


# -- the sklearn backend ----------------------------------------------------------------
def versions() -> dict[str, str]:
    """Versions of the libraries a model was trained with."""
    import jieba
    import sklearn

    from civicnlp import __version__

    return {
        "civicnlp": __version__,
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "jieba": str(getattr(jieba, "__version__", "unknown")),
        "python": platform.python_version(),
    }


def _dict_sha256() -> str:
    from importlib import resources

    from civicnlp.tokenize import DICT_NAME

    data = resources.files("civicnlp.lexicon").joinpath(DICT_NAME).read_bytes()
    return hashlib.sha256(data).hexdigest()


def save_linear(est: DocTypeClassifier, folder: Path, info: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write a fitted ``DocTypeClassifier`` as a model folder; returns the card.

    ``info`` adds card fields (training counts, data hash, cross-validated scores …).
    """
    from sklearn.utils.validation import check_is_fitted

    check_is_fitted(est, "pipeline_")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    union = est.pipeline_.named_steps["features"]
    calibrated = est.pipeline_.named_steps["clf"].calibrated_classifiers_[0]
    svm = calibrated.estimator
    blocks, idfs, offset = [], [], 0
    vocab: dict[str, list[str]] = {}
    weights = dict(union.transformer_weights or {})
    specs = {s["name"]: s for s in est.blocks_}
    for name, vec in union.transformer_list:
        terms = [str(t) for t in vec.get_feature_names_out()]
        vocab[name] = terms
        idfs.append(np.asarray(vec.idf_, dtype=np.float64))
        spec = specs[name]
        blocks.append(
            {
                "name": name,
                "ngram": list(spec["ngram"]),
                "min_df": spec["min_df"],
                "sublinear_tf": bool(vec.sublinear_tf),
                "binary": bool(vec.binary),
                "norm": "l2",
                "weight": float(weights.get(name, 1.0)),
                "offset": offset,
                "size": len(terms),
            }
        )
        offset += len(terms)
    labels = [str(c) for c in est.classes_]
    if [str(c) for c in svm.classes_] != labels:
        raise ValueError("the calibrated classifier's classes differ from the estimator's")
    np.savez_compressed(
        folder / WEIGHTS,
        idf=np.concatenate(idfs),
        coef=np.asarray(svm.coef_, dtype=np.float64),
        intercept=np.asarray(svm.intercept_, dtype=np.float64),
        cal_a=np.array([c.a_ for c in calibrated.calibrators], dtype=np.float64),
        cal_b=np.array([c.b_ for c in calibrated.calibrators], dtype=np.float64),
    )
    (folder / VOCAB).write_text(json.dumps(vocab, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    params = {k: (list(v) if isinstance(v, tuple) else v) for k, v in est.get_params().items() if k != "cues"}
    card: dict[str, Any] = {
        "format": FORMAT,
        "backend": "sklearn",
        "task": "doc_type",
        "labels": labels,
        "model": {
            "features": "TF-IDF: body char n-grams, civic-tokenizer word n-grams, title char n-grams, structure tokens",
            "classifier": type(svm).__name__,
            "calibration": "sigmoid (CalibratedClassifierCV, ensemble=False)",
            "params": params,
            "blocks": blocks,
            "max_chars": est.max_chars,
            "word_chars": est.word_chars,
            "tokenizer": {"name": "jieba + civicnlp civic dictionary", "dict_sha256": _dict_sha256()},
            "cues": est.cues_,
        },
        **(info or {}),
        "versions": versions(),
        "created": now_iso(),
        "files": {name: sha256_file(folder / name) for name in (VOCAB, WEIGHTS)},
    }
    (folder / CARD).write_text(json.dumps(card, ensure_ascii=False, indent=1), encoding="utf-8")
    return card


def _bad(folder: Path, detail: str) -> ModelError:
    return ModelError(Errors.E302, path=str(folder), detail=detail)


def _read_json(path: Path, cap: int) -> Any:
    """A JSON file of at most ``cap`` bytes (size checked before reading)."""
    size = path.stat().st_size
    if size > cap:
        raise _bad(path.parent, f"{path.name} is {size} bytes, over the {cap}-byte limit")
    return json.loads(path.read_text(encoding="utf-8"))


def _read_npz(folder: Path, shapes: dict[str, tuple[int, ...]]) -> dict[str, np.ndarray]:
    """The arrays of ``weights.npz``: exactly the members in ``shapes``, each float64 of its
    expected shape — checked in the member's header before any array is read or allocated."""
    path = folder / WEIGHTS
    with zipfile.ZipFile(path) as zf:
        names = sorted(zf.namelist())
        if names != sorted(f"{k}.npy" for k in shapes):
            raise _bad(folder, f"weights.npz holds {names}, expected {sorted(shapes)}")
        for key, shape in shapes.items():
            with zf.open(f"{key}.npy") as fh:
                version = np.lib.format.read_magic(fh)
                if version == (1, 0):
                    header = np.lib.format.read_array_header_1_0(fh)
                elif version == (2, 0):
                    header = np.lib.format.read_array_header_2_0(fh)
                else:
                    raise _bad(folder, f"weights.npz:{key} has .npy format {version}")
            got_shape, _, dtype = header
            if tuple(got_shape) != shape or dtype != np.dtype("<f8"):
                raise _bad(folder, f"weights.npz:{key} is {dtype} {tuple(got_shape)}, expected float64 {shape}")
    with np.load(path, allow_pickle=False) as npz:
        return {k: np.asarray(npz[k], dtype=np.float64) for k in shapes}


def load_linear(folder: Path) -> LinearModel:
    """Rebuild the ``sklearn`` backend's predictor from ``vocab.json`` and ``weights.npz``."""
    from civicnlp.classify.linear import Block, LinearModel

    folder = Path(folder)
    card = read_card(folder)
    verify_files(folder, card, required=(VOCAB, WEIGHTS))
    try:
        spec = card["model"]
        labels = [str(x) for x in card["labels"]]
        vocab = _read_json(folder / VOCAB, MAX_WEIGHTS_BYTES)
        if not isinstance(vocab, dict) or set(vocab) != {str(b["name"]) for b in spec["blocks"]}:
            raise _bad(folder, "vocab.json's blocks are not the ones model.json names")
        blocks = []
        for b in spec["blocks"]:
            terms = vocab[b["name"]]
            if (
                not isinstance(terms, list)
                or len(terms) != int(b["size"])
                or not all(isinstance(t, str) for t in terms)
            ):
                raise _bad(folder, f"vocab.json's block {b['name']!r} does not match model.json")
            blocks.append(
                Block(
                    name=str(b["name"]),
                    ngram=(int(b["ngram"][0]), int(b["ngram"][1])),
                    sublinear_tf=bool(b["sublinear_tf"]),
                    binary=bool(b["binary"]),
                    weight=float(b["weight"]),
                    offset=int(b["offset"]),
                    vocabulary={t: i for i, t in enumerate(terms)},
                    terms=terms,
                )
            )
        cues, max_chars = dict(spec["cues"]), int(spec["max_chars"])
        word_chars = None if spec.get("word_chars") is None else int(spec["word_chars"])
        n_features = sum(len(b.terms) for b in blocks)
        n_rows = 1 if len(labels) == 2 else len(labels)
        shapes = {
            "idf": (n_features,),
            "coef": (n_rows, n_features),
            "intercept": (n_rows,),
            "cal_a": (n_rows,),
            "cal_b": (n_rows,),
        }
        arrays = _read_npz(folder, shapes)
    except CivicError:
        raise
    except (KeyError, TypeError, ValueError, IndexError, OSError, RecursionError, EOFError, zipfile.BadZipFile) as exc:
        raise _bad(folder, f"{type(exc).__name__}: {str(exc)[:200]}") from None
    from civicnlp.classify.features import ANALYZERS

    for b in blocks:
        if b.name not in ANALYZERS:
            raise _bad(folder, f"unknown feature block {b.name!r}")
    tok = spec.get("tokenizer", {})
    if any(b.name == "words" for b in blocks) and tok.get("dict_sha256") not in (None, _dict_sha256()):
        warnings.warn(
            f"the model in '{folder}' was trained with another civic dictionary; its word features may drift. "
            "Retrain it with `civicnlp train` for best results.",
            stacklevel=2,
        )
    return LinearModel(
        labels=labels,
        blocks=blocks,
        idf=arrays["idf"],
        coef=arrays["coef"],
        intercept=arrays["intercept"],
        cal_a=arrays["cal_a"],
        cal_b=arrays["cal_b"],
        cues=cues,
        max_chars=max_chars,
        word_chars=word_chars,
        card=card,
    )
