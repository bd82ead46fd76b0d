/*
 * Weir video kernels, OpenCL C 1.2. Each kernel implements one formula of dev.weir.kernels.VideoKernels
 * in exact integer arithmetic, so the tokens equal the jvm-scalar reference on every device.
 * Work-group sizes are fixed by the host: WG_PATCH for per-patch kernels, TILE x TILE for nearest.
 */

#define WG_PATCH 64
#define TILE 16
#define TILE_K 64

/* Centre of DC bin `code` at `dc_bits` bits: VideoKernels.dcValue. */
int dc_value(int code, int dc_bits) {
    int shift = 8 - dc_bits;
    return shift == 0 ? code : (code << shift) + (1 << (shift - 1));
}

/* Offset of pixel (y, x) with edge replication: (min(y, H-1), min(x, W-1)). */
int pixel_offset(int y, int x, int width, int height) {
    return (min(y, height - 1) * width + min(x, width - 1)) * 3;
}

/*
 * Work-group sum of one value per item, over the WG_PATCH items of dimension 0, by tree reduction in
 * `sums` (WG_PATCH entries of local memory). Integer adds, so the order does not matter; every item gets
 * the total. Call once per kernel (the buffer is not reusable without a barrier).
 */
long group_sum(__local long *sums, long value) {
    const int lid = get_local_id(0);
    sums[lid] = value;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int stride = WG_PATCH / 2; stride > 0; stride >>= 1) {
        if (lid < stride) {
            sums[lid] += sums[lid + stride];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    return sums[0];
}

/* group_sum of three values per item at once (channel sums, dot product and norms). */
long3 group_sum3(__local long3 *sums, long3 value) {
    const int lid = get_local_id(0);
    sums[lid] = value;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int stride = WG_PATCH / 2; stride > 0; stride >>= 1) {
        if (lid < stride) {
            sums[lid] += sums[lid + stride];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    return sums[0];
}

/*
 * The lowest (score, j) pair of a row's TILE candidates, lexicographically: the argmin's tie-break to the
 * lower j, whatever item found which candidate. Returns j; the score goes to *score.
 */
int lowest_pair(__local const long *scores, __local const int *ids, long *score) {
    long b = scores[0];
    int bj = ids[0];
    for (int t = 1; t < TILE; t++) {
        const long s = scores[t];
        const int sj = ids[t];
        if (s < b || (s == b && sj < bj)) {
            b = s;
            bj = sj;
        }
    }
    *score = b;
    return bj;
}

/*
 * Patchify + DC removal of patch i into dc_codes[0..3) and residuals[0..d), by the WG_PATCH items of a work-group:
 *   mean_c = floor((sum_c + P^2/2) / P^2),  code_c = mean_c >> (8 - dcBits),
 *   r[(py*P + px)*3 + c] = pixel_c(py, px) - dcValue(code_c)
 * Channel sums by a work-group tree reduction in `sums` (integer adds: order does not matter).
 */
void patchify_patch(__global const uchar *rgb, const int width, const int height, const int patch,
                    const int columns, const int dc_bits, const int i, __global int *dc_codes,
                    __global short *residuals, __local long3 *sums) {
    const int lid = get_local_id(0);
    const int y0 = (i / columns) * patch;
    const int x0 = (i % columns) * patch;
    const int area = patch * patch;
    int s0 = 0, s1 = 0, s2 = 0;
    for (int p = lid; p < area; p += WG_PATCH) {
        int o = pixel_offset(y0 + p / patch, x0 + p % patch, width, height);
        s0 += rgb[o];
        s1 += rgb[o + 1];
        s2 += rgb[o + 2];
    }
    const long3 total = group_sum3(sums, (long3) (s0, s1, s2));
    const int shift = 8 - dc_bits;
    const int c0 = (int) ((total.x + area / 2) / area) >> shift;
    const int c1 = (int) ((total.y + area / 2) / area) >> shift;
    const int c2 = (int) ((total.z + area / 2) / area) >> shift;
    if (lid == 0) {
        dc_codes[0] = c0;
        dc_codes[1] = c1;
        dc_codes[2] = c2;
    }
    const int v0 = dc_value(c0, dc_bits), v1 = dc_value(c1, dc_bits), v2 = dc_value(c2, dc_bits);
    for (int p = lid; p < area; p += WG_PATCH) {
        int o = pixel_offset(y0 + p / patch, x0 + p % patch, width, height);
        residuals[3 * p] = (short) (rgb[o] - v0);
        residuals[3 * p + 1] = (short) (rgb[o + 1] - v1);
        residuals[3 * p + 2] = (short) (rgb[o + 2] - v2);
    }
}

/*
 * Patchify + DC removal (patchify_patch), one work-group of WG_PATCH items per patch i (dimension 0) and frame f
 * of a batch of consecutive frames (dimension 1; outputs of frame f at f*n*3 and f*n*d, n = patches per frame).
 */
__kernel void patchify(__global const uchar *rgb, const int width, const int height, const int patch,
                       const int columns, const int dc_bits, __global int *dc_codes, __global short *residuals) {
    __local long3 sums[WG_PATCH];
    const int i = get_group_id(0);
    const int n = get_num_groups(0);
    const int f = get_group_id(1);
    const long d = patch * patch * 3;
    patchify_patch(rgb + (long) f * width * height * 3, width, height, patch, columns, dc_bits, i,
                   dc_codes + ((long) f * n + i) * 3, residuals + ((long) f * n + i) * d, sums);
}

/*
 * Nearest codebook entry, the GEMM [count x d] . [d x K] fused with an argmin:
 *   score_j(x) = 2^s * |q_j|^2 - 2 * x . q_j   (exact: int dot products, 64-bit scores)
 *   index = argmin_j score_j, ties to the lower j.
 * A TILE x TILE work-group owns TILE rows; item (ty, tx) scores entries tx, tx + TILE, ... for row ty,
 * staging TILE_K components of TILE rows and TILE entries through local memory. Each item keeps its
 * lowest (score, j) with strict '<' (entries come in increasing j); the group then picks the lowest
 * (score, j) pair per row, so the result does not depend on scheduling.
 */
__kernel void nearest(__global const short *vectors, const int count, const int d,
                      __global const char *codebook, __global const long *scaled_norms, const int size,
                      __global int *indices) {
    __local int xs[TILE][TILE_K];
    __local int qs[TILE][TILE_K + 1];
    __local long best_scores[TILE][TILE];
    __local int best_ids[TILE][TILE];
    const int tx = get_local_id(0);
    const int ty = get_local_id(1);
    const int row = get_group_id(1) * TILE + ty;
    long best = LONG_MAX;
    int best_j = 0;
    for (int j0 = 0; j0 < size; j0 += TILE) {
        const int j = j0 + tx;
        int dot = 0;
        for (int k0 = 0; k0 < d; k0 += TILE_K) {
            for (int k = tx; k < TILE_K; k += TILE) {
                int kk = k0 + k;
                xs[ty][k] = (row < count && kk < d) ? vectors[(long) row * d + kk] : 0;
                int jq = j0 + ty;
                qs[ty][k] = (jq < size && kk < d) ? codebook[(long) jq * d + kk] : 0;
            }
            barrier(CLK_LOCAL_MEM_FENCE);
            for (int k = 0; k < TILE_K; k++) {
                dot += xs[ty][k] * qs[tx][k];
            }
            barrier(CLK_LOCAL_MEM_FENCE);
        }
        if (j < size) {
            long score = scaled_norms[j] - 2 * (long) dot;
            if (score < best) {
                best = score;
                best_j = j;
            }
        }
    }
    best_scores[ty][tx] = best;
    best_ids[ty][tx] = best_j;
    barrier(CLK_LOCAL_MEM_FENCE);
    if (tx == 0 && row < count) {
        long score;
        indices[row] = lowest_pair(best_scores[ty], best_ids[ty], &score);
    }
}

/*
 * Nearest codebook entry, register-blocked for GPUs: the same formula as `nearest`,
 *   score_j(x) = 2^s * |q_j|^2 - 2 * x . q_j,  index = argmin_j score_j, ties to the lower j,
 * with a 16 x 16 work-group computing a 64-row x 64-entry block, 4 x 4 outputs per item (rows
 * ty + 16i, entries tx + 16j), staging BLOCK_K = 16 components of rows and entries in local memory.
 * Products are accumulated in float over one BLOCK_K slice, then added to int: for |x| <= 2047 and
 * |q| <= 127 every partial sum is an integer of magnitude <= 16 * 2047 * 127 < 2^24, exact in float,
 * so the dot products are exact (the host takes `nearest` for larger |x|).
 */
#define BLOCK 64
#define BLOCK_K 16
__kernel void nearest_blocked(__global const short *vectors, const int count, const int d,
                              __global const char *codebook, __global const long *scaled_norms, const int size,
                              __global int *indices) {
    __local float xs[BLOCK_K][BLOCK];
    __local float qs[BLOCK_K][BLOCK];
    __local long best_scores[BLOCK][TILE];
    __local int best_ids[BLOCK][TILE];
    const int tx = get_local_id(0);
    const int ty = get_local_id(1);
    const int l = ty * TILE + tx;
    const int row0 = get_group_id(1) * BLOCK;
    long best[4];
    int best_j[4];
    for (int i = 0; i < 4; i++) {
        best[i] = LONG_MAX;
        best_j[i] = 0;
    }
    for (int e0 = 0; e0 < size; e0 += BLOCK) {
        int dots[4][4];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                dots[i][j] = 0;
            }
        }
        for (int k0 = 0; k0 < d; k0 += BLOCK_K) {
            for (int t = 0; t < 4; t++) {
                int idx = l + TILE * TILE * t;
                int r = idx / BLOCK_K;
                int k = idx % BLOCK_K;
                int kk = k0 + k;
                xs[k][r] = (row0 + r < count && kk < d) ? (float) vectors[(long) (row0 + r) * d + kk] : 0.0f;
                qs[k][r] = (e0 + r < size && kk < d) ? (float) codebook[(long) (e0 + r) * d + kk] : 0.0f;
            }
            barrier(CLK_LOCAL_MEM_FENCE);
            float acc[4][4];
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    acc[i][j] = 0.0f;
                }
            }
            for (int k = 0; k < BLOCK_K; k++) {
                float a[4], b[4];
                for (int i = 0; i < 4; i++) {
                    a[i] = xs[k][ty + TILE * i];
                    b[i] = qs[k][tx + TILE * i];
                }
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 4; j++) {
                        acc[i][j] += a[i] * b[j]; /* exact either way: fused or not */
                    }
                }
            }
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    dots[i][j] += (int) acc[i][j];
                }
            }
            barrier(CLK_LOCAL_MEM_FENCE);
        }
        for (int j = 0; j < 4; j++) {
            int e = e0 + tx + TILE * j;
            if (e < size) {
                long norm = scaled_norms[e];
                for (int i = 0; i < 4; i++) {
                    long score = norm - 2 * (long) dots[i][j];
                    if (score < best[i]) {
                        best[i] = score;
                        best_j[i] = e;
                    }
                }
            }
        }
    }
    for (int i = 0; i < 4; i++) {
        best_scores[ty + TILE * i][tx] = best[i];
        best_ids[ty + TILE * i][tx] = best_j[i];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    if (l < BLOCK && row0 + l < count) {
        long score;
        indices[row0 + l] = lowest_pair(best_scores[l], best_ids[l], &score);
    }
}

