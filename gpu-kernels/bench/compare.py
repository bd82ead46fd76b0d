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
    print("| frame | K | torch fp32 ms/frame | Weir ms/frame | vs torch | w/o upload | torch batched ms/frame | "
          "Weir batched ms/frame (batch) | vs torch | w/o upload | Weir placement |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for c in weir["cases"]:
        t = torch_rows.get((c["width"], c["height"], c["codebookSize"]))
        if t is None:
            continue
        upload = (c.get("kernelDeviceMs") or {}).get("upload", 0.0)
        single = t["ms_per_frame"] / c["frameMs"]
        single_resident = t["ms_per_frame"] / max(c["frameMs"] - upload, 1e-9)
        batched = t["batched_ms_per_frame"] / c["batchedFrameMs"]
        batched_resident = t["batched_ms_per_frame"] / max(c["batchedFrameMs"] - upload, 1e-9)
        print(f"| {c['width']}x{c['height']} | {c['codebookSize']} | {t['ms_per_frame']:.3f} | {c['frameMs']:.3f} | "
              f"{single:.2f}x | {single_resident:.2f}x | {t['batched_ms_per_frame']:.4f} | "
              f"{c['batchedFrameMs']:.4f} ({c['batch']}) | {batched:.2f}x | {batched_resident:.2f}x | "
              f"{c.get('placement', '')} |")
    print("\nvs torch = torch ms / Weir ms: 1.00x or more meets the goal. Weir's times include uploading each frame "
          "from the Java heap; torch_ref.py generates its frames on the GPU and uploads nothing, so 'w/o upload' "
          "also shows Weir's ms less the device time of its frame-by-frame upload (kernelDeviceMs.upload).")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
