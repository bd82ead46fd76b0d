/*
 * Weir's patch-VQ frame step (dev.weir.kernels.PatchStepPlan) fused on the device, OpenCL C 1.2, compiled after
 * video.cl in one program (it uses dc_value, pixel_offset, group_sum, patchify_patch and the search kernels from
 * there). Every kernel is the formula of its VideoKernels method, in exact integer arithmetic:
 *
 *   phase 1  patch_measure      squared error against the reference picture + cell means      (frame up)
 *            -> the host decides (dev.weir.codec.compress: cacher, keyframes, budget, pruner)
 *   phase 2  patchify_rows      patchify + DC removal of the searched patches only
 *            nearest_*, subtract per residual-VQ stage, on the searched rows
 *            repaint            reconstruct the sent patches into the reference, their error at send, the packet
 *
 * The reference picture (what the decoder shows) never leaves the device: frames go up, small per-patch measures
 * and the packet come down.
 */

#define CELLS 12

/*
 * Phase 1, one work-group of WG_PATCH items per patch i (VideoKernels.patchSquaredError and cellMeans):
 *   se[i]                  = sum over the pixels of patch i inside the frame, over channels, of (frame - reference)^2
 *   cells[12 i + 3 q + c]  = floor((sum over quarter cell q of pixel_c + h^2/2) / h^2) - 128,  h = P/2,
 *                            pixels outside the frame read the nearest edge pixel
 * Items walk the cells one after the other so each keeps three channel sums; the 12 sums and the error are then
 * added over the work-group in local memory (integer adds: order does not matter).
 */
__kernel void patch_measure(__global const uchar *frame, __global const uchar *reference, const int width,
                            const int height, const int patch, const int columns, __global int *se,
                            __global char *cells) {
    __local int cell_sums[CELLS][WG_PATCH];
    __local long errors[WG_PATCH];
    const int i = get_group_id(0);
    const int lid = get_local_id(0);
    const int y0 = (i / columns) * patch;
    const int x0 = (i % columns) * patch;
    const int h = patch / 2; /* `half` is a type in OpenCL C */
    const int cell_area = h * h;
    long e = 0;
    for (int q = 0; q < 4; q++) {
        const int cy = y0 + (q / 2) * h;
        const int cx = x0 + (q % 2) * h;
        int s0 = 0, s1 = 0, s2 = 0;
        for (int p = lid; p < cell_area; p += WG_PATCH) {
            const int y = cy + p / h;
            const int x = cx + p % h;
            const int o = pixel_offset(y, x, width, height);
            const int r = frame[o], g = frame[o + 1], b = frame[o + 2];
            s0 += r;
            s1 += g;
            s2 += b;
            if (y < height && x < width) {
                const int d0 = r - reference[o], d1 = g - reference[o + 1], d2 = b - reference[o + 2];
                e += d0 * d0 + d1 * d1 + d2 * d2;
            }
        }
        cell_sums[3 * q][lid] = s0;
        cell_sums[3 * q + 1][lid] = s1;
        cell_sums[3 * q + 2][lid] = s2;
    }
    errors[lid] = e;
    barrier(CLK_LOCAL_MEM_FENCE);
    if (lid < CELLS) {
        int sum = 0;
        for (int t = 0; t < WG_PATCH; t++) {
            sum += cell_sums[lid][t];
        }
        cells[(long) i * CELLS + lid] = (char) ((sum + cell_area / 2) / cell_area - 128);
    } else if (lid == CELLS) {
        long sum = 0;
        for (int t = 0; t < WG_PATCH; t++) {
            sum += errors[t];
        }
        se[i] = (int) sum;
    }
}

/*
 * Phase 2, patchify + DC removal of the searched patches only (VideoKernels.patchify): row r is patch
 * searched[r]; its DC codes go to dc_codes[3r ..] and its residuals to residuals[r d ..]. One work-group of
 * WG_PATCH items per row.
 */
__kernel void patchify_rows(__global const uchar *frame, const int width, const int height, const int patch,
                            const int columns, const int dc_bits, __global const int *searched,
                            __global int *dc_codes, __global short *residuals) {
    __local long3 sums[WG_PATCH];
    const int r = get_group_id(0);
    const int d = patch * patch * 3;
    patchify_patch(frame, width, height, patch, columns, dc_bits, searched[r], dc_codes + 3 * (long) r,
                   residuals + (long) r * d, sums);
}

