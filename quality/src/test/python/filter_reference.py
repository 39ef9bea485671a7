"""The reference side of FilterConformanceTest: the rules of tokenmill's reference presets written plainly in Python,
from the Gopher, C4 and FineWeb papers and the code they name (DataTrove's GopherQualityFilter,
GopherRepetitionFilter, C4QualityFilter and FineWebQualityFilter, main branch 2025; TFDS's c4_utils.clean_page
and bad-words filter), using Debian's python3-nltk for the tokenizers.

Words are nltk's word_tokenize: NLTK's PunktSentenceTokenizer with the parameters tokenmill ships (NLTK's own
pickled English model is not installable here), each sentence split by NLTKWordTokenizer. Every signal is computed
even where the source stops at the first failing rule, so all of them can be compared; the rule reported is the first
that fails, named as tokenmill names it (the source's name in the comment beside it).

argv: input (one JSON string per line: a document's text), output, punkt parameters (JSON), DataTrove's
TERMINAL_PUNCTUATION (hex code points, one per line), C4 bad words (one per line; for the c4 preset).
Output: a first line {"nltk": version}, then per document {preset: {"rule": name or null, "signals": [...],
"text": kept text}}.
"""
import json
import re
import sys
from collections import Counter

import nltk
from nltk.tokenize import NLTKWordTokenizer

import shipped_punkt

# --- DataTrove's character sets (utils/text.py) ---
PUNCTUATION = "!/—”:％１〈&(、━\\【#%「」，】；+^]~“《„';’{|∶´[=-`*．（–？！：$～«〉,><》)?）。…@_.\"}►»" + "".join(
    chr(x) for a, b in ((0, 9), (11, 13), (13, 32), (127, 160)) for x in range(a, b))


def load_terminal(path):
    marks = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                marks.add(chr(int(line.split()[0], 16)))
    return marks


TERMINAL = load_terminal(sys.argv[4])
PUNCTUATION_SET = set(PUNCTUATION) | TERMINAL
PUNKT = shipped_punkt.load(sys.argv[3])
WORDS = NLTKWordTokenizer()
with open(sys.argv[5], encoding="utf-8") as f:
    BAD_WORDS = [w.strip() for w in f if w.strip()]


_last = [None, None]


def word_tokenize(text):
    # nltk.tokenize.word_tokenize: Punkt sentences, then the Treebank-style rules on each; DataTrove strips them.
    # The last document's words are kept: several presets ask for them.
    if _last[0] is not text:
        _last[0], _last[1] = text, [t.strip() for s in PUNKT.tokenize(text) for t in WORDS.tokenize(s) if t.strip()]
    return _last[1]


def sentence_count(text):
    # DataTrove's split_into_sentences counts span_tokenize's spans (one when there are none); TFDS counts tokenize's
    spans = list(PUNKT.span_tokenize(text))
    return max(1, len(spans))


def first_failing(checks):
    for name, failed in checks:
        if failed:
            return name
    return None


# --- Gopher quality (DataTrove GopherQualityFilter) ---
STOP_WORDS = {"the", "be", "to", "of", "and", "that", "have", "with"}


