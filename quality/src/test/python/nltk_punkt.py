"""The reference side of PunktReferenceTest: NLTK's PunktSentenceTokenizer (Debian's python3-nltk) with the
parameters tokenmill ships, and word_tokenize's composition with it (NLTKWordTokenizer on each sentence, as
nltk.tokenize.word_tokenize does with its own Punkt model). Reads one JSON string per line, writes one JSON
object per line: {"sentences": [...], "words": [...]}."""
import json
import sys

import nltk
from nltk.tokenize import NLTKWordTokenizer

import shipped_punkt

tokenizer = shipped_punkt.load(sys.argv[3])
with open(sys.argv[1], encoding="utf-8") as src, open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write(json.dumps({"nltk": nltk.__version__}) + "\n")
    words = NLTKWordTokenizer()
    for line in src:
        sentences = tokenizer.tokenize(json.loads(line))
        tokens = [token for sentence in sentences for token in words.tokenize(sentence)]
        out.write(json.dumps({"sentences": sentences, "words": tokens}, ensure_ascii=True) + "\n")
