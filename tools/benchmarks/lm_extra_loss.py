#!/usr/bin/env python3
"""Where one character language model loses against another: the extra loss per character by position and by
how often the target character occurs in the training text (README, "Accuracy at small ε").

Reads each run's model.bin (the DPLSTM-MODEL-1 file: a JSON config, then DJL-encoded float32 arrays of a one-layer
LSTM language model with an untied output layer) and vocabulary.json, and runs the forward pass in numpy over the
validation lines WITHOUT the run's redaction (so its perplexities are not the run's; the comparison is what counts).

Usage: tools/benchmarks/lm_extra_loss.py TRAIN.txt VALID.txt BASE_RUN OTHER_RUN...
"""
import collections, json, struct, sys
from pathlib import Path
import numpy as np


def read_arrays(path):
    """name -> array for every DJL-encoded array in the file (magic "NDAR", name, DENSE, FLOAT32, shape, data)."""
    data = Path(path).read_bytes()
    arrays, at = {}, 0
    while (start := data.find(b'\x00\x04NDAR', at)) >= 0:
        k = start + 6 + 4 + 1  # magic, version, has-name flag
        fields = []
        for _ in range(3):  # name, sparse format, data type
            n = struct.unpack('>H', data[k:k + 2])[0]
            fields.append(data[k + 2:k + 2 + n].decode())
            k += 2 + n
        if fields[2] != 'FLOAT32':
            raise SystemExit(f"{path}: array {fields[0]} is {fields[2]}, only FLOAT32 is read")
        dims = struct.unpack('>i', data[k:k + 4])[0]
        shape = struct.unpack('>' + 'q' * dims, data[k + 4:k + 4 + 8 * dims])
        size = int(np.prod(shape)) * 4
        k += 4 + 8 * dims
        while struct.unpack('>i', data[k:k + 4])[0] != size:  # skip the layout, up to the data's length
            k += 1
        arrays[fields[0]] = np.frombuffer(data[k + 4:k + 4 + size], dtype='<f4').reshape(shape)
        at = k + 4 + size
    return arrays


def losses(run, lines):
    """Each target's loss (B, T) and its mask: <s> t_1 ... t_n <s>, at most the run's max_length tokens (the
    closing <s> only when nothing was cut), ids 0 pad, 1 unknown, then the vocabulary's tokens."""
    tokens = json.loads((Path(run) / 'vocabulary.json').read_text())['tokens']
    max_length = json.loads((Path(run) / 'lm_encoder.json').read_text()).get('max_length', 200)
    ids = {t: i + 2 for i, t in enumerate(tokens)}
    m = read_arrays(Path(run) / 'model.bin')
    emb, w_ih, w_hh, bias = m['embedding'], m['lstm.l0.fwd.w_ih'], m['lstm.l0.fwd.w_hh'], m['lstm.l0.fwd.bias']
    w_out, b_out = m['output.weight'], m['output.bias']
    seqs = [([ids['<s>']] + [ids.get(c, 1) for c in line] + [ids['<s>']])[:max_length] for line in lines]
    length = max(map(len, seqs))
    x = np.zeros((len(seqs), length), dtype=int)
    mask = np.zeros((len(seqs), length))
    for i, s in enumerate(seqs):
        x[i, :len(s)], mask[i, :len(s)] = s, 1
    h = np.zeros((len(seqs), w_hh.shape[1]))
    c = np.zeros_like(h)
    nll = np.zeros((len(seqs), length - 1))
    sigmoid = lambda v: 1 / (1 + np.exp(-v))
    for t in range(length - 1):
        i_, f_, g_, o_ = np.split(emb[x[:, t]] @ w_ih.T + h @ w_hh.T + bias, 4, axis=1)  # PyTorch's gate order
        c = sigmoid(f_) * c + sigmoid(i_) * np.tanh(g_)
        h = sigmoid(o_) * np.tanh(c)
        logits = h @ w_out.T + b_out
        logits -= logits.max(1, keepdims=True)
        log_p = logits - np.log(np.exp(logits).sum(1, keepdims=True))
        nll[:, t] = -log_p[np.arange(len(seqs)), x[:, t + 1]]
    return nll, mask[:, 1:], x[:, 1:], {i + 2: t for i, t in enumerate(tokens)}, ids['<s>']


def main(train, valid, base, *others):
    counts = collections.Counter(Path(train).read_text(encoding='utf-8'))
    lines = Path(valid).read_text(encoding='utf-8').splitlines()
    base_nll, mask, targets, names, boundary = losses(base, lines)
    print(f"{base}: perplexity {np.exp((base_nll * mask).sum() / mask.sum()):.3f} (no redaction)")
    seen = np.vectorize(lambda i: counts.get(names.get(i, ''), 0) if i != boundary else -1)(targets)
    for other in others:
        nll = losses(other, lines)[0]
        extra = (nll - base_nll) * mask
        print(f"{other}: perplexity {np.exp((nll * mask).sum() / mask.sum()):.3f}; "
              f"extra nats per character {extra.sum() / mask.sum():.4f}")
        for lo, hi in [(0, 1), (1, 5), (5, 20), (20, 60), (60, 200)]:
            part = mask[:, lo:hi]
            print(f"  positions {lo}-{hi - 1}: {part.sum() / mask.sum():.3f} of the characters, "
                  f"extra {extra[:, lo:hi].sum() / part.sum():.4f} each")
        for lo, hi, label in [(-1, 0, 'the closing <s>'), (0, 1000, 'seen < 1,000 times'),
                              (1000, 10000, 'seen 1,000-9,999 times'), (10000, 10 ** 12, 'seen >= 10,000 times')]:
            part = mask * ((seen >= lo) & (seen < hi))
            if part.sum():
                print(f"  targets {label}: {part.sum() / mask.sum():.3f} of the characters, extra "
                      f"{extra[part > 0].sum() / part.sum():.4f} each, {extra[part > 0].sum() / extra.sum():.0%} of it")


if __name__ == '__main__':
    if len(sys.argv) < 5:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
