package dev.weir.codec.text;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The offline evaluation on the bundled excerpts (one timed round: speed is measured by the CLI, not here). */
class TextEvaluationTest {

    @Test
    void theLogExcerptIsLosslessWithPinnedCounts() throws IOException {
        // when the log excerpt is evaluated line by line
        TextEvalReport r = TextEvaluation.run(TextSamples.DPKG_EXCERPT, TextEvaluation.MessageMode.LINES,
                BpeEncoding.CL100K_BASE, TextCompressionConfig.defaults(), 1);

        // then every line decoded exactly with tiktoken's ids, and the pinned counts
        assertTrue(r.lossless());
        assertTrue(r.idsMatchJtokkit());
        assertEquals(120, r.messages());
        assertEquals(8354, r.chars());
        assertEquals(3955, r.tokensFull());
        assertEquals(722, r.tokensEmitted());
        assertEquals(14, r.literals());
        assertEquals(6, r.cacheHits());
        assertEquals(100, r.templateHits());
        assertEquals(14, r.templates());
        // and the anchors: gzip and zstd (zstd-jni comes with kafka-clients) far below the raw bytes
        assertTrue(r.gzipBytes() > 0 && r.gzipBytes() < r.rawBytes() / 4, "gzip " + r.gzipBytes());
        assertTrue(r.zstdBytes() > 0 && r.zstdBytes() < r.rawBytes() / 4, "zstd " + r.zstdBytes());
        assertTrue(r.tokenBatchBytes() < r.plainBatchBytes() / 2, r.tokenBatchBytes() + " vs " + r.plainBatchBytes());
        assertTrue(r.mtokPerSec() > 0 && r.jtokkitMtokPerSec() > 0);
    }

    @Test
    void theWholeFileCanBeOneMessage() throws IOException {
        TextEvalReport r = TextEvaluation.run(TextSamples.JARGON_EXCERPT, TextEvaluation.MessageMode.FILE,
                BpeEncoding.O200K_BASE, TextCompressionConfig.defaults(), 1);
        assertEquals(1, r.messages());
        assertEquals(1142, r.tokensFull());
        assertEquals(1142, r.tokensEmitted());
        assertTrue(r.lossless());
    }

    @Test
    void aFileAboveTheMessageLimitIsStillOneMessageInFileMode() {
        // given a 6,397-byte file and a limit of 1 KiB per message
        TextCompressionConfig small = TextCompressionConfig.defaults().withMaxMessageBytes(1024);

        // when evaluated as one message, it is let through (the limit guards the topology, not this choice)
        TextEvalReport r = TextEvaluation.run("excerpt", TextSamples.read(TextSamples.JARGON_EXCERPT),
                TextEvaluation.MessageMode.FILE, BpeEncoding.CL100K_BASE, small, 1);
        assertEquals(1, r.messages());
        assertTrue(r.lossless());
    }

    @Test
    void theJsonHoldsEveryFieldTheIssueAsksFor() throws IOException {
        String json = TextEvaluation.run(TextSamples.JARGON_EXCERPT, TextEvaluation.MessageMode.LINES,
                BpeEncoding.CL100K_BASE, TextCompressionConfig.defaults(), 1).toJson();
        for (String field : new String[] {"chars", "messages", "encoding", "tokensFull", "tokensEmitted", "tokenRatio",
                "lossless", "templates", "cacheHits", "templateHits", "mtokPerSec", "jtokkitMtokPerSec", "gzipBytes",
                "zstdBytes", "tokenBatchBytes"}) {
            assertTrue(json.contains("\"" + field + "\":"), field + " missing in " + json);
        }
        assertTrue(json.startsWith("{\"input\":\"jargon-excerpt.txt\",\"message\":\"lines\",\"encoding\":\"cl100k_base\""),
                json);
        assertTrue(json.contains("\"lossless\":true"), json);
    }
}
