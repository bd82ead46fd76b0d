package dev.weir.codec.text;

import dev.weir.codec.MediaFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** BPE ids equal OpenAI's tiktoken (reference counts and hashes from tiktoken 0.14's encode_ordinary). */
class TextTokenizerTest {

    @ParameterizedTest
    @CsvSource({
            "CL100K_BASE, 409648, 2db4b119c3ebc784db06a79a2a67af97a0e43728668357ac176bca684cbb918c",
            "O200K_BASE, 405835, 479375e9d0859cf28935c3f1a8c222f9b5fb5e55177eb2e224aacae6d93c3bdd"})
    void idsOfTheWholeJargonFileEqualTiktokens(BpeEncoding encoding, int count, String sha256) {
        // given the 1.6 MB Jargon File of the shared data set (its README gives tiktoken's count and id hash)
        Path jargon = TextSamples.shared("jargon.txt");
        assumeTrue(jargon != null, "../shared/data/text/jargon.txt is not beside the repository");

        // when it is encoded as one string
        int[] ids = TextTokenizer.of(encoding).encode(TextSamples.read(jargon));

        // then the ids are tiktoken's, one for one
        assertEquals(count, ids.length);
        assertEquals(sha256, TextSamples.idHash(ids));
    }

    @ParameterizedTest
    @CsvSource({
            "samples/text/jargon-excerpt.txt, CL100K_BASE, 1155, 8c0f4a97fcdc89cc60ff6504ceda7d05867c03e094bc165037f15704ccf67c95",
            "samples/text/jargon-excerpt.txt, O200K_BASE, 1142, 665c31a9fd4bd7167a54bba059d7e0971f782964d2d004ed0d78f1b9015a9786",
            "samples/text/dpkg-excerpt.log, CL100K_BASE, 4068, 9f91a66a81c2e1ac7c90c43d9e39871b4c36c9e1c47f98bbd0667d718b155328",
            "samples/text/dpkg-excerpt.log, O200K_BASE, 4048, 96bc9c10c6790c0938e3801d43bb8669b59533a9757e843b5b704de32e6a583a"})
    void idsOfTheBundledExcerptsArePinned(String file, BpeEncoding encoding, int count, String sha256) {
        // given a bundled excerpt (pinned from the same tokenizer that matches tiktoken on the whole file)
        String text = TextSamples.read(Path.of(file));

        // when it is encoded as one string
        int[] ids = TextTokenizer.of(encoding).encode(text);

        // then count and id hash are the pinned ones, and the ids decode back to the exact bytes
        assertEquals(count, ids.length);
        assertEquals(sha256, TextSamples.idHash(ids));
        assertArrayEquals(text.getBytes(StandardCharsets.UTF_8),
                TextTokenizer.of(encoding).decodeBytes(ids, 0, ids.length));
    }

    @Test
    void specialTokenTextIsEncodedAsOrdinaryText() {
        // given text that spells a special token
        String text = "<|endoftext|>";

        // when both encodings encode it
        int[] cl100k = TextTokenizer.of(BpeEncoding.CL100K_BASE).encode(text);
        int[] o200k = TextTokenizer.of(BpeEncoding.O200K_BASE).encode(text);

        // then it is seven ordinary tokens (tiktoken's encode_ordinary), never the control token 100257 / 199999
        assertArrayEquals(new int[] {27, 91, 8862, 728, 428, 91, 29}, cl100k);
        assertArrayEquals(new int[] {27, 91, 419, 1440, 919, 91, 29}, o200k);
    }

    @ParameterizedTest
    @CsvSource({
            "CL100K_BASE, bpe-cl100k_base, 100256, 223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
            "O200K_BASE, bpe-o200k_base, 199998, 446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d"})
    void refNamesTheVocabularyByTiktokensHash(BpeEncoding encoding, String id, int ranks, String sha256) {
        // given a tokenizer
        TextTokenizer tokenizer = TextTokenizer.of(encoding);

        // then its ref carries tiktoken's expected_hash of the vocabulary file and the rank count
        assertEquals(id, tokenizer.ref().id());
        assertEquals(sha256, tokenizer.ref().codebookHash());
        assertEquals("1", tokenizer.ref().version());
        assertEquals(ranks, tokenizer.vocabularySize());
    }

    @Test
    void decodingAnIdOutsideTheOrdinaryVocabularyIsRefused() {
        // given the id of cl100k's <|endoftext|> control token
        int[] ids = {9906, 100257};

        // when decoded
        MediaFormatException e = assertThrows(MediaFormatException.class,
                () -> TextTokenizer.of(BpeEncoding.CL100K_BASE).decodeBytes(ids, 0, 2));

        // then the error names the id and the valid range
        assertTrue(e.getMessage().contains("100257") && e.getMessage().contains("0..100255"), e.getMessage());
    }

    @Test
    void encodingNamesParseCaseInsensitively() {
        assertEquals(BpeEncoding.O200K_BASE, BpeEncoding.parse("O200K_base"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BpeEncoding.parse("p50k_base"));
        assertTrue(e.getMessage().contains("cl100k_base, o200k_base"), e.getMessage());
    }
}
