#!/usr/bin/env python3
"""Joins the PyTorch reference (torch_ref.jsonl) and the Java benchmark (kernels-opencl.json) of one
run-on-gpu.sh run into a Markdown table: the issue's GPU goal is the Weir frame step at least as fast as
PyTorch float32, frame by frame and batched, on the same machine in the same run.

Usage: compare.py TORCH_JSONL WEIR_JSON  (prints Markdown; exit 0 even when a goal is missed)."""
import json
import sys


def main(torch_path, weir_path):
    torch_rows = {}
    with open(torch_path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                r = json.loads(line)
                if r.get("dtype") == "torch.float32":
                    torch_rows[(r["W"], r["H"], r["K"])] = r
    with open(weir_path) as f:
        weir = json.load(f)
    print(f"Weir backend: {weir['backend']}\n")
    print("| frame | K | torch fp32 ms/frame | Weir ms/frame | speed vs torch | torch batched ms/frame | "
          "Weir batched ms/frame (batch) | speed vs torch | Weir placement |")
    print("|---|---|---|---|---|---|---|---|---|")
    for c in weir["cases"]:
        t = torch_rows.get((c["width"], c["height"], c["codebookSize"]))
        if t is None:
            continue
        single = t["ms_per_frame"] / c["frameMs"]
        batched = t["batched_ms_per_frame"] / c["batchedFrameMs"]
        print(f"| {c['width']}x{c['height']} | {c['codebookSize']} | {t['ms_per_frame']:.3f} | {c['frameMs']:.3f} | "
              f"{single:.2f}x | {t['batched_ms_per_frame']:.4f} | {c['batchedFrameMs']:.4f} ({c['batch']}) | "
              f"{batched:.2f}x | {c.get('placement', '')} |")
    print("\nspeed vs torch = torch ms / Weir ms: 1.00x or more meets the goal. torch_ref.py generates its frames "
          "on the GPU; Weir's times include uploading each frame from the Java heap.")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