def gopher_quality(text):
    words = word_tokenize(text)
    n = len(words)
    non_symbol = [w for w in words if any(ch not in PUNCTUATION_SET for ch in w)]
    mean = sum(len(w) for w in non_symbol) / len(non_symbol) if non_symbol else 0.0
    hashes = text.count("#") / n if n else 0.0
    ellipsis = (text.count("...") + text.count("…")) / n if n else 0.0
    lines = text.splitlines()
    bullets = sum(s.lstrip().startswith("•") or s.lstrip().startswith("-") for s in lines) / len(lines) if lines else 0.0
    end_ellipsis = sum(s.rstrip().endswith("...") or s.rstrip().endswith("…") for s in lines) / len(lines) if lines else 0.0
    alpha = sum(any(c.isalpha() for c in w) for w in words) / n if n else 0.0
    stops = len(STOP_WORDS.intersection(set(words)))
    signals = [len(non_symbol), mean, hashes, ellipsis, bullets, end_ellipsis, alpha, stops]
    rule = first_failing([
        ("gopher_min_words", len(non_symbol) < 50),            # gopher_short_doc
        ("gopher_max_words", len(non_symbol) > 100000),        # gopher_long_doc
        ("gopher_min_mean_word_length", mean < 3),             # gopher_below_avg_threshold
        ("gopher_max_mean_word_length", mean > 10),            # gopher_above_avg_threshold
        ("gopher_hash_ratio", hashes > 0.1),                   # gopher_too_many_hashes
        ("gopher_ellipsis_ratio", ellipsis > 0.1),             # gopher_too_many_ellipsis
        ("gopher_bullet_lines_ratio", bullets > 0.9),          # gopher_too_many_bullets
        ("gopher_ellipsis_lines_ratio", end_ellipsis > 0.3),   # gopher_too_many_end_ellipsis
        ("gopher_alpha_words_ratio", alpha < 0.8),             # gopher_below_alpha_threshold
        ("gopher_stop_words", stops < 2),                      # gopher_enough_stop_words
    ])
    return {"rule": rule, "signals": signals, "text": text}


# --- Gopher repetition (DataTrove GopherRepetitionFilter) ---
def duplicates(elements):
    seen = set()
    count = chars = 0
    for e in elements:
        if e in seen:
            count += 1
            chars += len(e)
        else:
            seen.add(e)
    return count, chars


def top_ngram_chars(words, n):
    grams = [" ".join(words[i:i + n]) for i in range(len(words) - n + 1)]
    if not grams:
        return 0
    gram, count = Counter(grams).most_common(1)[0]
    return len(gram) * count


def duplicated_ngram_chars(words, n):
    seen = set()
    chars = i = 0
    while i < len(words) - n + 1:
        gram = "".join(words[i:i + n])
        if gram in seen:
            chars += len(gram)
            i += n
        else:
            seen.add(gram)
            i += 1
    return chars


REPETITION_LIMITS = [
    ("rep_dup_para_frac", 0.3), ("rep_dup_para_char_frac", 0.2), ("rep_dup_line_frac", 0.3),
    ("rep_dup_line_char_frac", 0.2), ("rep_top_2_gram_frac", 0.2), ("rep_top_3_gram_frac", 0.18),
    ("rep_top_4_gram_frac", 0.16), ("rep_dup_5_gram_frac", 0.15), ("rep_dup_6_gram_frac", 0.14),
    ("rep_dup_7_gram_frac", 0.13), ("rep_dup_8_gram_frac", 0.12), ("rep_dup_9_gram_frac", 0.11),
    ("rep_dup_10_gram_frac", 0.10)]


def gopher_repetition(text):
    length = max(1, len(text))  # DataTrove divides by len(text); an empty text has no signal to speak of
    paragraphs = re.split(r"\n{2,}", text.strip())
    para_dups, para_chars = duplicates(paragraphs)
    lines = re.split(r"\n+", text)
    line_dups, line_chars = duplicates(lines)
    words = word_tokenize(text)
    signals = [para_dups / len(paragraphs), para_chars / length, line_dups / len(lines), line_chars / length]
    signals += [top_ngram_chars(words, n) / length for n in (2, 3, 4)]
    signals += [duplicated_ngram_chars(words, n) / length for n in range(5, 11)]
    rule = first_failing([(name, value > limit) for (name, limit), value in zip(REPETITION_LIMITS, signals)])
    return {"rule": rule, "signals": signals, "text": text}


# --- C4 (TFDS c4_utils.clean_page and bad words; DataTrove C4QualityFilter) ---
CITATION = re.compile(r"\[\d*]|\[edit]|\[citation needed]")
POLICY = ["terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies"]
BAD_WORDS_PATTERN = re.compile(r"(?:\W|^)({})(?:\W|$)".format("|".join(re.escape(w) for w in BAD_WORDS))) if BAD_WORDS else None


