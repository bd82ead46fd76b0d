package dev.weir.inspector.internals;

import dev.weir.avro.TextLayout;
import dev.weir.avro.TextLayoutKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TemplateBookTest {

    @Test
    void templatesAreLearnedFromLiteralsAndTheirVariablesFromTheMessagesThatUseThem() {
        TemplateBook book = new TemplateBook(8);

        // given a literal that teaches template 0, another that teaches 1, and a message of template 0 (age 1)
        // whose fourth word becomes a variable
        long taught = book.accept(0, literal(0), "status installed libfoo 1.2");
        book.accept(1, literal(1), "the quick brown fox");
        long used = book.accept(2, template(1, List.of(2)), "status installed libbar 1.2");

        // then the ids resolve and the template holds its last values, with the variable marked
        assertEquals(0, taught);
        assertEquals(0, used);
        TemplateBook.Template t = book.templates().getFirst();
        assertEquals(0, t.id());
        assertEquals(List.of(new TemplateBook.Word("status", false), new TemplateBook.Word(" installed", false),
                new TemplateBook.Word(" libbar", true), new TemplateBook.Word(" 1.2", false)), t.words());
        assertEquals(1, t.uses());
        assertEquals(0, t.learnedSeq());
        assertEquals(2, t.lastSeq());
        assertTrue(t.complete());
        assertEquals(2, book.templates().size());
    }

    @Test
    void aTemplateUsedBeforeAnyLearnedOneIsUnresolvedAndOneLearnedBeforeTheInspectorIsIncomplete() {
        TemplateBook book = new TemplateBook(8);
        assertEquals(-1, book.accept(0, template(0, List.of()), "a b c"));
        assertEquals(1, book.unresolved());

        book.accept(1, literal(5), "x y z");                   // template 5: so 4 was learned earlier
        long id = book.accept(2, template(1, List.of(0)), "p q");

        assertEquals(4, id);
        TemplateBook.Template old = book.templates().getFirst();
        assertFalse(old.complete());
        assertEquals(-1, old.learnedSeq());
    }

    @Test
    void theBookForgetsTheTemplatesUsedLeastRecently() {
        TemplateBook book = new TemplateBook(2);
        book.accept(0, literal(0), "a b");
        book.accept(1, literal(1), "c d");
        book.accept(2, template(1, List.of()), "a e");         // uses 0: 1 is now the least recent
        book.accept(3, literal(2), "f g");
        assertEquals(List.of(2L, 0L), book.templates().stream().map(TemplateBook.Template::id).toList());
    }

    private static TextLayout literal(long learned) {
        return TextLayout.newBuilder().setKind(TextLayoutKind.LITERAL).setRef(-1).setLearnedTemplate(learned).build();
    }

    private static TextLayout template(long age, List<Integer> newVariables) {
        return TextLayout.newBuilder().setKind(TextLayoutKind.TEMPLATE).setRef(age).setLearnedTemplate(-1).setNewVariables(newVariables).build();
    }
}
