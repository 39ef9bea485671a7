#!/usr/bin/env python3
"""The peer of `tokenmill bench-pretrain`: the same Llama-style decoder (RMSNorm, rotate-half RoPE, grouped-query
causal attention, SwiGLU, tied embeddings), batch, AdamW, clipping and loss in eager PyTorch, timed the same way
(steps after a warm-up). Prints one JSON line: tokens/s, seconds per step, losses.

usage: llama_torch.py JSON_SETTINGS
"""
import json
import os
import math
import sys
import time

import torch
import torch.nn.functional as F


class Block(torch.nn.Module):
    def __init__(self, d, heads, kv, ffn):
        super().__init__()
        self.heads, self.kv, self.hd = heads, kv, d // heads
        self.input_layernorm = torch.nn.Parameter(torch.ones(d))
        self.post_attention_layernorm = torch.nn.Parameter(torch.ones(d))
        self.q = torch.nn.Linear(d, d, bias=False)
        self.k = torch.nn.Linear(d, kv * self.hd, bias=False)
        self.v = torch.nn.Linear(d, kv * self.hd, bias=False)
        self.o = torch.nn.Linear(d, d, bias=False)
        self.gate = torch.nn.Linear(d, ffn, bias=False)
        self.up = torch.nn.Linear(d, ffn, bias=False)
        self.down = torch.nn.Linear(ffn, d, bias=False)

    def forward(self, x, cos, sin, mask, eps):
        b, t, d = x.shape
        h = rms(x, self.input_layernorm, eps)
        q = self.q(h).view(b, t, self.heads, self.hd).transpose(1, 2)
        k = self.k(h).view(b, t, self.kv, self.hd).transpose(1, 2)
        v = self.v(h).view(b, t, self.kv, self.hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        rep = self.heads // self.kv
        if rep > 1:
            k = k[:, :, None].expand(b, self.kv, rep, t, self.hd).reshape(b, self.heads, t, self.hd)
            v = v[:, :, None].expand(b, self.kv, rep, t, self.hd).reshape(b, self.heads, t, self.hd)
        s = (q @ k.transpose(-1, -2)) / math.sqrt(self.hd) + mask
        a = (s.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.o(a)
        h = rms(x, self.post_attention_layernorm, eps)
        g = self.gate(h)
        return x + self.down(F.silu(g) * self.up(h))


def rms(x, w, eps):
    return x / torch.sqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


class Model(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embed = torch.nn.Embedding(c["vocab"], c["d_model"])
        self.layers = torch.nn.ModuleList(Block(c["d_model"], c["heads"], c["kv_heads"], c["ffn"]) for _ in range(c["layers"]))
        self.norm = torch.nn.Parameter(torch.ones(c["d_model"]))
        hd = c["d_model"] // c["heads"]
        t = c["seq_len"]
        inv = 1.0 / (10000.0 ** (torch.arange(0, hd, 2).float() / hd))
        f = torch.outer(torch.arange(t).float(), inv)
        self.cos = torch.cat([f, f], -1).cos()
        self.sin = torch.cat([f, f], -1).sin()
        self.mask = torch.full((t, t), float("-inf")).triu(1)
        for n, p in self.named_parameters():
            if p.dim() > 1:
                std = 0.02 / math.sqrt(2 * c["layers"]) if n.endswith(("o.weight", "down.weight")) else 0.02
                torch.nn.init.normal_(p, 0.0, std)

    def forward(self, tokens):
        x = self.embed(tokens)
        for layer in self.layers:
            x = layer(x, self.cos, self.sin, self.mask, 1e-5)
        return rms(x, self.norm, 1e-5) @ self.embed.weight.t()


def main():
    c = json.loads(sys.argv[1])
    torch.set_num_threads(c["threads"])
    torch.manual_seed(c["seed"])
    model = Model(c)
    decay = [p for p in model.parameters() if p.dim() > 1]
    rest = [p for p in model.parameters() if p.dim() <= 1]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": rest, "weight_decay": 0.0}],
                            lr=c["lr"], betas=(0.9, 0.95), eps=1e-8)
    g = torch.Generator().manual_seed(c["seed"])
    b, t = c["micro_batch"], c["seq_len"]
    losses, times = [], []
    for step in range(c["warmup"] + c["steps"]):
        data = torch.randint(0, c["vocab"], (b, t + 1), generator=g)
        start = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        logits = model(data[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, c["vocab"]), data[:, 1:].reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        losses.append(loss.item())
        if step >= c["warmup"]:
            times.append(time.perf_counter() - start)
    per_step = sum(times) / len(times)
    # Debian's torch calls whatever libblas.so.3 points at: the reference BLAS makes this peer meaningless.
    # The fp32 GEMM rate on the same threads, measured as the JVM side measures libtorch's: best of 10 after 5.
    gemm_n = c.get("gemm_n", 1024)
    a, m = torch.randn(gemm_n, gemm_n), torch.randn(gemm_n, gemm_n)
    best = float("inf")
    for i in range(15):
        start = time.perf_counter()
        a @ m
        if i >= 5:
            best = min(best, time.perf_counter() - start)
    gemm = 2 * gemm_n ** 3 / best / 1e9
    blas = os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")
    print(json.dumps({"tokens_per_s": b * t / per_step, "seconds_per_step": per_step, "losses": losses, "gemm_gflops": gemm, "blas": blas,
                      "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE"),
                      "torch": torch.__version__, "threads": torch.get_num_threads(),
                      "parameters": sum(p.numel() for p in model.parameters())}))


if __name__ == "__main__":
    main()