/*
 * Phase 2, the sent patches painted as the decoder paints them (VideoKernels.reconstruct), their error at send
 * (VideoKernels.patchSquaredError) and the packet, one work-group of WG_PATCH items per sent patch s:
 *   row    = sent_rows[s] (its row among the searched), i = searched[row]
 *   value  = dcValue(dc_codes[3 row + k % 3]) + sum_t 2^shift_t * q_t[ids[t][row]][k]
 *   pixel  = clamp(value, 0, 255) where patch i lies inside the frame, written into the reference
 *   error  = sum over those pixels of (frame - pixel)^2
 * The stage codebooks are concatenated in `codebooks` (stage t from offsets[t]); stage t's ids of the searched
 * rows start at ids[t * ids_stride]. The packet: packet[3s ..] DC codes, packet[3k + t k + s] shape of stage t,
 * packet[3k + T k + s] error at send.
 */
__kernel void repaint(__global const uchar *frame, __global uchar *reference, const int width, const int height,
                      const int patch, const int columns, const int dc_bits, __global const int *searched,
                      __global const int *sent_rows, const int sent, __global const int *dc_codes,
                      __global const int *ids, const int ids_stride, __global const char *codebooks,
                      __global const int *offsets, __global const int *shifts, const int stages,
                      __global int *packet) {
    __local long sums[WG_PATCH];
    const int s = get_group_id(0);
    const int lid = get_local_id(0);
    const int row = sent_rows[s];
    const int i = searched[row];
    const int d = patch * patch * 3;
    const int y0 = (i / columns) * patch;
    const int x0 = (i % columns) * patch;
    long e = 0;
    for (int k = lid; k < d; k += WG_PATCH) {
        const int pixel = k / 3;
        const int y = y0 + pixel / patch;
        const int x = x0 + pixel % patch;
        if (y < height && x < width) {
            int value = dc_value(dc_codes[3 * row + k % 3], dc_bits);
            for (int t = 0; t < stages; t++) {
                value += codebooks[offsets[t] + (long) ids[t * ids_stride + row] * d + k] << shifts[t];
            }
            const int o = (y * width + x) * 3 + k % 3;
            const int painted = clamp(value, 0, 255);
            reference[o] = (uchar) painted;
            const int diff = (int) frame[o] - painted;
            e += diff * diff;
        }
    }
    const long total = group_sum(sums, e);
    if (lid == 0) {
        for (int c = 0; c < 3; c++) {
            packet[3 * s + c] = dc_codes[3 * row + c];
        }
        for (int t = 0; t < stages; t++) {
            packet[3 * sent + t * sent + s] = ids[t * ids_stride + row];
        }
        packet[(3 + stages) * sent + s] = (int) total;
    }
}

/*
 * The same three kernels for CPU devices (PoCL), one work-item per patch: plain loops, no local memory and no
 * barriers, which a CPU runs far faster than a work-group reduction (31 ms against ~3 ms for patch_measure at
 * 1920x1088 on this project's 2-core machine). Same formulas, same results.
 */
__kernel void patch_measure_serial(__global const uchar *frame, __global const uchar *reference, const int width,
                                   const int height, const int patch, const int columns, const int patches,
                                   __global int *se, __global char *cells) {
    const int i = get_global_id(0);
    if (i >= patches) {
        return;
    }
    const int y0 = (i / columns) * patch;
    const int x0 = (i % columns) * patch;
    const int h = patch / 2; /* `half` is a type in OpenCL C */
    const int cell_area = h * h;
    long e = 0;
    for (int q = 0; q < 4; q++) {
        const int cy = y0 + (q / 2) * h;
        const int cx = x0 + (q % 2) * h;
        int s0 = 0, s1 = 0, s2 = 0;
        for (int dy = 0; dy < h; dy++) {
            const int y = cy + dy;
            for (int dx = 0; dx < h; dx++) {
                const int x = cx + dx;
                const int o = pixel_offset(y, x, width, height);
                const int r = frame[o], g = frame[o + 1], b = frame[o + 2];
                s0 += r;
                s1 += g;
                s2 += b;
                if (y < height && x < width) {
                    const int d0 = r - reference[o], d1 = g - reference[o + 1], d2 = b - reference[o + 2];
                    e += d0 * d0 + d1 * d1 + d2 * d2;
                }
            }
        }
        cells[(long) i * CELLS + 3 * q] = (char) ((s0 + cell_area / 2) / cell_area - 128);
        cells[(long) i * CELLS + 3 * q + 1] = (char) ((s1 + cell_area / 2) / cell_area - 128);
        cells[(long) i * CELLS + 3 * q + 2] = (char) ((s2 + cell_area / 2) / cell_area - 128);
    }
    se[i] = (int) e;
}

