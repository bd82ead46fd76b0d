package dev.weir.topology;

import dev.weir.topology.HostileCorpus.Case;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The committed hostile-input corpus is whole: what corpus.tsv names is there, and it covers every reason. */
class HostileCorpusTest {

    @Test
    void everyCaseHasItsFileAndEveryFileItsCase() throws IOException {
        // given the committed corpus
        List<Case> corpus = HostileCorpus.load();

        // then case names are unique, and the files corpus.tsv names are exactly the files of the value folders
        assertEquals(corpus.size(), corpus.stream().map(Case::name).distinct().count());
        Set<String> named = corpus.stream().filter(c -> !c.tombstone() && !c.generated()).map(Case::value)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> present;
        try (Stream<Path> files = Files.walk(HostileCorpus.DIR)) {
            present = files.filter(Files::isRegularFile).map(p -> HostileCorpus.DIR.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !p.equals("README.md") && !p.equals("corpus.tsv") && !p.startsWith("schemas/"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(named, present);
        // and every generated case is one the corpus can make
        corpus.stream().filter(Case::generated).forEach(c -> assertTrue(HostileCorpus.generated(c.value().substring("generated:".length())).length > 0, c.name()));
    }

    @Test
    void theCorpusCoversEveryReasonAnInputCanHave() {
        // given the reasons of the corpus
        Set<String> covered = HostileCorpus.load().stream().map(Case::reason).collect(Collectors.toCollection(TreeSet::new));

        // then every reason but processing-error (a fault of Weir's, not of the input) has a case
        EnumSet<DeadLetterReason> reasons = EnumSet.allOf(DeadLetterReason.class);
        reasons.remove(DeadLetterReason.PROCESSING_ERROR);
        assertEquals(reasons.stream().map(DeadLetterReason::header).collect(Collectors.toCollection(TreeSet::new)), covered);
    }

    @Test
    void theCommittedBytesAreWhatTheGeneratorMakes() throws IOException {
        // given the corpus as HostileCorpus.main would write it now
        Map<String, byte[]> made = HostileCorpus.files();

        // then every committed file, corpus.tsv among them, holds exactly those bytes: an edit to a file or to its
        // recipe shows here until the corpus is regenerated (see hostile/README.md) and the change committed
        List<String> differing = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : made.entrySet()) {
            Path committed = HostileCorpus.DIR.resolve(f.getKey());
            if (!Files.exists(committed) || !Arrays.equals(Files.readAllBytes(committed), f.getValue())) {
                differing.add(f.getKey());
            }
        }
        assertEquals(List.of(), differing, "committed files that differ from what HostileCorpus makes");
    }

    /** Rewrites the corpus: {@code -Dtest=HostileCorpusTest -Dweir.hostile.regenerate=true} (see hostile/README.md). */
    @Test
    @EnabledIfSystemProperty(named = "weir.hostile.regenerate", matches = "true")
    void regenerate() throws IOException {
        HostileCorpus.main(new String[0]);
        everyCaseHasItsFileAndEveryFileItsCase();
    }
}