/*
 * Nearest codebook entry for GPUs, split over entries: the same formula as `nearest`,
 *   score_j(x) = 2^s * |q_j|^2 - 2 * x . q_j,  index = argmin_j score_j, ties to the lower j,
 * as a register-blocked GEMM fused with the argmin. Work-group (c, b) of 16 x 16 items scores rows
 * [128b, 128b + 128) against entries [c * chunk, min((c + 1) * chunk, size)) in blocks of 128 entries,
 * 8 x 8 outputs per item (rows ty + 16i, entries tx + 16j), staging SPLIT_K components of rows and
 * entries in local memory; it writes its best (score, j) per row to partial[row][c] and `nearest_reduce`
 * picks the lowest over c. Splitting the entries gives a small batch of rows enough work-groups to fill
 * a GPU. Exactness: products are accumulated in float for `slice` components (a multiple of SPLIT_K
 * chosen by the host so that slice * max|x| * max|q| <= 2^24: every partial sum is an integer that float
 * represents exactly), then added to int dot products.
 */
#define SPLIT_ROWS 128
#define SPLIT_K 16
__kernel void nearest_split(__global const short *vectors, const int count, const int d,
                            __global const char *codebook, __global const long *scaled_norms, const int size,
                            const int chunk, const int slice, __global long *partial_scores,
                            __global int *partial_ids) {
    /* One 24 KiB local block, used first for the staged rows and entries (16.5 KiB), then, after the last
       barrier of the search, for the per-row candidates (24 KiB): within the 32 KiB every device has. */
    __local long scratch[SPLIT_ROWS * TILE + SPLIT_ROWS * TILE / 2];
    __local float (*xs)[SPLIT_ROWS + 1] = (__local float (*)[SPLIT_ROWS + 1]) scratch;
    __local float (*qs)[SPLIT_ROWS + 1] = (__local float (*)[SPLIT_ROWS + 1]) ((__local float *) scratch + SPLIT_K * (SPLIT_ROWS + 1));
    __local long (*best_scores)[TILE] = (__local long (*)[TILE]) scratch;
    __local int (*best_ids)[TILE] = (__local int (*)[TILE]) (scratch + SPLIT_ROWS * TILE);
    const int tx = get_local_id(0);
    const int ty = get_local_id(1);
    const int l = ty * TILE + tx;
    const int c = get_group_id(0);
    const int chunks = get_num_groups(0);
    const int row0 = get_group_id(1) * SPLIT_ROWS;
    const int e_begin = c * chunk;
    const int e_end = min(size, e_begin + chunk);
    long best[8];
    int best_j[8];
    for (int i = 0; i < 8; i++) {
        best[i] = LONG_MAX;
        best_j[i] = 0;
    }
    for (int e0 = e_begin; e0 < e_end; e0 += SPLIT_ROWS) {
        int dots[8][8];
        float acc[8][8];
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                dots[i][j] = 0;
                acc[i][j] = 0.0f;
            }
        }
        int in_slice = 0;
        for (int k0 = 0; k0 < d; k0 += SPLIT_K) {
            for (int t = 0; t < 8; t++) {
                const int idx = l + TILE * TILE * t;
                const int r = idx / SPLIT_K;
                const int k = idx % SPLIT_K;
                const int kk = k0 + k;
                xs[k][r] = (row0 + r < count && kk < d) ? (float) vectors[(long) (row0 + r) * d + kk] : 0.0f;
                qs[k][r] = (e0 + r < e_end && kk < d) ? (float) codebook[(long) (e0 + r) * d + kk] : 0.0f;
            }
            barrier(CLK_LOCAL_MEM_FENCE);
            for (int k = 0; k < SPLIT_K; k++) {
                float a[8], b[8];
                for (int i = 0; i < 8; i++) {
                    a[i] = xs[k][ty + TILE * i];
                    b[i] = qs[k][tx + TILE * i];
                }
                for (int i = 0; i < 8; i++) {
                    for (int j = 0; j < 8; j++) {
                        acc[i][j] += a[i] * b[j]; /* exact either way: fused or not */
                    }
                }
            }
            barrier(CLK_LOCAL_MEM_FENCE);
            in_slice += SPLIT_K;
            if (in_slice >= slice || k0 + SPLIT_K >= d) {
                for (int i = 0; i < 8; i++) {
                    for (int j = 0; j < 8; j++) {
                        dots[i][j] += (int) acc[i][j];
                        acc[i][j] = 0.0f;
                    }
                }
                in_slice = 0;
            }
        }
        for (int j = 0; j < 8; j++) {
            const int e = e0 + tx + TILE * j;
            if (e < e_end) {
                const long norm = scaled_norms[e];
                for (int i = 0; i < 8; i++) {
                    const long score = norm - 2 * (long) dots[i][j];
                    if (score < best[i]) {
                        best[i] = score;
                        best_j[i] = e;
                    }
                }
            }
        }
    }
    barrier(CLK_LOCAL_MEM_FENCE); /* the staged rows and entries are dead: their memory takes the candidates */
    for (int i = 0; i < 8; i++) {
        best_scores[ty + TILE * i][tx] = best[i];
        best_ids[ty + TILE * i][tx] = best_j[i];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    if (l < SPLIT_ROWS && row0 + l < count) {
        long score;
        partial_ids[(long) (row0 + l) * chunks + c] = lowest_pair(best_scores[l], best_ids[l], &score);
        partial_scores[(long) (row0 + l) * chunks + c] = score;
    }
}

