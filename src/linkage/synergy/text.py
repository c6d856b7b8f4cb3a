"""Text assistance for policy documents (政策文本辅助): segmentation, keyword frequencies,
dictionary pre-coding and the agreement between pre-codes and confirmed codes.

Chinese word segmentation is jieba's (a private :class:`jieba.Tokenizer`, never the global one,
with the kit's domain dictionary ``userdict.txt`` of 巩固拓展/乡村振兴 terms loaded once).
Pre-codes (``auto_codes``) are suggestions a researcher reviews; they are kept apart from the
confirmed ``codes`` and never overwrite them. Cohen's kappa between the two says how far the
dictionary can be trusted, code by code.

References
----------
Cohen, J. (1960). A coefficient of agreement for nominal scales. *Educational and
Psychological Measurement* 20, 37–46.
Cohen, J. (1968). Weighted kappa: nominal scale agreement with provision for scaled
disagreement or partial credit. *Psychological Bulletin* 70, 213–220.
Fleiss, J. L., Cohen, J. & Everitt, B. S. (1969). Large sample standard errors of kappa and
weighted kappa. *Psychological Bulletin* 72, 323–327.
Landis, J. R. & Koch, G. G. (1977). The measurement of observer agreement for categorical
data. *Biometrics* 33, 159–174.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import logging
import re
import unicodedata
from collections.abc import Hashable, Iterable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import jieba
import numpy as np
import pandas as pd
from scipy.stats import norm

from linkage.checks import check_level, check_option, first_rows
from linkage.errors import InputError
from linkage.labels import Language, is_zh, label
from linkage.synergy._inputs import period_of

__all__ = [
    "KappaResult",
    "KappaWeights",
    "agreement_report_table",
    "apply_precoding",
    "coding_agreement",
    "cohen_kappa",
    "keyword_frequencies",
    "landis_koch",
    "precode",
    "segment",
]

KappaWeights = Literal["linear", "quadratic"]

_HERE = Path(__file__).resolve().parent
USERDICT = _HERE / "userdict.txt"
STOPWORDS = _HERE / "stopwords.txt"

_SEP = "\x1f"  # joins the tokens of a text: a keyword that is one word must not straddle it
_WORDLIKE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffA-Za-z]")
_NUMBER = re.compile(r"第?[0-9.,%‰〇零一二三四五六七八九十百千万亿]+")
# Section headings of Chinese official documents: 一、… / (一)… (after NFKC) / 第一章 …,
# up to the first full stop (a numbered paragraph often starts with its heading sentence).
_HEADING = (r"^[ \t]*(?:第[一二三四五六七八九十百零〇0-9]+[章节部分编篇]"
            r"|[一二三四五六七八九十百]+、|\([一二三四五六七八九十百]+\))[^。\n]*")


# --- tokenizer --------------------------------------------------------------------------------

@contextmanager
def _quiet_jieba():
    """jieba logs "Building prefix dict …" at DEBUG to stderr; silence it, then restore."""
    logger = jieba.default_logger
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _dictionary_file(path: str | Path) -> Path:
    path = Path(path)
    if not path.is_file():
        raise InputError("找不到用户词典文件 / user dictionary not found", file=path,
                         hint="每行“词语 词频 词性”，UTF-8 编码 / one 'word freq pos' per line")
    return path


@lru_cache(maxsize=8)
def _tokenizer(userdict: str | None, stamp: tuple[int, int] | None = None) -> jieba.Tokenizer:
    """A private jieba tokenizer with the domain dictionary (and ``userdict``) loaded, cached
    per user dictionary file and its ``stamp`` (modification time, size): an edited dictionary
    is loaded again."""
    tokenizer = jieba.Tokenizer()
    with _quiet_jieba():
        tokenizer.initialize()
        for path in (USERDICT, *([] if userdict is None else [Path(userdict)])):
            raw = path.read_bytes()
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise InputError("用户词典不是 UTF-8 编码 / user dictionary is not UTF-8",
                                 file=path, row=raw[:error.start].count(b"\n") + 1,
                                 hint="另存为 UTF-8；每行“词语 [词频] [词性]”，空格分隔 / "
                                      "save it as UTF-8, one 'word [freq] [pos]' per line"
                                 ) from None
            tokenizer.load_userdict(io.BytesIO(raw))
    return tokenizer


def _get_tokenizer(userdict: str | Path | None) -> jieba.Tokenizer:
    if userdict is None:
        return _tokenizer(None)
    path = _dictionary_file(userdict).resolve()
    stat = path.stat()
    return _tokenizer(str(path), (stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=1)
def _default_stopwords() -> frozenset[str]:
    lines = STOPWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(_nfkc(w.strip()) for w in lines if w.strip() and not w.startswith("#"))


def _stopwords(extra: str | Path | Iterable[str] | None) -> frozenset[str]:
    if extra is None:
        return _default_stopwords()
    if isinstance(extra, str | Path):
        path = Path(extra)
        if not path.is_file():
            raise InputError("找不到停用词文件 / stop-word file not found", file=path,
                             hint="每行一个词，UTF-8 编码 / one word per line, UTF-8")
        extra = [w for w in path.read_text(encoding="utf-8").splitlines()
                 if not w.startswith("#")]
    return _default_stopwords() | {_nfkc(str(w).strip()) for w in extra if str(w).strip()}


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _texts(texts: pd.Series | Mapping[Hashable, str], what: str = "texts") -> pd.Series:
    """Texts as an NFKC-normalised string Series; missing, empty or blank texts are <NA>."""
    if isinstance(texts, Mapping):
        texts = pd.Series(dict(texts), dtype="object")
    if not isinstance(texts, pd.Series):
        raise InputError(f"{what} 应为 pandas.Series（索引为 doc_id）/ {what} must be a Series "
                         f"indexed by doc_id, got {type(texts).__name__}")
    if not texts.index.is_unique:
        dup = texts.index[texts.index.duplicated()].unique()
        raise InputError(f"{what} 的 doc_id 重复 / duplicate doc_id: {first_rows(dup)}",
                         column="doc_id", hint="每个文件只保留一条全文 / one text per document")
    present = texts[texts.notna()]
    bad = np.array([not isinstance(v, str) for v in present], dtype=bool)
    if bad.any():
        raise InputError(f"{what} 中有非文本值 / non-text values for "
                         f"{first_rows(present.index[bad])}",
                         column="text", hint="全文应为字符串 / texts must be strings")
    out = texts.astype("string").map(_nfkc, na_action="ignore").astype("string")
    out[out.str.strip().fillna("") == ""] = pd.NA
    out.index.name = texts.index.name or "doc_id"
    return out


def _is_content(token: str, stopwords: frozenset[str], min_length: int) -> bool:
    return (len(token) >= min_length and bool(_WORDLIKE.search(token))
            and _NUMBER.fullmatch(token) is None and token not in stopwords)


def _check_min_length(min_length: int) -> None:
    if isinstance(min_length, bool) or not isinstance(min_length, int) or min_length < 1:
        raise InputError(f"min_length={min_length!r} 须为正整数 / min_length must be a positive "
                         "integer", hint="默认 2：去掉单字词 / 2 drops single characters")


def segment(texts: pd.Series, *, userdict: str | Path | None = None,
            stopwords: str | Path | Iterable[str] | None = None,
            min_length: int = 2) -> pd.Series:
    """Chinese word segmentation of policy texts (中文分词), stop words, numbers and punctuation
    dropped.

    jieba (accurate mode, HMM for unknown words) with the kit's domain dictionary
    ``linkage/synergy/userdict.txt`` (about 200 terms such as 巩固拓展脱贫攻坚成果、防止返贫、
    衔接资金、东西部协作、扶贫项目资产, in jieba's ``word freq pos`` format) loaded once into a
    private tokenizer; the global ``jieba`` dictionary is never touched. Texts are
    NFKC-normalised first (full-width digits and letters become half-width). A token is kept
    when it contains a Chinese character or a Latin letter, is not a number (``2025``、``30%``、
    ``三``、``第一``), is not a stop word (``linkage/synergy/stopwords.txt``: function words
    and boilerplate such as 的、加强、推进、各级、一是) and has at least ``min_length``
    characters (default 2: single characters such as 县、本、村 say little on their own). The
    same text always gives the same tokens.

    Parameters
    ----------
    texts : pandas.Series
        Full texts, indexed by ``doc_id``. Missing, empty or blank texts give ``<NA>``.
    userdict : str or Path, optional
        A further jieba user dictionary (``word [freq] [pos]`` per line, UTF-8), loaded after the
        domain dictionary.
    stopwords : str, Path or iterable of str, optional
        Further stop words (a file with one word per line, or the words), added to the kit's list.
    min_length : int
        Shortest token kept, in characters (1 keeps single characters).

    Returns
    -------
    pandas.Series
        Same index, name ``tokens``: a list of tokens per document, ``<NA>`` without text.

    References
    ----------
    Sun, J. (2012–). jieba Chinese text segmentation, https://github.com/fxsjy/jieba.

    Examples
    --------
    >>> segment(pd.Series({"d1": "巩固拓展脱贫攻坚成果，健全防止返贫动态监测机制。"}))["d1"]
    ['巩固拓展脱贫攻坚成果', '防止返贫动态监测']
    """
    _check_min_length(min_length)
    norm = _texts(texts)
    tokenizer = _get_tokenizer(userdict)
    stop = _stopwords(stopwords)

    def tokens(text: str) -> list[str]:
        return [t for t in tokenizer.cut(text) if _is_content(t, stop, min_length)]

    return pd.Series([pd.NA if pd.isna(text) else tokens(text) for text in norm],
                     index=norm.index, name="tokens", dtype="object")


# --- keyword frequencies ----------------------------------------------------------------------

def _document_years(documents: pd.DataFrame) -> pd.Series:
    if "year" in documents.columns:
        column, years = "year", pd.to_numeric(documents["year"], errors="coerce")
    elif "date" in documents.columns:
        column = "date"
        years = pd.to_datetime(documents["date"], format="ISO8601", errors="coerce").dt.year
    else:
        raise InputError("documents 缺少 year 或 date 列 / documents need a year or date column",
                         column="year")
    if years.isna().any():
        raise InputError(f"文件缺少年份 / documents without a year: "
                         f"{first_rows(years.index[years.isna()])}", column=column,
                         hint="补全印发日期（YYYY-MM-DD）/ fill in the date issued")
    return years


def keyword_frequencies(corpus_or_texts: Any, documents: pd.DataFrame | None = None, *,
                        by: str | Sequence[str] = ("period", "level"),
                        periods: Mapping[str, tuple[int | None, int | None]] | None = None,
                        top: int | None = 20, userdict: str | Path | None = None,
                        stopwords: str | Path | Iterable[str] | None = None,
                        min_length: int = 2) -> pd.DataFrame:
    """Keyword frequencies by period and administrative level (关键词词频).

    Texts are segmented with :func:`segment`; for each group of documents (``by``: columns of
    the documents table and/or ``"period"``) and each term:

    * ``term_count`` = occurrences of the term in the group's texts;
    * ``doc_freq`` = documents of the group whose text contains it;
    * ``docs_with_text`` = documents of the group that have a text (the denominator);
    * ``per_doc`` = ``term_count / docs_with_text`` (mean occurrences per document);
    * ``doc_share`` = ``doc_freq / docs_with_text``;
    * ``rank`` = 1 for the most frequent term of the group (ties by term, so ranks are unique).

    ``period`` labels each document's ``year`` (from ``date`` when there is no ``year``) by
    ``periods``, default :data:`linkage.synergy._inputs.PERIODS` (the one definition every
    synergy measure uses): 脱贫攻坚期 ≤ 2020, 过渡期 2021–2025, 常态化帮扶期 ≥ 2026.
    Documents without text are left out (their number is ``attrs["n_without_text"]``); for the
    others a year outside every period or a missing grouping value is an error.

    Parameters
    ----------
    corpus_or_texts : PolicyCorpus or pandas.Series
        A corpus (its ``texts`` and ``documents`` are used) or the full texts indexed by
        ``doc_id``.
    documents : pandas.DataFrame, optional
        Document table indexed by ``doc_id`` (needed with a Series of texts).
    by : str or sequence of str
        Grouping: ``"period"`` and/or columns of ``documents`` (``level``, ``doc_type`` …);
        ``()`` = the whole corpus.
    periods : mapping, optional
        Label → ``(first_year, last_year)``, inclusive, ``None`` for an open end; no overlaps.
    top : int or None
        Terms kept per group (by ``rank``); ``None`` keeps all.
    userdict, stopwords, min_length : optional
        As in :func:`segment`.

    Returns
    -------
    pandas.DataFrame
        One row per group and term: the ``by`` columns, ``term``, ``term_count``, ``doc_freq``,
        ``docs_with_text``, ``per_doc``, ``doc_share``, ``rank``; sorted by group and rank.

    Examples
    --------
    >>> texts = pd.Series({"a": "防止返贫。防止返贫。", "b": "乡村振兴。", "c": "防止返贫。"})
    >>> docs = pd.DataFrame({"year": [2019, 2022, 2023], "level": ["中央"] * 3},
    ...                     index=pd.Index(["a", "b", "c"], name="doc_id"))
    >>> table = keyword_frequencies(texts, docs, by="period")
    >>> for row in table[["period", "term", "term_count", "per_doc"]].values.tolist():
    ...     print(row)
    ['脱贫攻坚期', '防止返贫', 2, 2.0]
    ['过渡期', '乡村振兴', 1, 0.5]
    ['过渡期', '防止返贫', 1, 0.5]
    """
    texts, documents = _texts_and_documents(corpus_or_texts, documents)
    by = [by] if isinstance(by, str) else list(by)
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise InputError(f"top={top!r} 须为正整数或 None / top must be a positive int or None")
    absent = [c for c in by if c != "period" and c not in documents.columns]
    if absent:
        raise InputError(f"documents 缺少分组列 / documents lack column(s): {', '.join(absent)}",
                         column=absent[0],
                         hint=f"现有列 / available: {', '.join(map(str, documents.columns))}")
    tokens = segment(texts.reindex(documents.index), userdict=userdict, stopwords=stopwords,
                     min_length=min_length)
    has_text = tokens.notna()
    counted = documents[has_text.to_numpy()]
    keys = counted.reindex(columns=[c for c in by if c != "period"])
    if "period" in by:
        keys["period"] = period_of(_document_years(counted), periods)
    keys = keys[by]
    for column in by:
        if keys[column].isna().any():
            raise InputError(f"分组列“{column}”有缺失值 / grouping column {column!r} has missing "
                             f"values: {first_rows(keys.index[keys[column].isna()])}",
                             column=column, hint="补全后再分组 / fill it in first")
    long = tokens[has_text].explode().dropna().rename("term")
    frame = keys.loc[long.index].assign(term=long.to_numpy(), doc_id=long.index)
    group_cols = [*by, "term"]
    counts = (frame.groupby(group_cols, observed=True, sort=False)
              .agg(term_count=("doc_id", "size"), doc_freq=("doc_id", "nunique"))
              .reset_index())
    if by:
        denominators = keys.value_counts().rename("docs_with_text")
        counts = counts.merge(denominators.reset_index(), on=by, how="left")
    else:
        counts["docs_with_text"] = int(has_text.sum())
    counts["per_doc"] = counts["term_count"] / counts["docs_with_text"]
    counts["doc_share"] = counts["doc_freq"] / counts["docs_with_text"]
    counts = counts.sort_values([*by, "term_count", "term"],
                                ascending=[True] * len(by) + [False, True], kind="stable")
    counts["rank"] = (counts.groupby(by, observed=True, sort=False).cumcount() + 1
                      if by else np.arange(1, len(counts) + 1))
    if top is not None:
        counts = counts[counts["rank"] <= top]
    out = counts[[*by, "term", "term_count", "doc_freq", "docs_with_text", "per_doc",
                  "doc_share", "rank"]].reset_index(drop=True)
    out.attrs["n_without_text"] = int((~has_text).sum())
    return out


def _texts_and_documents(corpus_or_texts: Any, documents: pd.DataFrame | None
                         ) -> tuple[pd.Series, pd.DataFrame]:
    if isinstance(corpus_or_texts, pd.Series | Mapping):
        if documents is None:
            raise InputError("给出全文时还需给出 documents / documents are needed with texts",
                             hint="keyword_frequencies(texts, documents, …)")
        texts = corpus_or_texts
    else:
        texts, documents = _corpus_texts(corpus_or_texts), corpus_or_texts.documents
    if not isinstance(documents, pd.DataFrame):
        raise InputError("documents 应为 pandas.DataFrame（索引为 doc_id）/ documents must be "
                         "a DataFrame indexed by doc_id")
    texts = _texts(texts)
    unknown = texts.index.difference(documents.index)
    if len(unknown):
        raise InputError(f"有全文但不在文件表中 / texts of unknown documents: "
                         f"{first_rows(unknown)}", column="doc_id",
                         hint="在文件表中补充这些文件，或删去其全文 / add them to the "
                              "document table")
    return texts, documents


def _corpus_texts(corpus: Any) -> pd.Series:
    """The corpus's texts on its document index (<NA> where a document has no text)."""
    index = corpus.documents.index
    texts = getattr(corpus, "texts", None)
    if texts is None:
        return pd.Series(pd.NA, index=index, dtype="string")
    return _texts(texts).reindex(index)


# --- dictionary pre-coding --------------------------------------------------------------------

def _keyword_map(scheme: Any) -> dict[str, tuple[str, ...]]:
    """Code id → keywords (NFKC, unique, non-empty) from a mapping or a coding scheme (its
    ``codes``, each with ``id`` and ``keywords``, goals then instruments)."""
    if isinstance(scheme, Mapping):
        mapping = scheme
    elif isinstance(getattr(scheme, "codes", None), Iterable):
        mapping = {code.id: code.keywords for code in scheme.codes}
    else:
        raise InputError("编码方案应为 CodingScheme 或“编码 → 关键词列表”的映射 / scheme must be "
                         "a CodingScheme or map code ids to keyword lists")
    out: dict[str, tuple[str, ...]] = {}
    for code, words in mapping.items():
        if isinstance(words, str) or not isinstance(words, Iterable):
            raise InputError(f"编码 {code!r} 的关键词应为列表 / keywords of {code!r} must be a "
                             "list", column=str(code))
        cleaned = [_nfkc(str(w)).strip() for w in words]
        if any(not w or _SEP in w for w in cleaned):
            raise InputError(f"编码 {code!r} 有空关键词 / empty keyword for {code!r}",
                             column=str(code))
        out[str(code)] = tuple(dict.fromkeys(cleaned))
    return out


def _word_joints(word: str, tokenizer: jieba.Tokenizer) -> set[int]:
    """Positions inside ``word`` where it divides into words: the boundaries of its own
    segmentation, and every point where a dictionary word of two or more characters ends and
    another begins (资产管理: 2, from 资产|管理; 产业: none)."""
    cuts = set(itertools.accumulate(len(t) for t in tokenizer.lcut(word)))
    dag = tokenizer.get_DAG(word)  # start -> inclusive ends of the dictionary words there
    ends = {j + 1 for i, js in dag.items() for j in js if j > i}
    starts = {i for i, js in dag.items() if any(j > i for j in js)}
    return (cuts | (ends & starts)) - {0, len(word)}


def _pattern(keywords: Sequence[str], tokenizer: jieba.Tokenizer) -> str:
    """One regex over the token stream joined by ``_SEP``: a keyword may be cut by token
    boundaries only where it divides into words itself (see :func:`_word_joints`). Longer
    keywords come first, so nested keywords are not counted twice."""
    parts = []
    for word in sorted(keywords, key=lambda w: (-len(w), w)):
        joints = _word_joints(word, tokenizer)
        parts.append("".join(re.escape(char) + (f"{re.escape(_SEP)}?" if k in joints else "")
                             for k, char in enumerate(word, start=1)))
    return "|".join(parts)


def precode(texts: pd.Series, scheme: Any, *, mention: int = 1, emphasis: int = 3,
            headings: bool = True, titles: pd.Series | None = None,
            userdict: str | Path | None = None) -> pd.DataFrame:
    """Dictionary pre-coding of goals and instruments (词典预编码), 0/1/2 per document and code.

    For each code of the scheme, *hits* = occurrences of any of its keywords in the text,
    matched on the jieba tokens of the text: a keyword counts where it lies inside a token or
    spans several, provided no token boundary cuts it except where the keyword itself divides
    into words. So 产业 counts in 特色产业 but not in 资产业务 (资产|业务 cuts 产|业, and 产业 is
    one word), while 资产管理 counts in 扶贫项目资产|管理 and a multi-word keyword such as
    东西部协作帮扶 counts across its tokens. Longest keywords match first and matches do not
    overlap, so a nested keyword (帮扶 in 消费帮扶) is not counted twice. Then

    * 2 (重点, emphasised) if hits ≥ ``emphasis``, or (``headings=True``) a keyword occurs in a
      section heading — a line starting ``一、``, ``（一）`` or ``第一章`` up to its first 。,
      i.e. the code has a section of its own — or in the document's title (``titles``: the
      whole document is about it; title hits do not add to the hit count);
    * 1 (提及, mentioned) if ``mention`` ≤ hits < ``emphasis``;
    * 0 (未涉及) otherwise;
    * ``<NA>`` for a document without text and for a code without keywords (nothing to match).

    Quantified targets (the scheme's other sign of emphasis) are not detected: the researcher
    confirms them. Pre-codes are suggestions; see :func:`apply_precoding`.

    Parameters
    ----------
    texts : pandas.Series
        Full texts indexed by ``doc_id``.
    scheme : CodingScheme or mapping
        A coding scheme (the ``keywords`` of each of its ``codes``, in its order), or a mapping
        code id → keywords.
    mention, emphasis : int
        Hit thresholds for 1 and 2 (``1 ≤ mention < emphasis``); default 1 and 3.
    headings : bool
        Whether a keyword in a section heading (or title) makes the code 2.
    titles : pandas.Series, optional
        Document titles indexed by ``doc_id`` (the corpus's ``documents["title"]``); the texts
        themselves usually start below the title.
    userdict : str or Path, optional
        A further jieba user dictionary, as in :func:`segment`.

    Returns
    -------
    pandas.DataFrame
        Index ``doc_id`` (as ``texts``), one ``Int64`` column per code id: 0, 1, 2 or ``<NA>``.

    Examples
    --------
    >>> texts = pd.Series({"a": "一、完善东西部协作机制\\n加大衔接资金投入。",
    ...                    "b": "加强人才培养。"})
    >>> scheme = {"demand_pairing": ["东西部协作"], "supply_funds": ["衔接资金", "资金"],
    ...           "supply_talent": ["人才"]}
    >>> precode(texts, scheme).values.tolist()
    [[2, 1, 0], [0, 0, 1]]
    """
    for name, value in (("mention", mention), ("emphasis", emphasis)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
            raise InputError(f"{name}={value!r} 须为正整数 / {name} must be a positive integer")
    if emphasis <= mention:
        raise InputError(f"emphasis={emphasis} 须大于 mention={mention} / emphasis must exceed "
                         "mention", hint="例如 mention=1, emphasis=3")
    keymap = _keyword_map(scheme)
    norm = _texts(texts)
    tokenizer = _get_tokenizer(userdict)
    present = norm.dropna()

    def joined(texts: pd.Series) -> pd.Series:
        return pd.Series([_SEP.join(tokenizer.cut(t)) for t in texts], index=texts.index,
                         dtype="string")

    body = joined(present)
    head_lines = present.str.findall(_HEADING, flags=re.MULTILINE).str.join("\n")
    if titles is not None:
        head_lines = _texts(titles, "titles").reindex(present.index).fillna("") + "\n" + head_lines
    heads = joined(head_lines)
    out = pd.DataFrame(pd.NA, index=norm.index, columns=list(keymap), dtype="Int64")
    for code, words in keymap.items():
        if not words:
            continue
        pattern = _pattern(words, tokenizer)
        hits = body.str.count(pattern).to_numpy()
        in_heading = heads.str.count(pattern).to_numpy() > 0 if headings else False
        score = np.select([(hits >= emphasis) | in_heading, hits >= mention], [2, 1], 0)
        out.loc[present.index, code] = score
    out.index.name = norm.index.name
    out.columns.name = None
    return out


def apply_precoding(corpus: Any, *, mention: int = 1, emphasis: int = 3, headings: bool = True,
                    userdict: str | Path | None = None) -> Any:
    """A new corpus whose ``auto_codes`` are the dictionary pre-codes (词典预编码) of its texts.

    :func:`precode` of ``corpus.texts`` with ``corpus.scheme``'s keywords and the titles of
    ``corpus.documents`` (when it has a ``title`` column), on every document of the corpus
    (``<NA>`` where a document has no text). The confirmed ``codes`` are
    carried over unchanged — also where they are ``<NA>``: confirming a code is the
    researcher's act, never the dictionary's. The input corpus is not modified.

    Parameters
    ----------
    corpus : PolicyCorpus
        A frozen dataclass with ``documents``, ``texts``, ``scheme``, ``codes``, ``auto_codes``.
    mention, emphasis, headings, userdict
        As in :func:`precode`.

    Returns
    -------
    PolicyCorpus
        ``dataclasses.replace(corpus, auto_codes=…)``.

    Examples
    --------
    >>> new = apply_precoding(corpus)  # doctest: +SKIP
    >>> new.codes.equals(corpus.codes)  # doctest: +SKIP
    True
    """
    if not dataclasses.is_dataclass(corpus) or isinstance(corpus, type):
        raise InputError("apply_precoding 需要一个 PolicyCorpus / apply_precoding takes a "
                         f"PolicyCorpus, got {type(corpus).__name__}",
                         hint="对单独的全文请用 precode(texts, scheme) / use precode for texts")
    titles = corpus.documents["title"] if "title" in corpus.documents.columns else None
    auto = precode(_corpus_texts(corpus), corpus.scheme, mention=mention, emphasis=emphasis,
                   headings=headings, titles=titles, userdict=userdict)
    return dataclasses.replace(corpus, auto_codes=auto)


# --- agreement --------------------------------------------------------------------------------

_LANDIS_KOCH = ((0.0, "lk_poor"), (0.20, "lk_slight"), (0.40, "lk_fair"), (0.60, "lk_moderate"),
                (0.80, "lk_substantial"), (1.0, "lk_almost_perfect"))


def landis_koch(kappa: float, language: Language = "zh") -> str:
    """Strength of agreement by Landis & Koch (1977, p. 165) (一致性程度).

    < 0 差 (poor), 0–0.20 轻微 (slight), 0.21–0.40 一般 (fair), 0.41–0.60 中等 (moderate),
    0.61–0.80 高度 (substantial), 0.81–1 几乎完全 (almost perfect); upper bounds inclusive,
    kappa rounded to 12 decimals first (so 0.4 computed as 0.40000000000000002 is 一般).
    ``""`` for a missing kappa.

    Examples
    --------
    >>> landis_koch(0.4), landis_koch(0.41), landis_koch(-0.1, "en")
    ('一般', '中等', 'Poor')
    """
    if kappa is None or pd.isna(kappa):
        return ""
    value = round(float(kappa), 12)
    if value < 0:
        return label("lk_poor", language)
    for upper, key in _LANDIS_KOCH[1:]:
        if value <= upper:
            return label(key, language)
    return label("lk_almost_perfect", language)


@dataclass(frozen=True)
class KappaResult:
    """Cohen's (weighted) kappa with its large-sample inference.

    ``observed``/``expected`` are the (weighted) proportions of agreement p_o, p_e; ``se`` the
    standard error for the interval (Fleiss, Cohen & Everitt 1969), ``se_null`` the one under
    κ = 0 used by ``z`` and ``pvalue`` (two-sided), as SPSS and SAS print them. The Wald interval
    κ ± z·se is truncated to κ's range [−1, 1] (near perfect agreement the normal
    approximation would pass 1, a value κ cannot take). ``n`` pairs were used, ``n_dropped``
    pairs had a missing rating.
    """

    kappa: float
    observed: float
    expected: float
    n: int
    n_dropped: int
    se: float
    se_null: float
    ci_low: float
    ci_high: float
    z: float
    pvalue: float
    level: float
    weights: str

    @property
    def strength(self) -> str:
        """Landis & Koch (1977) label of ``kappa`` (Chinese)."""
        return landis_koch(self.kappa)

    def to_frame(self) -> pd.DataFrame:
        """One row: the fields plus ``strength``."""
        return pd.DataFrame([{**dataclasses.asdict(self), "strength": self.strength}])

    def _p(self) -> str:
        return "< 0.0001" if self.pvalue < 1e-4 else f"= {self.pvalue:.4f}"

    def summary(self, language: Language = "zh") -> str:
        """A few lines for a report or the console."""
        pct = f"{self.level:.0%}"
        if is_zh(language):
            kind = {"none": "", "linear": "线性加权", "quadratic": "二次加权"}[self.weights]
            head = (f"Cohen {kind}κ = {self.kappa:.3f}（{self.strength or '无法计算'}），"
                    f"标准误 {self.se:.3f}，{pct} 置信区间 [{self.ci_low:.3f}, {self.ci_high:.3f}]")
            rest = (f"观测一致率 {self.observed:.3f}，期望一致率 {self.expected:.3f}；"
                    f"z = {self.z:.3f}，p {self._p()}（H0: κ = 0）；"
                    f"n = {self.n}（因缺失剔除 {self.n_dropped} 对）")
            return f"{head}\n{rest}"
        kind = {"none": "", "linear": "linear-weighted ", "quadratic": "quadratic-weighted "}
        return (f"Cohen's {kind[self.weights]}kappa = {self.kappa:.3f} "
                f"({landis_koch(self.kappa, 'en') or 'undefined'}), SE {self.se:.3f}, "
                f"{pct} CI [{self.ci_low:.3f}, {self.ci_high:.3f}]\n"
                f"observed agreement {self.observed:.3f}, expected {self.expected:.3f}; "
                f"z = {self.z:.3f}, p {self._p()} (H0: kappa = 0); "
                f"n = {self.n} ({self.n_dropped} pairs with a missing rating dropped)")


def _ratings(values: Any, name: str, labels: Sequence[Hashable]) -> np.ndarray:
    """Positions of the ratings in ``labels``; -1 where missing."""
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype="object")
    missing = series.isna().to_numpy()
    codes = pd.Index(list(labels), dtype="object").get_indexer(series.astype("object"))
    codes[missing] = -1
    unknown = (codes < 0) & ~missing
    if unknown.any():
        bad = series[unknown]
        raise InputError(f"{name} 含不在 labels 中的值 / {name} has values outside labels: "
                         f"{first_rows(bad.unique().tolist())} (行 / rows "
                         f"{first_rows(bad.index.tolist())})",
                         hint=f"可用的值 / allowed: {list(labels)}")
    return codes


def cohen_kappa(a: pd.Series | Sequence[Any], b: pd.Series | Sequence[Any], *,
                labels: Sequence[Hashable] = (0, 1, 2), weights: KappaWeights | None = None,
                level: float = 0.95) -> KappaResult:
    r"""Cohen's kappa (Cohen 1960) and weighted kappa (Cohen 1968) between two raters (一致性系数).

    With the k × k table of proportions :math:`p_{ij}` (rater ``a`` in rows), margins
    :math:`p_{i\cdot}`, :math:`p_{\cdot j}` and agreement weights :math:`w_{ij}` (1 on the
    diagonal; unweighted: 0 elsewhere; ``"linear"``: :math:`1-|i-j|/(k-1)`; ``"quadratic"``:
    :math:`1-(i-j)^2/(k-1)^2`, over the positions of ``labels``):

    .. math::
        p_o = \sum w_{ij} p_{ij}, \quad p_e = \sum w_{ij} p_{i\cdot} p_{\cdot j}, \quad
        \kappa = (p_o - p_e) / (1 - p_e).

    Large-sample variance (Fleiss, Cohen & Everitt 1969), with
    :math:`\bar w_{i\cdot} = \sum_j p_{\cdot j} w_{ij}`, :math:`\bar w_{\cdot j} = \sum_i
    p_{i\cdot} w_{ij}`:

    .. math::
        \widehat{\mathrm{Var}}(\kappa) = \frac{\sum_{ij} p_{ij}\,[w_{ij} - (\bar w_{i\cdot} +
        \bar w_{\cdot j})(1-\kappa)]^2 - [\kappa - p_e(1-\kappa)]^2}{n (1-p_e)^2}

    for the interval :math:`\kappa \pm z_{(1+\text{level})/2}\,\mathrm{SE}` (a Wald interval,
    not truncated at ±1, as SPSS and SAS print it), and under
    :math:`\kappa = 0`, :math:`[\sum_{ij} p_{i\cdot}p_{\cdot j}(w_{ij} - \bar w_{i\cdot} -
    \bar w_{\cdot j})^2 - p_e^2] / [n(1-p_e)^2]` for ``z = kappa / se_null``. This is what
    SPSS (CROSSTABS), SAS (PROC FREQ AGREE) and R ``vcd::Kappa`` print; kappa itself equals
    ``sklearn.metrics.cohen_kappa_score``. Pairs with a missing rating are dropped and counted
    (``n_dropped``). Where :math:`p_e = 1` (both raters always use one and the same category)
    kappa is undefined: ``nan``.

    Parameters
    ----------
    a, b : pandas.Series or sequence
        Ratings of the same items, e.g. auto and confirmed codes of one code. Two Series must
        share their index (they are paired by it); otherwise by position.
    labels : sequence
        The ordered categories (default 0, 1, 2: 未涉及/提及/重点); another value is an error.
    weights : {None, "linear", "quadratic"}
        Unweighted (nominal) or weighted kappa for ordered categories.
    level : float
        Confidence level of the interval (0.95).

    Returns
    -------
    KappaResult

    References
    ----------
    Cohen (1960); Cohen (1968); Fleiss, Cohen & Everitt (1969); worked example reproduced in
    the tests: Kavanagh et al. (2009), *BMC Cancer* 9:1, Table 2 (κ = 0.906, SE 0.092,
    T = 4.894).

    Examples
    --------
    >>> r = cohen_kappa([0] * 7 + [0] + [1] * 8 + [2] * 2, [0] * 7 + [1] + [1] * 8 + [2] * 2)
    >>> round(r.kappa, 3), round(r.se, 3), round(r.z, 3), r.n
    (0.906, 0.092, 4.894, 18)
    """
    if weights is not None:
        check_option("weights", weights, KappaWeights)
    check_level(level)
    labels = list(labels)
    if len(labels) < 2 or len(set(labels)) != len(labels):
        raise InputError(f"labels={labels!r} 须为至少两个互不相同的类别 / labels must be at "
                         "least two distinct categories")
    if isinstance(a, pd.Series) and isinstance(b, pd.Series) and not a.index.equals(b.index):
        if not (a.index.is_unique and b.index.is_unique) or set(a.index) != set(b.index):
            raise InputError("a 与 b 的索引不一致 / a and b are not indexed by the same items",
                             hint="先按 doc_id 对齐 / align them by doc_id first")
        b = b.reindex(a.index)
    codes_a = _ratings(a, "a", labels)
    codes_b = _ratings(b, "b", labels)
    if len(codes_a) != len(codes_b):
        raise InputError(f"a 与 b 长度不同（{len(codes_a)} / {len(codes_b)}）/ a and b differ "
                         "in length")
    both = (codes_a >= 0) & (codes_b >= 0)
    k, n = len(labels), int(both.sum())
    table = np.bincount(codes_a[both] * k + codes_b[both], minlength=k * k).reshape(k, k)
    positions = np.arange(k)
    distance = np.abs(positions[:, None] - positions[None, :]) / (k - 1)
    w = {None: (distance == 0).astype(float), "linear": 1 - distance,
         "quadratic": 1 - distance**2}[weights]
    nan_result = dict(kappa=np.nan, se=np.nan, se_null=np.nan, ci_low=np.nan, ci_high=np.nan,
                      z=np.nan, pvalue=np.nan)
    if n == 0:
        return KappaResult(observed=np.nan, expected=np.nan, n=0, n_dropped=len(codes_a),
                           level=level, weights=weights or "none", **nan_result)
    p = table / n
    rows, cols = p.sum(axis=1), p.sum(axis=0)
    observed = float((w * p).sum())
    expected = float((w * np.outer(rows, cols)).sum())
    common = dict(observed=observed, expected=expected, n=n, n_dropped=int((~both).sum()),
                  level=level, weights=weights or "none")
    if np.isclose(expected, 1.0, rtol=0, atol=1e-12):
        return KappaResult(**common, **nan_result)
    kappa = (observed - expected) / (1 - expected)
    w_row, w_col = w @ cols, w.T @ rows
    spread = w - (w_row[:, None] + w_col[None, :]) * (1 - kappa)
    var = (((p * spread**2).sum() - (kappa - expected * (1 - kappa)) ** 2)
           / (n * (1 - expected) ** 2))
    var0 = (((np.outer(rows, cols) * (w - w_row[:, None] - w_col[None, :]) ** 2).sum()
             - expected**2) / (n * (1 - expected) ** 2))
    se, se0 = float(np.sqrt(max(var, 0.0))), float(np.sqrt(max(var0, 0.0)))
    half = float(norm.ppf((1 + level) / 2)) * se
    z = kappa / se0 if se0 > 0 else np.nan
    return KappaResult(kappa=float(kappa), se=se, se_null=se0,
                       ci_low=float(max(kappa - half, -1.0)), ci_high=float(min(kappa + half, 1.0)),
                       z=float(z),
                       pvalue=float(2 * norm.sf(abs(z))) if np.isfinite(z) else np.nan, **common)


def coding_agreement(corpus_or_auto: Any, confirmed: pd.DataFrame | None = None, *,
                     weights: KappaWeights | None = None, level: float = 0.95,
                     language: Language = "zh") -> pd.DataFrame:
    """Agreement of dictionary pre-codes with confirmed codes, per code and overall (编码一致性).

    For each code, :func:`cohen_kappa` between ``auto_codes`` and confirmed ``codes`` on the
    documents where both are coded (pairs with ``<NA>`` on either side are dropped and counted);
    the row ``全部`` pools every (document, code) pair of all codes. ``strength`` is the
    Landis & Koch (1977) label.

    Parameters
    ----------
    corpus_or_auto : PolicyCorpus or pandas.DataFrame
        A corpus (its ``auto_codes`` and ``codes``), or the auto codes (wide: ``doc_id`` × code).
    confirmed : pandas.DataFrame, optional
        Confirmed codes, same shape (needed with a DataFrame of auto codes). Only codes and
        documents present in both are compared.
    weights, level
        As in :func:`cohen_kappa`.
    language : {"zh", "en"}
        Language of the ``strength`` labels and of the pooled row's name.

    Returns
    -------
    pandas.DataFrame
        Index ``code_id`` (the codes in the auto codes' order, then the pooled row), columns
        ``kappa, se, ci_low, ci_high, observed_agreement, expected_agreement, n_pairs,
        n_dropped, strength``.

    Examples
    --------
    >>> auto = pd.DataFrame({"x": [0, 1, 2, 2]}, dtype="Int64")
    >>> sure = pd.DataFrame({"x": [0, 1, 2, None]}, dtype="Int64")
    >>> coding_agreement(auto, sure)[["kappa", "n_pairs", "n_dropped", "strength"]].values.tolist()
    [[1.0, 3, 1, '几乎完全'], [1.0, 3, 1, '几乎完全']]
    """
    if isinstance(corpus_or_auto, pd.DataFrame):
        auto = corpus_or_auto
        if confirmed is None:
            raise InputError("给出预编码时还需给出确认编码 / confirmed codes are needed",
                             hint="coding_agreement(auto_codes, codes)")
    else:
        auto, confirmed = corpus_or_auto.auto_codes, corpus_or_auto.codes
    for name, frame in (("auto_codes", auto), ("codes", confirmed)):
        if not isinstance(frame, pd.DataFrame):
            raise InputError(f"{name} 应为 DataFrame（doc_id × 编码）/ {name} must be a "
                             "DataFrame (doc_id × code)")
    codes = [c for c in auto.columns if c in confirmed.columns]
    if not codes:
        raise InputError("预编码与确认编码没有共同的编码列 / no code column in common",
                         hint="两表的列应为编码方案的编码 / columns must be the scheme's code ids")
    docs = auto.index.intersection(confirmed.index, sort=False)
    left, right = auto.loc[docs, codes], confirmed.loc[docs, codes]
    results = {code: cohen_kappa(left[code], right[code], weights=weights, level=level)
               for code in codes}
    pooled = label("all_codes", language)
    results[pooled] = cohen_kappa(left.stack(future_stack=True).reset_index(drop=True),
                                  right.stack(future_stack=True).reset_index(drop=True),
                                  weights=weights, level=level)
    out = pd.DataFrame({
        code: {"kappa": r.kappa, "se": r.se, "ci_low": r.ci_low, "ci_high": r.ci_high,
               "observed_agreement": r.observed, "expected_agreement": r.expected,
               "n_pairs": r.n, "n_dropped": r.n_dropped,
               "strength": landis_koch(r.kappa, language)}
        for code, r in results.items()}).T
    out.index.name = "code_id"
    floats = ["kappa", "se", "ci_low", "ci_high", "observed_agreement", "expected_agreement"]
    return out.astype({**dict.fromkeys(floats, float), "n_pairs": int, "n_dropped": int,
                       "strength": str})


def agreement_report_table(agreement: pd.DataFrame, scheme: Any,
                           language: Language = "zh") -> pd.DataFrame:
    """:func:`coding_agreement` as a table for readers (编码一致性表): the code's name from the
    scheme, κ, its interval, the documents compared and the Landis & Koch label.

    Parameters
    ----------
    agreement : pandas.DataFrame
        Result of :func:`coding_agreement`.
    scheme : CodingScheme
        The scheme whose codes name the rows (a code it does not know keeps its id; the pooled
        row keeps its label 全部).
    language : {"zh", "en"}

    Returns
    -------
    pandas.DataFrame
        Columns 编码, κ, 95% 置信区间, 比较的文件数, 一致性程度 (English headings with
        ``language="en"``).
    """
    zh = is_zh(language)
    table = scheme.code_table(language)
    names = [table.at[c, "label"] if c in table.index else str(c) for c in agreement.index]
    heads = (["编码", "κ", "95% 置信区间", "比较的文件数", "一致性程度"] if zh else
             ["Code", "κ", "95% interval", "Documents compared", "Agreement"])
    interval = [("—" if pd.isna(lo) else f"{lo:.2f}—{hi:.2f}" if zh else f"{lo:.2f}–{hi:.2f}")
                for lo, hi in zip(agreement["ci_low"], agreement["ci_high"], strict=True)]
    return pd.DataFrame({heads[0]: names, heads[1]: agreement["kappa"].to_numpy(),
                         heads[2]: interval, heads[3]: agreement["n_pairs"].to_numpy(),
                         heads[4]: agreement["strength"].astype(str).to_numpy()})
