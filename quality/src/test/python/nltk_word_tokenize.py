"""The reference side of NltkWordTokenizerReferenceTest: NLTK's own NLTKWordTokenizer (Debian's python3-nltk; it
needs no data files). Reads one JSON string per line, writes one JSON list of tokens per line."""
import json
import sys

import nltk
from nltk.tokenize import NLTKWordTokenizer

tokenizer = NLTKWordTokenizer()
with open(sys.argv[1], encoding="utf-8") as src, open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write(json.dumps({"nltk": nltk.__version__}) + "\n")
    for line in src:
        out.write(json.dumps(tokenizer.tokenize(json.loads(line)), ensure_ascii=True) + "\n")
