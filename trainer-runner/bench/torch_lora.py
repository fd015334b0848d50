#!/usr/bin/python3
"""Plain-PyTorch baseline for the trainer benchmark: the same tiny Llama (read from the same
model.safetensors), the same byte-level tokens, batches and masking, LoRA on q_proj/v_proj
(r=8, alpha=16), AdamW and global-norm clipping. --full trains every weight instead.
Prints one JSON line: tokens_per_second and peak_rss_bytes."""
import json, math, random, resource, struct, sys, time
import torch

model_dir, data_file, steps, full = sys.argv[1], sys.argv[2], int(sys.argv[3]), "--full" in sys.argv
torch.manual_seed(0)
torch.set_num_threads(2)
cfg = json.load(open(model_dir + "/config.json"))

def read_safetensors(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    out = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        a, b = v["data_offsets"]
        out[k] = torch.frombuffer(bytearray(raw[8 + n + a:8 + n + b]), dtype=torch.float32).reshape(v["shape"])
    return out

w = {k: torch.nn.Parameter(t, requires_grad=full) for k, t in read_safetensors(model_dir + "/model.safetensors").items()}
h, nh, L, eps = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_hidden_layers"], cfg["rms_norm_eps"]
nkv, hd = cfg["num_key_value_heads"], h // nh
r, scale = 8, 16 / 8
lora = {}
if not full:
    for l in range(L):
        for m in ("q_proj", "v_proj"):
            W = w["model.layers.%d.self_attn.%s.weight" % (l, m)]
            A = torch.nn.Parameter(torch.empty(r, W.shape[1]).uniform_(-1 / math.sqrt(W.shape[1]), 1 / math.sqrt(W.shape[1])))
            lora[(l, m)] = (A, torch.nn.Parameter(torch.zeros(W.shape[0], r)))
params = [p for ab in lora.values() for p in ab] if not full else list(w.values())

def lin(x, l, m, kind):
    y = x @ w["model.layers.%d.%s.%s.weight" % (l, kind, m)].T
    if (l, m) in lora:
        A, B = lora[(l, m)]
        y = y + (x @ A.T) @ B.T * scale
    return y

def forward(ids):
    b, t = ids.shape
    inv = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, hd, 2).float() / hd))
    f = torch.outer(torch.arange(t).float(), inv); emb = torch.cat([f, f], -1); cos, sin = emb.cos(), emb.sin()
    rot = lambda x: x * cos + torch.cat([-x[..., hd // 2:], x[..., :hd // 2]], -1) * sin
    rms = lambda x, g: g * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps)
    mask = torch.full((t, t), float("-inf")).triu(1)
    x = w["model.embed_tokens.weight"][ids]
    for l in range(L):
        p = "model.layers.%d." % l
        a = rms(x, w[p + "input_layernorm.weight"])
        q = rot(lin(a, l, "q_proj", "self_attn").view(b, t, nh, hd).transpose(1, 2))
        k = rot(lin(a, l, "k_proj", "self_attn").view(b, t, nkv, hd).transpose(1, 2)).repeat_interleave(nh // nkv, 1)
        v = lin(a, l, "v_proj", "self_attn").view(b, t, nkv, hd).transpose(1, 2).repeat_interleave(nh // nkv, 1)
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(hd) + mask, -1) @ v
        x = x + lin(att.transpose(1, 2).reshape(b, t, h), l, "o_proj", "self_attn")
        m = rms(x, w[p + "post_attention_layernorm.weight"])
        x = x + lin(torch.nn.functional.silu(lin(m, l, "gate_proj", "mlp")) * lin(m, l, "up_proj", "mlp"), l, "down_proj", "mlp")
    return rms(x, w["model.norm.weight"]) @ w["lm_head.weight"].T

examples = []
for line in open(data_file):
    row = json.loads(line)
    prompt = list(("Question: " + row["question"] + "\nAnswer: ").encode())
    ids = (prompt + list(row["answer"].encode()) + [256])[:128]
    examples.append((ids, len(prompt)))

opt = torch.optim.AdamW(params, lr=2e-4, weight_decay=0.0)
rng = random.Random(42)
tokens, start, step = 0, None, 0
while step < steps:
    rng.shuffle(examples)
    for i in range(0, len(examples), 8):
        if step == 2:
            start, tokens = time.time(), 0  # the first steps warm up allocators in both runs
        batch = examples[i:i + 8]
        t = max(len(e) for e, _ in batch)
        ids = torch.tensor([e + [0] * (t - len(e)) for e, _ in batch])
        tgt = torch.tensor([e[1:] + [0] * (t - len(e) + 1) for e, _ in batch])
        wt = torch.tensor([[1.0 if j + 1 >= pl and j + 1 < len(e) else 0.0 for j in range(t)] for e, pl in batch])
        logp = torch.log_softmax(forward(ids), -1).gather(-1, tgt.unsqueeze(-1)).squeeze(-1)
        loss = -(logp * wt).sum() / wt.sum()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step(); opt.zero_grad()
        tokens += sum(len(e) for e, _ in batch)
        step += 1
        if step >= steps:
            break
print(json.dumps({"tokens_per_second": tokens / (time.time() - start),
                  "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, "full": full}))
