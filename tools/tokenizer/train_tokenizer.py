#!/usr/bin/env python3
"""Trains a WordPiece tokenizer.json from PUBLIC text, Python standard library only (the
tokenizers binding dplstm runs cannot train, and no Python package is needed here).

Like the HuggingFace WordPiece trainer: lower-case, split into words and punctuation (CJK
characters one word each), start from the characters seen at least --min-count times (a word's
first character as is, the others with the "##" continuation prefix), then merge the most frequent
adjacent pair (BPE, Sennrich et al. 2016) until --vocab-size pieces; encoding is WordPiece's
greedy longest match. Ties break on the pair's text, so the output is deterministic.

  tools/pretrain/make_public_corpus.py public --languages de,es,fr,it,pt,ru,uk,sr,pl,cs,nl,sv,tr,ja,zh,el,fi,hu,vi,ro,da,nb,ko,eo
  tools/tokenizer/train_tokenizer.py --input public/public-multilingual.csv --vocab-size 4000 \\
      --out training/src/main/resources/org/dplstm/tokenizers/multilingual-wordpiece.json

--input: CSV with a "text" column, or plain text (one text a line). Use public text only:
the vocabulary of the file is public (it is shipped and recorded, not accounted).
"""
import argparse, collections, csv, json, re, sys, unicodedata

CJK = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff])")


def words(text):
    text = CJK.sub(r" \1 ", unicodedata.normalize("NFKC", text).lower())
    return re.findall(r"\w+|[^\w\s]", text)


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        if path.endswith(".csv"):
            for row in csv.DictReader(f):
                yield row["text"]
        else:
            for line in f:
                if line.strip():
                    yield line


def train(counts, vocab_size, min_count):
    alphabet = collections.Counter()
    for word, n in counts.items():
        for i, c in enumerate(word):
            alphabet[c if i == 0 else "##" + c] += n
    vocab = ["[UNK]"] + sorted(s for s, n in alphabet.items() if n >= min_count)
    known = set(vocab)
    splits = {}
    for word in counts:
        symbols = [c if i == 0 else "##" + c for i, c in enumerate(word)]
        if all(s in known for s in symbols):
            splits[word] = symbols
    pairs = collections.Counter()
    where = collections.defaultdict(set)
    for word, symbols in splits.items():
        for a, b in zip(symbols, symbols[1:]):
            pairs[(a, b)] += counts[word]
            where[(a, b)].add(word)
    while len(vocab) < vocab_size and pairs:
        best = max(pairs.items(), key=lambda item: (item[1], item[0]))[0]
        if pairs[best] < min_count:
            break
        merged = best[0] + best[1][2:]
        if merged not in known:
            vocab.append(merged)
            known.add(merged)
        for word in list(where.pop(best, ())):
            symbols, n = splits[word], counts[word]
            for a, b in zip(symbols, symbols[1:]):
                pairs[(a, b)] -= n
                if pairs[(a, b)] <= 0:
                    del pairs[(a, b)]
            out, i = [], 0
            while i < len(symbols):
                if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == best:
                    out.append(merged)
                    i += 2
                else:
                    out.append(symbols[i])
                    i += 1
            splits[word] = out
            for a, b in zip(out, out[1:]):
                pairs[(a, b)] += n
                where[(a, b)].add(word)
    return vocab


def tokenizer_json(vocab):
    return {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [{"id": 0, "content": "[UNK]", "single_word": False, "lstrip": False, "rstrip": False,
                          "normalized": False, "special": True}],
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": False, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": None,
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": {piece: i for i, piece in enumerate(vocab)}},
    }


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--input", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--vocab-size", type=int, default=4000)
    p.add_argument("--min-count", type=int, default=3)
    args = p.parse_args()
    counts = collections.Counter(w for text in read(args.input) for w in words(text))
    vocab = train(counts, args.vocab_size, args.min_count)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(tokenizer_json(vocab), f, ensure_ascii=False, indent=1, sort_keys=False)
        f.write("\n")
    print(f"{len(vocab)} pieces from {sum(counts.values())} words ({len(counts)} distinct) -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
