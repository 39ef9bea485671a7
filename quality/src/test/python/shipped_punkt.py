"""The Punkt tokenizer with the parameters tokenmill ships (punkt-english.json), for the reference scripts."""
import json

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer


def load(path):
    with open(path, encoding="utf-8") as f:
        shipped = json.load(f)
    params = PunktParameters()
    params.abbrev_types = set(shipped["abbrev_types"])
    params.collocations = set(tuple(c) for c in shipped["collocations"])
    params.sent_starters = set(shipped["sent_starters"])
    for typ, flags in shipped["ortho_context"].items():
        params.ortho_context[typ] = flags
    return PunktSentenceTokenizer(params)
