# Copied unchanged (below this header) from ../shared/bench/torch_ref.py of the Weir development
# environment, which does not travel to the GPU machine. It is the PyTorch reference for the frame step
# that dev.weir.kernels.FrameStepPlan implements; run-on-gpu.sh runs it beside the Java benchmark.
# Reference: what an ML engineer would write in PyTorch for the same per-frame work:
# patchify (16x16x3), mean-removed shape VQ search against K codes (argmin), cosine novelty vs reference, top-k keep.
import torch, time, json, sys
dev = 'cuda'
def run(H, W, K, frames=64, keep=0.25, dtype=torch.float32):
    P = 16
    torch.manual_seed(0)
    x = torch.randint(0, 256, (frames, H, W, 3), dtype=torch.uint8, device=dev)
    C = torch.randn(K, P*P*3, device=dev, dtype=dtype)
    ref = torch.randn((H//P)*(W//P), P*P*3, device=dev, dtype=dtype)
    def step(f):
        p = f.view(H//P, P, W//P, P, 3).permute(0, 2, 1, 3, 4).reshape(-1, P*P*3).to(dtype)
        dc = p.view(p.shape[0], -1, 3).mean(1)
        s = p - dc.repeat(1, P*P)
        nov = 1 - torch.nn.functional.cosine_similarity(s, ref, dim=1)
        k = int(keep * s.shape[0])
        idx = torch.topk(nov, k).indices
        sel = s[idx]
        d = (C*C).sum(1)[None, :] - 2 * sel @ C.T
        return d.argmin(1), idx
    for f in x[:4]: step(f)
    torch.cuda.synchronize(); t = time.perf_counter()
    for f in x: step(f)
    torch.cuda.synchronize(); dt = (time.perf_counter() - t) / frames
    # batched variant: all frames at once
    def batched(xx):
        p = xx.view(frames, H//P, P, W//P, P, 3).permute(0, 1, 3, 2, 4, 5).reshape(frames, -1, P*P*3).to(dtype)
        dc = p.view(frames, p.shape[1], -1, 3).mean(2)
        s = p - dc.repeat(1, 1, P*P)
        nov = 1 - torch.nn.functional.cosine_similarity(s, ref[None], dim=2)
        k = int(keep * s.shape[1])
        idx = torch.topk(nov, k, dim=1).indices
        sel = torch.gather(s, 1, idx[..., None].expand(-1, -1, s.shape[2]))
        d = (C*C).sum(1)[None, None, :] - 2 * sel @ C.T
        return d.argmin(2)
    batched(x); torch.cuda.synchronize(); t = time.perf_counter()
    for _ in range(3): batched(x)
    torch.cuda.synchronize(); db = (time.perf_counter() - t) / 3 / frames
    n = (H//P)*(W//P); k = int(keep*n)
    flop = 2.0 * k * K * P*P*3
    return dict(H=H, W=W, K=K, keep=keep, dtype=str(dtype), ms_per_frame=dt*1e3, fps=1/dt, batched_ms_per_frame=db*1e3, batched_fps=1/db, vq_tflops_batched=flop/db/1e12)
out = []
for (H, W) in [(288, 384), (576, 768), (1088, 1920)]:
    for K in [1024, 4096]:
        for dt in [torch.float32, torch.bfloat16]:
            out.append(run(H, W, K, dtype=dt))
for o in out: print(json.dumps(o))
