package dev.weir.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** What {@code weir ... --help} prints reads as prose in an 80-column terminal. */
class HelpTextTest {

    @Test
    void noDescriptionIsAParagraphCutIntoLinesByHand() {
        // given every command and option of the command line
        List<String> cut = new ArrayList<>();
        for (CommandLine command : allCommands(WeirCommand.commandLine())) {
            String name = command.getCommandSpec().qualifiedName();
            check(name, command.getCommandSpec().usageMessage().description(), cut);
            for (OptionSpec option : command.getCommandSpec().options()) {
                check(name + " " + option.longestName(), option.description(), cut);
            }
        }

        // then each line but the last of a description ends a sentence or a list item: picocli wraps every line on
        // its own at 80 columns, so a paragraph split mid-sentence prints as ragged fragments
        assertEquals(List.of(), cut);
    }

    @Test
    void everyCommandSaysWhatItDoes() {
        // given every command; then each has a description, and its help starts with its usage line
        for (CommandLine command : allCommands(WeirCommand.commandLine())) {
            String name = command.getCommandSpec().qualifiedName();
            assertTrue(command.getCommandSpec().usageMessage().description().length > 0, name + " has no description");
            assertTrue(command.getUsageMessage().contains("Usage: " + name), command.getUsageMessage());
        }
    }

    private static void check(String where, String[] lines, List<String> cut) {
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i].strip();
            if (!(line.endsWith(".") || line.endsWith(":") || line.endsWith(";"))) {
                cut.add(where + ": \"" + line + "\"");
            }
        }
    }

    private static List<CommandLine> allCommands(CommandLine root) {
        List<CommandLine> all = new ArrayList<>(List.of(root));
        root.getSubcommands().values().stream().distinct().forEach(sub -> all.addAll(allCommands(sub)));
        return all;
    }
}
