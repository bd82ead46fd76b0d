#!/usr/bin/env python3
"""Weir's product frame step in PyTorch, float32: what an ML engineer would write for the step the video
encoder runs on every frame (dev.weir.codec.video.internals.PatchVideoEncoder on dev.weir.kernels.PatchStepPlan),
run on the same synthetic clip (dev.weir.codec.video.SyntheticClip), the same codebook
(codec/src/main/resources/dev/weir/codec/video/codebook-p16.wvcb) and the default compression, frame by frame:

  1. measure   squared error of each patch against the decoder's picture (the reference, kept on the GPU),
               cell means (2x2 quarter cells per channel, minus 128: the novelty feature)
  2. select    cacher: error growth since sent > 24 per sample; keyframe on the first frame, every 90 frames or
               when half the patches changed; budget 15% of the patches; pruner: STC's dual-anchor novelty
               0.5 (1 - cos(x, temporal anchor)) + 0.5 (1 - cos(x, frame mean)), top-k
  3. encode    patchify + DC (6 bits) of the kept patches, nearest codebook entry per residual-VQ stage
               (argmin 2^s |q|^2 - 2 x.q, float32 matmul), repaint of the reference, error at send, anchors;
               the packet (DC codes and tokens) comes down to the host

Prints one JSON line per frame size. The frames are Weir's bit for bit; the decisions and tokens may differ from
Weir's where float32 rounds (Weir's are exact integers): 'sent' per frame is reported so compare.py can say how
often they agree.

Usage: torch_product_step.py [--sizes 384x288,768x576,1920x1088] [--frames 32] [--warmup 8] [--device cuda]
"""
import argparse
import json
import os
import struct
import sys
import time

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CODEBOOK = os.path.join(ROOT, "codec/src/main/resources/dev/weir/codec/video/codebook-p16.wvcb")
SCENE_FRAMES = 24          # SyntheticClip.SCENE_FRAMES
THRESHOLD = 24.0           # CompressionConfig.DEFAULT_THRESHOLD
KEYFRAME_INTERVAL = 90     # CompressionConfig.DEFAULT_KEYFRAME_INTERVAL
SCENE_CHANGE_SHARE = 0.5   # CompressionConfig.DEFAULT_SCENE_CHANGE_SHARE
BUDGET_RATIO = 0.15        # CompressionConfig.DEFAULT_BUDGET_RATIO
ALPHA = 0.5                # CompressionConfig.DEFAULT_ALPHA


