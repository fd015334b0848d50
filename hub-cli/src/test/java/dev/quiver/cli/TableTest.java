package dev.quiver.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {
    private static String render(Table t) {
        StringWriter s = new StringWriter();
        t.print(new PrintWriter(s));
        return s.toString();
    }

    @Test
    void columnsArePaddedAndNumbersAlignRight() {
        Table t = new Table("SIZE", "LFS", "PATH").alignRight(0);
        t.row("1.0 KiB", "", "README.md");
        t.row("12.5 MiB", "LFS", "adapter_model.safetensors");
        assertThat(render(t)).isEqualTo("""
                    SIZE  LFS  PATH
                 1.0 KiB       README.md
                12.5 MiB  LFS  adapter_model.safetensors
                """);
    }

    @Test
    void controlCharactersFromTheHubNeverReachTheTerminal() {
        Table t = new Table("TITLE");
        t.row("evil\u001b[2Jtitle\nsecond line\u009b");
        assertThat(render(t)).contains("evil?[2Jtitle second line?").doesNotContain("\u001b");
    }

    @Test
    void aRowMustHaveOneCellPerColumn() {
        assertThatThrownBy(() -> new Table("A", "B").row("only one")).isInstanceOf(IllegalArgumentException.class);
    }
}
