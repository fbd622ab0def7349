"""Load a corpus folder: every .txt, .md, .html and .htm file under it, plus an optional sources.json.

Policy for bad input (documented in the README):
- a missing folder, a path that is not a folder, a folder with no usable document, or a
  malformed ``sources.json`` raises :class:`CorpusError` with a message naming the path;
- a single unusable file (not UTF-8, binary, empty after extraction, unreadable) is skipped
  with a warning naming it, collected in :attr:`Corpus.skipped`, so one bad file never
  blocks the rest of the corpus.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.records import Document

SUFFIXES = (".txt", ".md", ".html", ".htm")
SIDECAR = "sources.json"
_SIDECAR_FIELDS = ("title", "outlet", "kind", "published")
# Block-level elements after which extracted HTML text gets a paragraph break.
_HTML_BLOCKS = (
    "p,div,h1,h2,h3,h4,h5,h6,li,br,tr,blockquote,section,article,header,footer,pre,table,ul,ol,dd,dt"
)


class CorpusError(Exception):
    """The corpus as a whole cannot be used; the message names the folder or file."""


@dataclass(frozen=True)
class Skipped:
    source: str
    reason: str


@dataclass(frozen=True)
class Corpus:
    root: Path
    documents: list[Document]
    skipped: list[Skipped] = field(default_factory=list)
    sidecar_sha256: str | None = None

    def hashes(self) -> dict[str, str]:
        """``{source: sha256 of the file's bytes}``, plus the sidecar under its own name."""
        out = {d.source: d.sha256 for d in self.documents}
        if self.sidecar_sha256 is not None:
            out[SIDECAR] = self.sidecar_sha256
        return out


def corpus_files(root: Path) -> list[Path]:
    """Document files under ``root``, recursively, sorted, hidden folders and files excluded."""
    files = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_file() and path.suffix.lower() in SUFFIXES:
            files.append(path)
    return files


def file_hashes(root: Path) -> dict[str, str]:
    """Hashes of the raw bytes of every document file and the sidecar, without parsing them.

    Cheap enough to run at every start-up to decide whether an index is stale.
    """
    root = _check_root(root)
    out = {p.relative_to(root).as_posix(): _sha256(p.read_bytes()) for p in corpus_files(root)}
    sidecar = root / SIDECAR
    if sidecar.is_file():
        out[SIDECAR] = _sha256(sidecar.read_bytes())
    return out


def load_corpus(root: Path | str) -> Corpus:
    """Read every document under ``root``. Raises :class:`CorpusError` if none is usable."""
    root = _check_root(Path(root))
    sources, sidecar_hash = _read_sidecar(root)
    documents: list[Document] = []
    skipped: list[Skipped] = []
    for path in corpus_files(root):
        rel = path.relative_to(root).as_posix()
        if not _utf8_ok(rel):
            # Undecodable bytes in a file name cannot go into passages.jsonl or a citation.
            skipped.append(Skipped(_printable(rel), "file name is not valid UTF-8"))
            continue
        try:
            raw = path.read_bytes()
            text, html_title = _decode(path, raw)
        except (OSError, ValueError) as exc:
            skipped.append(Skipped(rel, str(exc)))
            continue
        meta = sources.get(rel, {})
        extra = {k: v for k, v in meta.items() if k not in _SIDECAR_FIELDS and k != "file"}
        documents.append(
            Document(
                source=rel,
                text=text,
                sha256=_sha256(raw),
                title=str(meta.get("title") or html_title or _first_line(text)),
                outlet=meta.get("outlet"),
                kind=meta.get("kind"),
                published=None if meta.get("published") is None else str(meta["published"]),
                extra=extra,
            )
        )
    if not documents:
        detail = "".join(f"\n  skipped {s.source}: {s.reason}" for s in skipped)
        raise CorpusError(
            f"no usable documents in corpus folder {root} "
            f"(looked for {', '.join(SUFFIXES)} files){detail}"
        )
    return Corpus(root=root, documents=documents, skipped=skipped, sidecar_sha256=sidecar_hash)


def _check_root(root: Path) -> Path:
    if not root.exists():
        raise CorpusError(f"corpus folder does not exist: {root}")
    if not root.is_dir():
        raise CorpusError(f"corpus path is not a folder: {root}")
    return root.resolve()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_sidecar(root: Path) -> tuple[dict[str, dict[str, Any]], str | None]:
    path = root / SIDECAR
    if not path.is_file():
        return {}, None
    raw = path.read_bytes()
    try:
        entries = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CorpusError(f"{path} is not valid UTF-8 JSON: {exc}") from exc
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("file"), str) for e in entries
    ):
        raise CorpusError(f"{path} must be a JSON list of objects, each with a 'file' string")
    # JSON can spell lone surrogates ("\\ud800") that no UTF-8 file can hold: show U+FFFD instead.
    entries = _replace_surrogates(entries)
    return {e["file"]: e for e in entries}, _sha256(raw)


def _replace_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return value if _utf8_ok(value) else _printable(value)
    if isinstance(value, list):
        return [_replace_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_replace_surrogates(k): _replace_surrogates(v) for k, v in value.items()}
    return value


def _utf8_ok(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _printable(text: str) -> str:
    """``text`` with lone surrogates (undecodable bytes) as U+FFFD."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _decode(path: Path, raw: bytes) -> tuple[str, str | None]:
    """Bytes to document text; raises ValueError with a reason a person can act on."""
    if b"\x00" in raw[:8192]:
        raise ValueError("binary file (contains NUL bytes)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 (byte {exc.start}: {raw[exc.start:exc.start + 1]!r})") from exc
    title = None
    if path.suffix.lower() in (".html", ".htm"):
        text, title = html_to_text(text)
    if not text.strip():
        raise ValueError("empty file (no text)")
    return text, title


def html_to_text(html: str) -> tuple[str, str | None]:
    """Visible text of an HTML page, paragraphs separated by blank lines, and its <title>."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    title_node = tree.css_first("title")
    title = title_node.text(strip=True) if title_node is not None else None
    for node in tree.css("script,style,noscript,template,head"):
        node.decompose()
    for node in tree.css(_HTML_BLOCKS):
        node.insert_after("\n\n")
    root = tree.body if tree.body is not None else tree.root
    text = root.text(separator="") if root is not None else ""
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return text, title or None


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200]
    return ""
