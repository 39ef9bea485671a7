"""The reference side of PunktReferenceTest: NLTK's PunktSentenceTokenizer (Debian's python3-nltk) with the
parameters tokenmill ships, and word_tokenize's composition with it (NLTKWordTokenizer on each sentence, as
nltk.tokenize.word_tokenize does with its own Punkt model). Reads one JSON string per line, writes one JSON
object per line: {"sentences": [...], "words": [...]}."""
import json
import sys

import nltk
from nltk.tokenize import NLTKWordTokenizer
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

with open(sys.argv[3], encoding="utf-8") as f:
    shipped = json.load(f)
params = PunktParameters()
params.abbrev_types = set(shipped["abbrev_types"])
params.collocations = set(tuple(c) for c in shipped["collocations"])
params.sent_starters = set(shipped["sent_starters"])
for typ, flags in shipped["ortho_context"].items():
    params.ortho_context[typ] = flags
tokenizer = PunktSentenceTokenizer(params)
with open(sys.argv[1], encoding="utf-8") as src, open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write(json.dumps({"nltk": nltk.__version__}) + "\n")
    words = NLTKWordTokenizer()
    for line in src:
        sentences = tokenizer.tokenize(json.loads(line))
        tokens = [token for sentence in sentences for token in words.tokenize(sentence)]
        out.write(json.dumps({"sentences": sentences, "words": tokens}, ensure_ascii=True) + "\n")