/* The argmin over the entry chunks of `nearest_split`: chunks in increasing j, strict '<': ties to the lower j. */
__kernel void nearest_reduce(__global const long *partial_scores, __global const int *partial_ids, const int count,
                             const int chunks, __global int *indices) {
    const int row = get_global_id(0);
    if (row >= count) {
        return;
    }
    long b = partial_scores[(long) row * chunks];
    int bj = partial_ids[(long) row * chunks];
    for (int c = 1; c < chunks; c++) {
        const long s = partial_scores[(long) row * chunks + c];
        if (s < b) {
            b = s;
            bj = partial_ids[(long) row * chunks + c];
        }
    }
    indices[row] = bj;
}

/*
 * Nearest codebook entry for CPU devices (PoCL): the same formula as `nearest`,
 *   score_j(x) = 2^s * |q_j|^2 - 2 * x . q_j,  index = argmin_j score_j, ties to the lower j,
 * as the jvm backend's micro-kernel (GotoBLAS/BLIS packing): the codebook is packed in panels of PANEL = 16
 * entries, component-major (panels[p][k][l] = q_{16p + l}[k], as float), so one float8 load gives component k of
 * 8 entries and each row's component is broadcast: item (b, p) computes 4 rows x 16 entries with 8 float8
 * accumulators, no local memory and no barriers, which a CPU compiler turns into plain SIMD FMAs. It writes
 * its lowest (score, j) per row to partial[row][p]; `nearest_reduce` takes the lowest over the panels.
 * Exactness: products are accumulated in float for `slice` components (the host's bound, as for nearest_split:
 * slice * max|x| * max|q| <= 2^24, so every partial sum is an integer float holds exactly), then added to int.
 */