def read_codebook(path):
    """The .wvcb format of docs/video.md: magic, version, P, dcBits, stages, id, then per stage K, d, shift, K*d int8."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:4] == b"WVCB", "not a Weir codebook"
    _, patch, dc_bits, stages, id_len = struct.unpack(">HHBBH", data[4:12])
    at = 12 + id_len
    result = []
    for _ in range(stages):
        k, d, shift = struct.unpack(">IIB", data[at:at + 9])
        at += 9
        entries = torch.frombuffer(bytearray(data[at:at + k * d]), dtype=torch.int8).reshape(k, d)
        at += k * d
        result.append((entries, shift))
    return patch, dc_bits, result


def synthetic_frame(width, height, f, device):
    """SyntheticClip.frame(width, height, f): integer formulas, the same bytes as Weir's."""
    y = torch.arange(height, device=device, dtype=torch.int64).view(height, 1, 1)
    x = torch.arange(width, device=device, dtype=torch.int64).view(1, width, 1)
    c = torch.arange(3, device=device, dtype=torch.int64).view(1, 1, 3)
    scene = f // SCENE_FRAMES
    u = x + 37 * scene
    background = ((u * (3 + c)) // 4 + (y * (5 - c)) // 3 + 40 * ((u // 32 + y // 32 + c) % 3)) % 256
    box_width = width // 3
    left = (f * width // 48) % (width - box_width) if width - box_width > 0 else 0
    inside = (x * 5 + y * 3 + c * 60 + f * 2) % 256
    in_box = (x >= left) & (x < left + box_width) & (y >= height // 3) & (y < 2 * height // 3)
    value = torch.where(in_box, inside, background)
    noise = (x * 7 + y * 13 + f * 29 + c * 5) % 5 - 2
    return (value + noise).clamp(0, 255).to(torch.uint8)


class ProductStep:
    """One stream's encoder state on the GPU and its step."""

    def __init__(self, width, height, patch, dc_bits, stages, device):
        assert width % patch == 0 and height % patch == 0, "the benchmark sizes have no edge patches"
        self.w, self.h, self.p, self.device = width, height, patch, device
        self.rows, self.cols = height // patch, width // patch
        self.n = self.rows * self.cols
        self.d = patch * patch * 3
        self.shift = 8 - dc_bits
        self.stages = [(q.to(device=device, dtype=torch.float32), s) for q, s in stages]
        self.scaled = [(q * (1 << s)) for q, s in self.stages]                        # 2^s q
        self.norms = [((q * q).sum(1) * (1 << s)) for q, s in self.stages]            # 2^s |q|^2
        self.reference = torch.zeros(height, width, 3, dtype=torch.uint8, device=device)
        self.error_at_send = torch.zeros(self.n, dtype=torch.float32, device=device)
        self.anchors = torch.zeros(self.n, 12, dtype=torch.int32, device=device)
        self.since_keyframe = 0
        self.first = True
        self.all = torch.arange(self.n, device=device)

    def patches(self, image):
        """(n, P, P, 3) views of an (H, W, 3) image, patch i = row-major grid cell."""
        p = self.p
        return image.view(self.rows, p, self.cols, p, 3).permute(0, 2, 1, 3, 4).reshape(self.n, p, p, 3)

    def step(self, frame):
        p, n = self.p, self.n
        # 1. measure: squared error against the decoder's picture, cell means
        fp = self.patches(frame).to(torch.float32)
        rp = self.patches(self.reference).to(torch.float32)
        se = ((fp - rp) ** 2).sum(dim=(1, 2, 3))
        half = p // 2
        cells = fp.view(n, 2, half, 2, half, 3).sum(dim=(2, 4)).reshape(n, 12)
        x = torch.floor((cells + half * half // 2) / (half * half)).to(torch.int32) - 128
        # 2. select (one sync: the number of changed patches decides the keyframe and the pruning)
        changed = (se - self.error_at_send) > THRESHOLD * (p * p * 3)
        count = int(changed.sum().item())
        keyframe = self.first or self.since_keyframe + 1 >= KEYFRAME_INTERVAL or count >= SCENE_CHANGE_SHARE * n
        allowed = int(BUDGET_RATIO * n + 1e-9)
        if keyframe:
            kept = self.all
        elif count <= allowed:
            kept = self.all[changed]
        else:
            candidates = self.all[changed]
            xf = x[candidates].to(torch.float32)
            temporal = torch.nn.functional.cosine_similarity(xf, self.anchors[candidates].to(torch.float32), dim=1)
            spatial = torch.nn.functional.cosine_similarity(xf, x.to(torch.float32).sum(0, keepdim=True), dim=1)
            score = ALPHA * (1 - temporal) + (1 - ALPHA) * (1 - spatial)
            kept = torch.sort(candidates[torch.topk(score, allowed).indices]).values
        # 3. encode the kept patches: DC, residual-VQ search per stage, repaint, error at send, anchors
        kp = fp[kept].reshape(-1, p * p, 3)
        means = torch.floor((kp.sum(1) + p * p // 2) / (p * p))
        codes = means.to(torch.int32) >> self.shift
        dc = (codes << self.shift) + (1 << (self.shift - 1)) if self.shift > 0 else codes
        residual = (kp - dc.to(torch.float32)[:, None, :]).reshape(-1, self.d)
        value = dc.to(torch.float32)[:, None, :].expand(-1, p * p, 3).reshape(-1, self.d).clone()
        tokens = []
        for (q, s), scaled, norms in zip(self.stages, self.scaled, self.norms):
            ids = torch.argmin(norms[None, :] - 2 * (residual @ q.T), dim=1)   # |x - 2^s q|^2 / 2^s, less |x|^2
            tokens.append(ids)
            residual = residual - scaled[ids]
            value = value + scaled[ids]
        painted = value.clamp(0, 255).reshape(-1, p, p, 3)
        ref = self.reference.view(self.rows, p, self.cols, p, 3).permute(0, 2, 1, 3, 4)
        ref[kept // self.cols, kept % self.cols] = painted.to(torch.uint8)
        self.error_at_send[kept] = ((fp[kept] - painted) ** 2).sum(dim=(1, 2, 3))
        if self.first:
            self.anchors[kept] = x[kept]
        else:
            a = self.anchors[kept]
            self.anchors[kept] = a + torch.div(x[kept] - a, 4, rounding_mode="trunc")
        self.first = False
        self.since_keyframe = 0 if keyframe else self.since_keyframe + 1
        # the packet comes down: positions, DC codes, tokens
        packet = torch.cat([kept.to(torch.int32)[:, None], codes] + [t.to(torch.int32)[:, None] for t in tokens], dim=1)
        return packet.cpu(), keyframe


def run(width, height, frames, warmup, device, patch, dc_bits, stages):
    def stream():
        return ProductStep(width, height, patch, dc_bits, stages, device)

    def sync():
        if device.startswith("cuda"):
            torch.cuda.synchronize()

    # warm-up stream (CUDA context, cuBLAS, allocator), then the timed stream: frames 0..warmup-1 untimed
    warm = stream()
    for f in range(max(1, warmup)):
        warm.step(synthetic_frame(width, height, f, device))
    s = stream()
    for f in range(warmup):
        s.step(synthetic_frame(width, height, f, device))
    times, sent, keyframes = [], [], 0
    for i in range(frames):
        frame = synthetic_frame(width, height, warmup + i, device)
        sync()
        t = time.perf_counter()
        packet, keyframe = s.step(frame)
        times.append((time.perf_counter() - t) * 1e3)
        sent.append(int(packet.shape[0]))
        keyframes += int(keyframe)
    ordered = sorted(times)
    mean = sum(times) / len(times)
    return dict(W=width, H=height, frames=frames, warmup=warmup, dtype="torch.float32", device=device,
                ms_per_frame=mean, ms_p50=ordered[len(ordered) // 2],
                ms_p90=ordered[min(len(ordered) - 1, -(-9 * len(ordered) // 10) - 1)], fps=1000 / mean,
                sent_per_frame=sum(sent) / len(sent), keyframes=keyframes, sent=sent)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="384x288,768x576,1920x1088")
    parser.add_argument("--frames", type=int, default=32)
    parser.add_argument("--warmup", type=int, default=8)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    args = parser.parse_args()
    patch, dc_bits, stages = read_codebook(CODEBOOK)
    torch.backends.cuda.matmul.allow_tf32 = False  # float32, as the comparison says
    for size in args.sizes.split(","):
        width, height = (int(v) for v in size.lower().split("x"))
        print(json.dumps(run(width, height, args.frames, args.warmup, args.device, patch, dc_bits, stages)), flush=True)


if __name__ == "__main__":
    sys.exit(main())
