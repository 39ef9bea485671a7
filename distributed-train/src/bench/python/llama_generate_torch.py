#!/usr/bin/env python3
"""The peer of `tokenmill bench generate`: greedy decoding of a tokenmill checkpoint in eager PyTorch with its own
KV cache (the Hugging Face Llama forward: RMSNorm, rotate-half RoPE, grouped-query attention over cached key/value
heads, SwiGLU), prompts of equal length as one batch, no EOS. The whole process is what the benchmark times; the
script prints one JSON line with its in-process decode rate and the token ids, so the benchmark can check it chose
the same tokens as tokenmill.

usage: llama_generate_torch.py JSON_SETTINGS   ({"checkpoint", "prompts": [[ids]], "new_tokens", "threads"})
"""
import json
import math
import os
import struct
import sys
import time

import numpy as np
import torch


def load(ckpt):
    index = os.path.join(ckpt, "model.safetensors.index.json")
    with open(index) as f:
        files = sorted(set(json.load(f)["weight_map"].values()))
    tensors = {}
    for file in files:
        with open(os.path.join(ckpt, file), "rb") as f:
            raw = f.read()
        (n,) = struct.unpack("<Q", raw[:8])
        header = json.loads(raw[8:8 + n])
        for name, entry in header.items():
            if name == "__metadata__":
                continue
            start, end = entry["data_offsets"]
            array = np.frombuffer(raw[8 + n + start:8 + n + end], dtype="<f4").reshape(entry["shape"])
            tensors[name] = torch.from_numpy(array.copy())
    with open(os.path.join(ckpt, "config.json")) as f:
        return json.load(f), tensors


def rms(x, w, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


class Llama:
    def __init__(self, cfg, w):
        self.cfg, self.w = cfg, w
        self.d, self.heads, self.kv = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
        self.hd = cfg.get("head_dim", self.d // self.heads)
        self.eps = cfg["rms_norm_eps"]
        t = cfg["max_position_embeddings"]
        inv = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, self.hd, 2).float() / self.hd))
        f = torch.outer(torch.arange(t).float(), inv)
        self.cos, self.sin = torch.cat([f, f], -1).cos(), torch.cat([f, f], -1).sin()
        self.head = w.get("lm_head.weight", w["model.embed_tokens.weight"])

    def forward(self, tokens, cache, past):
        b, t = tokens.shape
        w = self.w
        x = w["model.embed_tokens.weight"][tokens]
        cos, sin = self.cos[past:past + t], self.sin[past:past + t]
        mask = torch.full((t, past + t), float("-inf")).triu(past + 1)
        rep = self.heads // self.kv
        for i in range(self.cfg["num_hidden_layers"]):
            p = f"model.layers.{i}."
            h = rms(x, w[p + "input_layernorm.weight"], self.eps)
            q = (h @ w[p + "self_attn.q_proj.weight"].t()).view(b, t, self.heads, self.hd).transpose(1, 2)
            k = (h @ w[p + "self_attn.k_proj.weight"].t()).view(b, t, self.kv, self.hd).transpose(1, 2)
            v = (h @ w[p + "self_attn.v_proj.weight"].t()).view(b, t, self.kv, self.hd).transpose(1, 2)
            q = q * cos + rotate_half(q) * sin
            k = k * cos + rotate_half(k) * sin
            if i in cache:
                k = torch.cat([cache[i][0], k], 2)
                v = torch.cat([cache[i][1], v], 2)
            cache[i] = (k, v)
            if rep > 1:
                k = k.repeat_interleave(rep, dim=1)
                v = v.repeat_interleave(rep, dim=1)
            s = (q @ k.transpose(-1, -2)) / math.sqrt(self.hd) + mask
            a = (s.softmax(-1) @ v).transpose(1, 2).reshape(b, t, self.heads * self.hd)
            x = x + a @ w[p + "self_attn.o_proj.weight"].t()
            h = rms(x, w[p + "post_attention_layernorm.weight"], self.eps)
            g = h @ w[p + "mlp.gate_proj.weight"].t()
            u = h @ w[p + "mlp.up_proj.weight"].t()
            x = x + (torch.nn.functional.silu(g) * u) @ w[p + "mlp.down_proj.weight"].t()
        return rms(x[:, -1], w["model.norm.weight"], self.eps) @ self.head.t()


def main():
    c = json.loads(sys.argv[1])
    torch.set_num_threads(c["threads"])
    cfg, w = load(c["checkpoint"])
    model = Llama(cfg, w)
    prompts = torch.tensor(c["prompts"], dtype=torch.long)
    out = []
    with torch.inference_mode():
        start = time.perf_counter()
        cache = {}
        logits = model.forward(prompts, cache, 0)
        past = prompts.shape[1]
        for step in range(c["new_tokens"]):
            nxt = logits.argmax(-1)
            out.append(nxt)
            if step == c["new_tokens"] - 1:
                break
            logits = model.forward(nxt[:, None], cache, past)
            past += 1
        seconds = time.perf_counter() - start
    ids = torch.stack(out, 1).tolist()
    print(json.dumps({"seconds": seconds, "tokens_per_s": len(c["prompts"]) * c["new_tokens"] / seconds,
                      "tokens": ids, "torch": torch.__version__, "threads": torch.get_num_threads(),
                      "blas": os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3"),
                      "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE")}))


if __name__ == "__main__":
    main()