#define PANEL 16
__kernel void nearest_panel(__global const short *vectors, const int count, const int d,
                            __global const float *panels, __global const long *scaled_norms, const int size,
                            const int slice, __global long *partial_scores, __global int *partial_ids) {
    const int r0 = get_global_id(0) * 4;
    const int p = get_global_id(1);
    const int panels_count = get_global_size(1);
    if (r0 >= count) {
        return;
    }
    __global const short *x0 = vectors + (long) r0 * d;
    __global const short *x1 = vectors + (long) min(r0 + 1, count - 1) * d;
    __global const short *x2 = vectors + (long) min(r0 + 2, count - 1) * d;
    __global const short *x3 = vectors + (long) min(r0 + 3, count - 1) * d;
    __global const float *q = panels + (long) p * d * PANEL;
    int8 d00 = 0, d01 = 0, d10 = 0, d11 = 0, d20 = 0, d21 = 0, d30 = 0, d31 = 0;
    for (int k0 = 0; k0 < d; k0 += slice) {
        const int k1 = min(d, k0 + slice);
        float8 a00 = 0, a01 = 0, a10 = 0, a11 = 0, a20 = 0, a21 = 0, a30 = 0, a31 = 0;
        for (int k = k0; k < k1; k++) {
            const float8 q0 = vload8(0, q + k * PANEL);
            const float8 q1 = vload8(1, q + k * PANEL);
            float8 b = (float8) ((float) x0[k]);
            a00 = mad(b, q0, a00); /* exact either way: fused or not */
            a01 = mad(b, q1, a01);
            b = (float8) ((float) x1[k]);
            a10 = mad(b, q0, a10);
            a11 = mad(b, q1, a11);
            b = (float8) ((float) x2[k]);
            a20 = mad(b, q0, a20);
            a21 = mad(b, q1, a21);
            b = (float8) ((float) x3[k]);
            a30 = mad(b, q0, a30);
            a31 = mad(b, q1, a31);
        }
        d00 += convert_int8(a00);
        d01 += convert_int8(a01);
        d10 += convert_int8(a10);
        d11 += convert_int8(a11);
        d20 += convert_int8(a20);
        d21 += convert_int8(a21);
        d30 += convert_int8(a30);
        d31 += convert_int8(a31);
    }
    int dots[4][PANEL];
    vstore8(d00, 0, dots[0]);
    vstore8(d01, 1, dots[0]);
    vstore8(d10, 0, dots[1]);
    vstore8(d11, 1, dots[1]);
    vstore8(d20, 0, dots[2]);
    vstore8(d21, 1, dots[2]);
    vstore8(d30, 0, dots[3]);
    vstore8(d31, 1, dots[3]);
    const int rows = min(4, count - r0);
    const int entries = min(PANEL, size - p * PANEL);
    for (int r = 0; r < rows; r++) {
        long best = LONG_MAX;
        int best_j = p * PANEL;
        for (int l = 0; l < entries; l++) {
            const long score = scaled_norms[p * PANEL + l] - 2 * (long) dots[r][l];
            if (score < best) {
                best = score;
                best_j = p * PANEL + l;
            }
        }
        partial_scores[(long) (r0 + r) * panels_count + p] = best;
        partial_ids[(long) (r0 + r) * panels_count + p] = best_j;
    }
}

