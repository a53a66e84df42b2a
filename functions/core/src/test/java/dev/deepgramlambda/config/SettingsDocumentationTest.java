package dev.deepgramlambda.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table, the variable tables in {@code docs/} and the variables
 * {@code template.yaml} sets, against {@link Settings}: same names, defaults and ranges. A new
 * setting fails here until the README has its row.
 */
class SettingsDocumentationTest {
    /** Maven runs tests in the module's folder, functions/core. */
    private static final Path ROOT = Path.of("../..");

    /** One row of a markdown table whose header starts with {@code variable}. */
    private record Row(String file, String name, String defaultCell, String rangeCell) {}

    @Test
    void theReadmeTableListsEverySettingOnceWithItsDefaultAndRange() throws IOException {
        Map<String, Setting<?>> defined = definedSettings();
        List<Row> rows = variableRows(ROOT.resolve("README.md"));

        assertEquals(defined.keySet().stream().sorted().toList(), rows.stream().map(Row::name).sorted().toList(),
                "README's configuration table must list exactly the variables defined in Settings, each once");
        rows.forEach(row -> assertMatches(defined.get(row.name()), row));
    }

    @Test
    void everyVariableTableInDocsStatesTheDefinedDefaultAndRange() throws IOException {
        Map<String, Setting<?>> defined = definedSettings();
        List<Row> rows = new ArrayList<>();
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            for (Path doc : docs.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                rows.addAll(variableRows(doc));
            }
        }

        assertFalse(rows.isEmpty(), "docs/health.md and docs/key-rotation.md have variable tables");
        for (Row row : rows) {
            assertTrue(defined.containsKey(row.name()), row.file() + " documents " + row.name() + ", which Settings does not define");
            assertMatches(defined.get(row.name()), row);
        }
    }

    @Test
    void everyVariableTheTemplateSetsIsDefined() throws IOException {
        Map<String, Setting<?>> defined = definedSettings();
        List<String> set = templateVariables(ROOT.resolve("template.yaml"));

        assertFalse(set.isEmpty(), "template.yaml sets the functions' environment");
        set.forEach(name -> assertTrue(defined.containsKey(name), "template.yaml sets " + name + ", which Settings does not define"));
    }

    /** The keys of every {@code Variables:} block: the lines indented deeper than it, comments skipped. */
    private static List<String> templateVariables(Path template) throws IOException {
        List<String> names = new ArrayList<>();
        int blockIndent = -1;
        for (String line : Files.readAllLines(template)) {
            int indent = line.length() - line.stripLeading().length();
            String content = line.strip();
            if (content.equals("Variables:")) {
                blockIndent = indent;
            } else if (blockIndent >= 0 && !content.isEmpty() && !content.startsWith("#")) {
                if (indent <= blockIndent) {
                    blockIndent = -1;
                } else {
                    names.add(content.substring(0, content.indexOf(':')));
                }
            }
        }
        return names;
    }

    private static void assertMatches(Setting<?> setting, Row row) {
        String where = row.file() + ", " + row.name();
        String documentedDefault = setting.documentedDefault();
        boolean isValue = !documentedDefault.startsWith("(");
        String expectedStart = isValue ? "`" + documentedDefault + "`" : documentedDefault;
        assertTrue(row.defaultCell().startsWith(expectedStart),
                where + ": default column must start with " + expectedStart + ", got '" + row.defaultCell() + "'");
        if (row.rangeCell() != null) {
            String range = setting.documentedRange();
            String cell = row.rangeCell();
            // A remark may follow the range ("1–30000, below the timeout"), but not more digits.
            assertTrue(range.isEmpty() ? cell.isEmpty() : cell.equals(range) || cell.startsWith(range + ","),
                    where + ": range column must start with '" + setting.documentedRange() + "', got '" + row.rangeCell() + "'");
        }
    }

    /** Every public {@link Setting} constant of {@link Settings}, by name. */
    private static Map<String, Setting<?>> definedSettings() {
        Map<String, Setting<?>> settings = new LinkedHashMap<>();
        for (Field field : Settings.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == Setting.class) {
                try {
                    Setting<?> setting = (Setting<?>) field.get(null);
                    assertEquals(field.getName(), setting.name(), "a constant is named after its variable");
                    settings.put(setting.name(), setting);
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return settings;
    }

    /** Rows of tables whose header's first cell is {@code variable}; columns found by their header. */
    private static List<Row> variableRows(Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        List<String> header = null;
        for (String line : Files.readAllLines(file)) {
            if (!line.startsWith("|")) {
                header = null;
                continue;
            }
            List<String> cells = cells(line);
            if (header == null) {
                header = cells.get(0).equals("variable") ? cells : List.of();
            } else if (!header.isEmpty() && !cells.get(0).startsWith("---")) {
                String name = cells.get(0).replace("`", "");
                int range = header.indexOf("range");
                rows.add(new Row(file.getFileName().toString(), name, cells.get(header.indexOf("default")),
                        range < 0 ? null : cells.get(range).replace("`", "")));
            }
        }
        return rows;
    }

    private static List<String> cells(String line) {
        String inner = line.strip().replaceAll("^\\|", "").replaceAll("\\|$", "");
        return Arrays.stream(inner.split("\\|", -1)).map(String::strip).toList();
    }
}
