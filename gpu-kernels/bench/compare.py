#!/usr/bin/env python3
"""Joins one run-on-gpu.sh run into a Markdown table: Weir's product frame step fused on the OpenCL device
(kernels-opencl.json, from dev.weir.codec.video.VideoStepBenchmark) against the same step in PyTorch float32
(torch_product_step.jsonl), per frame size, frame by frame, on the same machine in the same run. The issue's goal
is Weir at least as fast as PyTorch (1.00x), stretch 2x.

Usage: compare.py TORCH_JSONL WEIR_JSON  (prints Markdown; the torch file may be missing: Weir's columns alone;
exit 0 even when a goal is missed)."""
import json
import os
import sys


def torch_rows(path):
    rows = {}
    if path and os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line.startswith("{"):
                    r = json.loads(line)
                    rows[(r["W"], r["H"])] = r
    return rows


def ms(run, key="frameMs"):
    return f"{run[key]:.3f}" if run else "-"


def main(torch_path, weir_path):
    torch = torch_rows(torch_path)
    with open(weir_path) as f:
        weir = json.load(f)
    device = next((r["device"] for r in torch.values()), "none")
    print(f"Weir backend: {weir['backend']}; PyTorch device: {device}\n")
    print("| frame | torch fp32 ms/frame (p50) | Weir fused ms/frame (p50) | vs torch | Weir composed ms | "
          "jvm ms | fused vs composed | sent/frame torch / Weir | frames with the same count | packets = jvm |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for c in weir["cases"]:
        t = torch.get((c["width"], c["height"]))
        fused = c.get("fused")
        best = fused or c.get("composed")
        vs = f"{t['ms_per_frame'] / best['frameMs']:.2f}x" if t and best else "-"
        torch_ms = f"{t['ms_per_frame']:.3f} ({t['ms_p50']:.3f})" if t else "-"
        weir_ms = f"{best['frameMs']:.3f} ({best['frameMsP50']:.3f})" if best else "-"
        fvc = f"{c['fusedSpeedup']:.2f}x" if isinstance(c.get("fusedSpeedup"), (int, float)) else "-"
        sent = f"{t['sent_per_frame']:.1f} / {c['sentPerFrame']:.1f}" if t else f"- / {c['sentPerFrame']:.1f}"
        same = "-"
        if t and c.get("sent") and len(t["sent"]) == len(c["sent"]):
            same = f"{sum(a == b for a, b in zip(t['sent'], c['sent']))}/{len(c['sent'])}"
        print(f"| {c['width']}x{c['height']} | {torch_ms} | {weir_ms} | {vs} | {ms(c.get('composed'))} | "
              f"{ms(c.get('reference'))} | {fvc} | {sent} | {same} | {c['matchesReference']} |")
    print("\nvs torch = torch ms / Weir ms per frame (1.00x or more meets the goal). Both run the whole step of one "
          "stream frame after frame, each frame's packet brought back to the host; Weir's time includes uploading the "
          "frame from the Java heap (torch generates its frames on the device: see kernelDeviceMs 'frame-up' in "
          "kernels-opencl.json). The frames are the same bytes; the decisions can differ where float32 rounds (Weir's "
          "are exact integers), so the sent counts are compared frame by frame.")
    if fused:
        print("\nWeir device time per stage (ms/frame), last size: "
              + ", ".join(f"{k} {v:.3f}" for k, v in fused["deviceMs"].items()))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