/* Residual (RVQ) step: x_v[k] <- x_v[k] - 2^s * q_{index_v}[k], one item per component. */
__kernel void subtract(__global short *vectors, const int count, const int d, __global const char *codebook,
                       const int scale_shift, __global const int *indices) {
    const long g = get_global_id(0);
    if (g >= (long) count * d) {
        return;
    }
    const int v = g / d;
    const int k = g % d;
    vectors[g] = (short) (vectors[g] - (codebook[(long) indices[v] * d + k] << scale_shift));
}

/*
 * Decode (VideoKernels.reconstruct) of up to four stages, one item per component k of listed patch r:
 *   value = dcValue(dc_codes[3r + k % 3]) + sum_{t < stages} 2^s_t * q_t[shape_ids[t count + r]][k]
 *   pixels[r d + k] = clamp(value, 0, 255)
 * The host writes the patch pixels that lie inside the frame into it, so the frame itself never goes up.
 * codes = dc_codes (3 count) then shape_ids (stages count); unused stages take any buffer.
 */
__kernel void reconstruct_patches(__global uchar *pixels, const int count, const int d, const int dc_bits,
                                  __global const int *codes, const int stages,
                                  __global const char *q0, const int s0, __global const char *q1, const int s1,
                                  __global const char *q2, const int s2, __global const char *q3, const int s3) {
    const long g = get_global_id(0);
    if (g >= (long) count * d) {
        return;
    }
    const int r = g / d;
    const int k = g % d;
    __global const int *shapes = codes + 3 * count;
    int value = dc_value(codes[3 * r + k % 3], dc_bits);
    value += q0[(long) shapes[r] * d + k] << s0;
    if (stages > 1) {
        value += q1[(long) shapes[count + r] * d + k] << s1;
    }
    if (stages > 2) {
        value += q2[(long) shapes[2 * count + r] * d + k] << s2;
    }
    if (stages > 3) {
        value += q3[(long) shapes[3 * count + r] * d + k] << s3;
    }
    pixels[g] = (uchar) clamp(value, 0, 255);
}