__kernel void patchify_rows_serial(__global const uchar *frame, const int width, const int height, const int patch,
                                   const int columns, const int dc_bits, const int rows, __global const int *searched,
                                   __global int *dc_codes, __global short *residuals) {
    const int r = get_global_id(0);
    if (r >= rows) {
        return;
    }
    const int i = searched[r];
    const int y0 = (i / columns) * patch;
    const int x0 = (i % columns) * patch;
    const int area = patch * patch;
    int s0 = 0, s1 = 0, s2 = 0;
    for (int p = 0; p < area; p++) {
        const int o = pixel_offset(y0 + p / patch, x0 + p % patch, width, height);
        s0 += frame[o];
        s1 += frame[o + 1];
        s2 += frame[o + 2];
    }
    const int shift = 8 - dc_bits;
    const int c0 = ((s0 + area / 2) / area) >> shift;
    const int c1 = ((s1 + area / 2) / area) >> shift;
    const int c2 = ((s2 + area / 2) / area) >> shift;
    dc_codes[3 * r] = c0;
    dc_codes[3 * r + 1] = c1;
    dc_codes[3 * r + 2] = c2;
    const int v0 = dc_value(c0, dc_bits), v1 = dc_value(c1, dc_bits), v2 = dc_value(c2, dc_bits);
    __global short *out = residuals + (long) r * area * 3;
    for (int p = 0; p < area; p++) {
        const int o = pixel_offset(y0 + p / patch, x0 + p % patch, width, height);
        out[3 * p] = (short) (frame[o] - v0);
        out[3 * p + 1] = (short) (frame[o + 1] - v1);
        out[3 * p + 2] = (short) (frame[o + 2] - v2);
    }
}

__kernel void repaint_serial(__global const uchar *frame, __global uchar *reference, const int width, const int height,
                             const int patch, const int columns, const int dc_bits, __global const int *searched,
                             __global const int *sent_rows, const int sent, __global const int *dc_codes,
                             __global const int *ids, const int ids_stride, __global const char *codebooks,
                             __global const int *offsets, __global const int *shifts, const int stages,
                             __global int *packet) {
    const int s = get_global_id(0);
    if (s >= sent) {
        return;
    }
    const int row = sent_rows[s];
    const int i = searched[row];
    const int d = patch * patch * 3;
    const int y0 = (i / columns) * patch;
    const int x0 = (i % columns) * patch;
    long e = 0;
    for (int k = 0; k < d; k++) {
        const int pixel = k / 3;
        const int y = y0 + pixel / patch;
        const int x = x0 + pixel % patch;
        if (y < height && x < width) {
            int value = dc_value(dc_codes[3 * row + k % 3], dc_bits);
            for (int t = 0; t < stages; t++) {
                value += codebooks[offsets[t] + (long) ids[t * ids_stride + row] * d + k] << shifts[t];
            }
            const int o = (y * width + x) * 3 + k % 3;
            const int painted = clamp(value, 0, 255);
            reference[o] = (uchar) painted;
            const int diff = (int) frame[o] - painted;
            e += diff * diff;
        }
    }
    for (int c = 0; c < 3; c++) {
        packet[3 * s + c] = dc_codes[3 * row + c];
    }
    for (int t = 0; t < stages; t++) {
        packet[3 * sent + t * sent + s] = ids[t * ids_stride + row];
    }
    packet[(3 + stages) * sent + s] = (int) e;
}
