/*
 * Weir fused frame step, OpenCL C 1.2 + cl_khr_fp64, compiled after video.cl in the same program (it uses
 * patchify and nearest_blocked from there). The whole step of dev.weir.kernels.FrameStepPlan stays on the
 * device: frames go up, DC codes, kept patch indices and tokens come down; residuals, novelty and the
 * kept rows never leave the device. The novelty ranking is the host's (NoveltyRanking) bit for bit:
 * integer terms, then one double expression whose operations (int64 -> double conversion, multiply, sqrt,
 * divide) are correctly rounded in OpenCL as in Java, with contraction off.
 */
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#pragma OPENCL FP_CONTRACT OFF

#define RANK_TILE 256
#define SCAN_WG 256

/*
 * Order-preserving int64 key of a double: for doubles that are not NaN and not -0.0 (a cosine here is
 * neither: dot is an integer, so a zero dot gives +0.0), a < b exactly when key(a) < key(b) and a == b
 * exactly when key(a) == key(b). Ranking on keys needs no FP64 unit, which many GPUs run at 1/32-1/64 rate.
 */
long order_key(double value) {
    const long bits = as_long(value);
    return bits >= 0 ? bits : bits ^ 0x7FFFFFFFFFFFFFFFL;
}

/*
 * Novelty of each patch after STC's novelty pruning, as a cosine (novelty = 1 - cos):
 *   dot = sum a.b,  aa = sum a^2,  bb = sum b^2                           (exact, 64-bit)
 *   cos = aa == 0 || bb == 0 ? (aa == bb ? 1 : 0) : dot / sqrt((double) aa * (double) bb)
 * a = residuals of frame f, patch i; b = the same patch of the reference: the previous frame of the batch
 * when tracking (f > 0), else the persistent reference. One work-group of WG_PATCH items per (i, f).
 * Writes order_key(cos) for the ranking.
 */
__kernel void patch_cosine(__global const short *residuals, __global const short *reference, const int n,
                           const int d, const int track, __global long *cosine_keys) {
    __local long3 sums[WG_PATCH];
    const int i = get_group_id(0);
    const int f = get_group_id(1);
    const int lid = get_local_id(0);
    __global const short *a = residuals + ((long) f * n + i) * d;
    __global const short *b = (track && f > 0) ? residuals + ((long) (f - 1) * n + i) * d : reference + (long) i * d;
    long ab = 0, aa = 0, bb = 0;
    for (int k = lid; k < d; k += WG_PATCH) {
        int x = a[k];
        int y = b[k];
        ab += x * y;
        aa += x * x;
        bb += y * y;
    }
    const long3 terms = group_sum3(sums, (long3) (ab, aa, bb));
    if (lid == 0) {
        const long dot = terms.x, na = terms.y, nb = terms.z;
        double c = (na == 0 || nb == 0) ? (na == nb ? 1.0 : 0.0) : (double) dot / sqrt((double) na * (double) nb);
        cosine_keys[(long) f * n + i] = order_key(c);
    }
}

/*
 * Top-k by novelty: patch i of frame f is kept when its rank in the order (cos ascending, index ascending)
 * is below k, rank_i = #{ j : cos_j < cos_i or (cos_j == cos_i and j < i) } (on order keys of the cosines,
 * which compare as the cosines do): the position a stable sort by
 * novelty descending gives it, so ties go to the lower index exactly as on the host. O(n^2) comparisons per
 * frame, staged through local memory RANK_TILE at a time; no sort, no atomics, nothing order-dependent.
 */
__kernel void novelty_keep(__global const long *cosine_keys, const int n, const int k, __global int *keep) {
    __local long tile[RANK_TILE];
    const int f = get_group_id(1);
    const int i = get_global_id(0);
    const int lid = get_local_id(0);
    __global const long *cf = cosine_keys + (long) f * n;
    const long c = i < n ? cf[i] : 0;
    int rank = 0;
    for (int j0 = 0; j0 < n; j0 += RANK_TILE) {
        tile[lid] = j0 + lid < n ? cf[j0 + lid] : 0;
        barrier(CLK_LOCAL_MEM_FENCE);
        const int m = min(RANK_TILE, n - j0);
        for (int t = 0; t < m; t++) {
            const long cj = tile[t];
            rank += (cj < c || (cj == c && j0 + t < i)) ? 1 : 0;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (i < n) {
        keep[(long) f * n + i] = rank < k ? 1 : 0;
    }
}

/*
 * Stream compaction of the keep flags, in patch order: kept[f*k + r] = the r-th kept patch of frame f and
 * rows[f*k + r] = f*n + that patch (its row in the residuals). One work-group of SCAN_WG items per frame;
 * item t owns a contiguous run of patches, an exclusive prefix sum (Hillis-Steele) over the runs' counts
 * gives each run its first output slot.
 */
__kernel void compact_kept(__global const int *keep, const int n, const int k, __global int *kept,
                           __global int *rows) {
    __local int counts[SCAN_WG];
    const int f = get_group_id(0);
    const int t = get_local_id(0);
    const int run = (n + SCAN_WG - 1) / SCAN_WG;
    const int from = min(n, t * run);
    const int to = min(n, from + run);
    __global const int *flags = keep + (long) f * n;
    int count = 0;
    for (int i = from; i < to; i++) {
        count += flags[i];
    }
    counts[t] = count;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int offset = 1; offset < SCAN_WG; offset <<= 1) {
        int add = t >= offset ? counts[t - offset] : 0;
        barrier(CLK_LOCAL_MEM_FENCE);
        counts[t] += add;
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    int slot = counts[t] - count;
    for (int i = from; i < to && slot < k; i++) {
        if (flags[i]) {
            kept[(long) f * k + slot] = i;
            rows[(long) f * k + slot] = f * n + i;
            slot++;
        }
    }
}

/* Gather of the kept rows for the search: x[r][c] = residuals[rows[r]][c], one item per component. */
__kernel void gather_rows(__global const short *residuals, __global const int *rows, const int count, const int d,
                          __global short *x) {
    const long g = get_global_id(0);
    if (g >= (long) count * d) {
        return;
    }
    const int r = g / d;
    const int c = g % d;
    x[g] = residuals[(long) rows[r] * d + c];
}