/*
 * Per-patch squared error (the cacher's change measure): out[i] = sum over the pixels of patch i
 * inside the frame, over channels, of (a - b)^2. One work-group per patch, tree reduction in 64-bit.
 */
__kernel void patch_squared_error(__global const uchar *a, __global const uchar *b, const int width,
                                  const int height, const int patch, const int columns, __global long *out) {
    __local long sums[WG_PATCH];
    const int i = get_group_id(0);
    const int lid = get_local_id(0);
    const int y0 = (i / columns) * patch;
    const int x0 = (i % columns) * patch;
    long e = 0;
    for (int p = lid; p < patch * patch; p += WG_PATCH) {
        int y = y0 + p / patch;
        int x = x0 + p % patch;
        if (y < height && x < width) {
            int o = (y * width + x) * 3;
            for (int c = 0; c < 3; c++) {
                int diff = (int) a[o + c] - (int) b[o + c];
                e += diff * diff;
            }
        }
    }
    const long total = group_sum(sums, e);
    if (lid == 0) {
        out[i] = total;
    }
}

/* PSNR reduction, partial sums: partial[group] = sum over its strided bytes of (a - b)^2, in 64-bit. */
__kernel void squared_error(__global const uchar *a, __global const uchar *b, const int length,
                            __global long *partial) {
    __local long sums[WG_PATCH];
    const int lid = get_local_id(0);
    long e = 0;
    for (int k = get_global_id(0); k < length; k += get_global_size(0)) {
        int diff = (int) a[k] - (int) b[k];
        e += diff * diff;
    }
    const long total = group_sum(sums, e);
    if (lid == 0) {
        partial[get_group_id(0)] = total;
    }
}
