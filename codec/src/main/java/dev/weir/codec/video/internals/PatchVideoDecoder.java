package dev.weir.codec.video.internals;

import dev.weir.codec.MediaFormatException;
import dev.weir.codec.TokenPacket;
import dev.weir.codec.TokenizerRef;
import dev.weir.codec.video.RgbFrame;
import dev.weir.codec.video.VideoCodebook;
import dev.weir.codec.video.VideoDecoder;
import dev.weir.kernels.FrameGeometry;
import dev.weir.kernels.VideoKernels;

import java.util.Objects;

/** Paints the patches a packet carries over the held picture with the kernels' {@code reconstruct}. */
public final class PatchVideoDecoder implements VideoDecoder {

    private final VideoCodebook codebook;
    private final TokenizerRef tokenizer;
    private final PatchCanvas canvas;

    public PatchVideoDecoder(VideoCodebook codebook, VideoKernels kernels) {
        this.codebook = Objects.requireNonNull(codebook, "codebook");
        this.tokenizer = codebook.tokenizerRef();
        this.canvas = new PatchCanvas(codebook, Objects.requireNonNull(kernels, "kernels"), PatchCanvas.ROLE_DECODER);
    }

    @Override
    public TokenizerRef tokenizer() {
        return tokenizer;
    }

    @Override
    public VideoCodebook codebook() {
        return codebook;
    }

    @Override
    public RgbFrame decode(FrameGeometry g, TokenPacket packet) {
        Objects.requireNonNull(g, "geometry");
        Objects.requireNonNull(packet, "packet");
        if (g.patch() != codebook.patchSize()) {
            throw new MediaFormatException("packet geometry has patch " + g.patch() + " but the codebook "
                    + codebook.id() + " codes patches of " + codebook.patchSize());
        }
        if (packet.positionsTotal() != g.patches()) {
            throw new MediaFormatException("packet says " + packet.positionsTotal() + " positions but a "
                    + g.width() + "x" + g.height() + " frame has " + g.patches() + " patches of " + g.patch());
        }
        int stageCount = codebook.stages().size();
        if (packet.tokensPerPosition() != stageCount) {
            throw new MediaFormatException("packet carries " + packet.tokensPerPosition()
                    + " tokens per patch, the codebook has " + stageCount + " stages");
        }
        canvas.paint(g, packet.seq(), packet.positions(), packet.positionCount(), packet.tokens(), packet.keyframe());
        return canvas.picture();
    }

    @Override
    public byte[] snapshot() {
        return canvas.snapshot();
    }

    @Override
    public void restore(byte[] snapshot) {
        canvas.restore(snapshot);
    }
}
