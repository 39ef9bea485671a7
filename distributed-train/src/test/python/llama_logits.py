#!/usr/bin/env python3
"""Independent reader for tokenmill checkpoints: loads the safetensors shards through the index, rebuilds the
Hugging Face Llama forward pass in numpy (float64) from config.json, and prints the logits of a prompt as JSON.

usage: llama_logits.py CHECKPOINT_DIR TOKEN [TOKEN ...]
       llama_logits.py --greedy N DIR TOKEN [TOKEN ...]   (N greedy tokens after the prompt, recomputing every step)
DIR may also be a Hugging Face folder with a single model.safetensors (export-hf).
"""
import json
import os
import struct
import sys

import numpy as np


def load_tensors(ckpt):
    index = os.path.join(ckpt, "model.safetensors.index.json")
    if os.path.exists(index):
        with open(index) as f:
            files = sorted(set(json.load(f)["weight_map"].values()))
    else:
        files = ["model.safetensors"]
    tensors = {}
    for file in files:
        with open(os.path.join(ckpt, file), "rb") as f:
            raw = f.read()
        (n,) = struct.unpack("<Q", raw[:8])
        assert n % 8 == 0, "header not padded to 8 bytes"
        header = json.loads(raw[8:8 + n])
        base = 8 + n
        for name, entry in header.items():
            if name == "__metadata__":
                continue
            assert entry["dtype"] == "F32"
            start, end = entry["data_offsets"]
            tensors[name] = np.frombuffer(raw[base + start:base + end], dtype="<f4").reshape(entry["shape"]).astype(np.float64)
    return tensors


def rms_norm(x, w, eps):
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * w


def rotate_half(x):
    half = x.shape[-1] // 2
    return np.concatenate([-x[..., half:], x[..., :half]], axis=-1)


def forward(cfg, w, tokens):
    d, heads, kv = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hd = cfg.get("head_dim", d // heads)
    t = len(tokens)
    inv_freq = 1.0 / (cfg["rope_theta"] ** (np.arange(0, hd, 2) / hd))
    freqs = np.outer(np.arange(t), inv_freq)
    cos = np.cos(np.concatenate([freqs, freqs], axis=-1))
    sin = np.sin(np.concatenate([freqs, freqs], axis=-1))
    causal = np.triu(np.full((t, t), -np.inf), 1)
    x = w["model.embed_tokens.weight"][tokens]
    for i in range(cfg["num_hidden_layers"]):
        p = "model.layers.%d." % i
        h = rms_norm(x, w[p + "input_layernorm.weight"], cfg["rms_norm_eps"])
        q = (h @ w[p + "self_attn.q_proj.weight"].T).reshape(t, heads, hd).transpose(1, 0, 2)
        k = (h @ w[p + "self_attn.k_proj.weight"].T).reshape(t, kv, hd).transpose(1, 0, 2)
        v = (h @ w[p + "self_attn.v_proj.weight"].T).reshape(t, kv, hd).transpose(1, 0, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = np.repeat(k, heads // kv, axis=0)
        v = np.repeat(v, heads // kv, axis=0)
        s = q @ k.transpose(0, 2, 1) / np.sqrt(hd) + causal
        s = np.exp(s - s.max(axis=-1, keepdims=True))
        s = s / s.sum(axis=-1, keepdims=True)
        a = (s @ v).transpose(1, 0, 2).reshape(t, d)
        x = x + a @ w[p + "self_attn.o_proj.weight"].T
        h = rms_norm(x, w[p + "post_attention_layernorm.weight"], cfg["rms_norm_eps"])
        g = h @ w[p + "mlp.gate_proj.weight"].T
        u = h @ w[p + "mlp.up_proj.weight"].T
        x = x + ((g / (1 + np.exp(-g))) * u) @ w[p + "mlp.down_proj.weight"].T
    x = rms_norm(x, w["model.norm.weight"], cfg["rms_norm_eps"])
    head = w["model.embed_tokens.weight"] if cfg["tie_word_embeddings"] else w["lm_head.weight"]
    return x @ head.T


def main():
    args = sys.argv[1:]
    greedy = 0
    if args[0] == "--greedy":
        greedy = int(args[1])
        args = args[2:]
    ckpt = args[0]
    tokens = [int(a) for a in args[1:]]
    with open(os.path.join(ckpt, "config.json")) as f:
        cfg = json.load(f)
    weights = load_tensors(ckpt)
    if greedy:
        out = []
        for _ in range(greedy):
            nxt = int(np.argmax(forward(cfg, weights, tokens + out)[-1]))
            out.append(nxt)
        json.dump(out, sys.stdout)
        return
    logits = forward(cfg, weights, tokens)
    json.dump(logits.tolist(), sys.stdout)


if __name__ == "__main__":
    main()
