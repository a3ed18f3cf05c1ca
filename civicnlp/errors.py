"""One catalogue of errors and warnings: coded, templated, and each says how to fix it.

Raise ``CivicError(Errors.E101, path=...)``; the record of a failed input carries
``{"code": "E101", "message": "..."}``. Codes never change meaning once released.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

__all__ = ["CivicError", "Errors", "ModelError", "ReadError"]


class Errors(str, Enum):
    """Error templates. Each message names what was wrong and how to fix it."""

    # reading (E1xx)
    E101 = "E101: '{path}' is empty ({detail}). Remove it or give a file with text."
    E102 = (
        "E102: '{path}' looks binary ({detail}); civicnlp reads text (.txt/.md), .docx, .html, "
        ".jsonl and .csv. Convert it to one of these or leave it out."
    )
    E103 = (
        "E103: could not decode '{path}' as UTF-8, GB18030, UTF-16/32 or Big5. Re-save it as "
        "UTF-8, or check that it is a text file."
    )
    E104 = "E104: '{path}' is {size} bytes, over the {limit}-byte limit. Split it, or raise the limit with --max-bytes."
    E105 = "E105: cannot read '{path}': {detail}. Check that the file exists and is readable."
    E106 = (
        "E106: '{path}' is not a valid .docx ({detail}). Open and re-save it in Word or "
        "LibreOffice, or convert it to .txt."
    )
    E107 = "E107: '{path}' is a symbolic link loop or points nowhere ({detail}). Fix or remove the link."
    E108 = (
        "E108: row {row} of '{path}' has no text in field '{field}'. Name the right column with "
        "--text-field, or fix the row."
    )
    E109 = "E109: row {row} of '{path}' is not valid JSON ({detail}). Fix or remove that line."
    E110 = (
        "E110: '{path}' was refused as a possible zip bomb ({detail}). Unpack it yourself if you "
        "trust it and give the text instead."
    )
    E111 = "E111: could not parse the HTML of '{path}' ({detail}). Save it as text and retry."
    E112 = "E112: row {row} of '{path}' is not a valid CSV row ({detail}). Fix or remove that row."
    E113 = (
        "E113: reading '{path}' took longer than its time budget of {seconds}s and was stopped. "
        "Save it as plain text (.txt), or split it, and retry."
    )
    # processing (E2xx)
    E201 = (
        "E201: extraction of '{id}' failed in stage '{stage}' ({detail}). The other documents "
        "were written; please report this with the input at the project's issue tracker."
    )
    E202 = (
        "E202: '{id}' took longer than its time budget of {seconds}s in stage '{stage}'; the "
        "record is partial. Raise --time-budget if the document is genuinely huge."
    )
    E203 = (
        "E203: the text of '{id}' holds {parts} documents (a compilation); the spaCy component "
        "reads one Doc as one document. Use civicnlp.spacy_ext.part_docs(nlp, text) to get one "
        "Doc per part."
    )
    E204 = (
        "E204: the {kind} item at {start}-{end} of '{id}' ('{text}') could not be placed on the "
        "spaCy Doc and was left out of its span group; please report this with the input."
    )
    E205 = (
        "E205: {detail}. The records written so far are kept in '{partial}': rerun the same "
        "command with --resume to finish the job."
    )
    # models (E3xx)
    E301 = (
        "E301: '{path}' is not a civicnlp model folder (no model.json). Give a folder written "
        "by `civicnlp train`, or leave --model out to use the default model."
    )
    E302 = (
        "E302: the model in '{path}' is damaged or was tampered with ({detail}). Train it again "
        "with `civicnlp train`, or restore the folder from its source."
    )
    E303 = "E303: the model in '{path}' needs the '{backend}' backend, which needs extra packages: {install}"
    E304 = (
        "E304: label '{label}' has {count} documents, fewer than the {minimum} needed to train "
        "and cross-validate. Add documents for it or leave it out."
    )
    E305 = (
        "E305: training data '{path}' holds no labeled documents. Give a folder with one "
        "subfolder per label, or a .jsonl/.csv with --text-field and --label-field."
    )
    E306 = "E306: expected an iterable of documents (texts), got a bare {kind}. Wrap it in a list."
    E307 = (
        "E307: training data '{path}' has only one label ('{label}'); a classifier needs at least "
        "two. Add a subfolder (or rows) for another label."
    )
    E310 = (
        "E310: '{path}' is not a usable base checkpoint ({detail}). Give a local Hugging Face "
        "checkpoint folder (config.json, tokenizer files, *.safetensors weights), or make one "
        "with `civicnlp pretrain CORPUS -o DIR`."
    )
    # usage (E4xx)
    E401 = "E401: '{path}' does not exist. Check the path."
    E402 = "E402: unknown format '{value}'. Use one of: {choices}."
    E403 = "E403: optional dependency missing: {detail}. Install it with: {install}"
    E404 = "E404: '{path}' has {parts} document(s); there is no part {part}. Give a part from 1 to {parts}."
    E405 = (
        "E405: '{path}' holds the progress of a different command ({detail}). Rerun that command "
        "with --resume to finish it, or delete '{path}' to start over."
    )
    E406 = "E406: --resume needs an output file (-o FILE): no progress can be kept on standard output."
    E407 = (
        "E407: Spark cannot start: {detail}. Check that Java 17+ is installed (java -version) or "
        "that JAVA_HOME points to it, and that the master URL '{master}' is right."
    )
    E408 = (
        "E408: another civicnlp run is writing '{path}' right now. Wait for it to end, or stop it "
        "and rerun with --resume."
    )
    E409 = (
        "E409: --resume works with the local engine only; Spark retries failed tasks by itself. "
        "Rerun the Spark job without --resume."
    )

    def format(self, *args: object, **kwargs: Any) -> str:
        return str(self.value).format(*args, **kwargs)


class CivicError(Exception):
    """An error from the catalogue: ``code`` plus a message that says how to fix it."""

    def __init__(self, error: Errors, **kwargs: Any) -> None:
        self.code = error.name
        self.message = error.format(**kwargs)
        super().__init__(self.message)

    def to_dict(self) -> dict[str, str]:
        """The ``error`` object of an error record."""
        return {"code": self.code, "message": self.message}

    @classmethod
    def _rebuild(cls, code: str, message: str) -> CivicError:
        err = cls.__new__(cls)
        err.code, err.message = code, message
        Exception.__init__(err, message)
        return err

    def __reduce__(self) -> tuple[Any, tuple[str, str]]:
        # errors cross process boundaries (worker pools, Spark executors) as code + message
        return (type(self)._rebuild, (self.code, self.message))


class ReadError(CivicError):
    """An input could not be read; its file gets an error record and the run goes on."""


class ModelError(CivicError):
    """A model folder could not be loaded or trained safely."""