def c4(text, name, datatrove):
    end_marks = (".", "?", "!", '"', "'") if datatrove else (".", "?", "!", '"')
    min_words = 3 if datatrove else 5
    min_sentences = 5 if datatrove else 3
    kept, dropped, sentences = [], 0, 0
    for line in text.splitlines():
        line = line.strip()
        words = line.split()
        if any(len(w) > 1000 for w in words):
            dropped += 1
            continue
        line = CITATION.sub("", line)
        if not line.endswith(end_marks) or line.endswith("..."):
            dropped += 1
            continue
        if len(words if datatrove else line.split()) < min_words:  # DataTrove counts before removing citations
            dropped += 1
            continue
        lower = line.lower()
        if "lorem ipsum" in lower:
            return {"rule": name + "_lorem_ipsum", "signals": [len(kept), dropped, sentences], "text": text}
        if "javascript" in lower:
            dropped += 1
            continue
        if "{" in line:
            return {"rule": name + "_curly_bracket", "signals": [len(kept), dropped, sentences], "text": text}
        if any(p in lower for p in POLICY):
            dropped += 1
            continue
        sentences += sentence_count(line)
        kept.append(line)
    signals = [len(kept), dropped, sentences]
    cleaned = "\n".join(kept).strip()
    if sentences < min_sentences:
        return {"rule": name + "_min_sentences", "signals": signals, "text": text}
    if not datatrove and BAD_WORDS_PATTERN is not None and BAD_WORDS_PATTERN.search(cleaned.lower()):
        return {"rule": name + "_bad_words", "signals": signals, "text": text}
    return {"rule": None, "signals": signals, "text": cleaned}


# --- FineWeb (DataTrove FineWebQualityFilter) ---
def find_duplicate_chars(lines):
    return duplicates(lines)[1]


def fineweb(text, char_dup_limit):
    lines = [line for line in text.split("\n") if line.strip() != ""]
    words = word_tokenize(text)
    if not lines:
        return {"rule": "fineweb_empty", "signals": [0.0, 0.0, 0.0, text.count("\n") / len(words) if words else 0.0],
                "text": text}
    punct = sum(1 for line in lines if line.endswith(tuple(TERMINAL))) / len(lines)
    short = sum(1 for line in lines if len(line) <= 30) / len(lines)
    non_newline = len(text.replace("\n", ""))
    dup = find_duplicate_chars(lines) / non_newline if non_newline else 0.0
    list_ratio = text.count("\n") / len(words) if words else 0.0
    rule = first_failing([
        ("fineweb_line_punct_ratio", punct < 0.12),          # line_punct_ratio
        ("fineweb_short_line_ratio", short > 0.67),           # short_line_ratio
        ("fineweb_char_dup_ratio", dup > char_dup_limit),     # char_dup_ratio
        ("fineweb_list_ratio", list_ratio > 0.3),             # list_ratio
    ])
    return {"rule": rule, "signals": [punct, short, dup, list_ratio], "text": text}


PRESETS = {
    "gopher_quality": gopher_quality,
    "gopher_repetition": gopher_repetition,
    "c4": lambda t: c4(t, "c4", False),
    "c4_datatrove": lambda t: c4(t, "c4_datatrove", True),
    "fineweb": lambda t: fineweb(t, 0.1),               # the write-up's 0.1
    "fineweb_datatrove": lambda t: fineweb(t, 0.01),    # DataTrove's code default
}

with open(sys.argv[1], encoding="utf-8") as src, open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write(json.dumps({"nltk": nltk.__version__}) + "\n")
    for line in src:
        text = json.loads(line)
        out.write(json.dumps({name: f(text) for name, f in PRESETS.items()}, ensure_ascii=True) + "\n")
