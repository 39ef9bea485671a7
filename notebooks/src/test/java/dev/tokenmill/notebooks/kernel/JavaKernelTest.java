package dev.tokenmill.notebooks.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import jdk.jshell.EvalException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel's evaluation without Jupyter: what a cell shows, and how it fails. */
class JavaKernelTest {
    private static JavaKernel kernel;

    @BeforeAll
    static void start() {
        // surefire runs from a manifest-only jar: the real classpath is in this property
        kernel = new JavaKernel(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    }

    @AfterAll
    static void stop() {
        kernel.onShutdown(false);
    }

    @Test
    void declarationsShowNothingAndTheLastExpressionIsTheResult() throws Exception {
        assertNull(kernel.eval("int x = 3;\nint y = 4;"));
        DisplayData d = kernel.eval("var s = \"a\" + x;\nx * y");
        assertEquals("12", d.getData(MIMEType.TEXT_PLAIN));
        assertEquals("a3", kernel.eval("s").getData(MIMEType.TEXT_PLAIN));
        // a method, then a call on a later line of the same cell; an unterminated last statement is accepted
        assertEquals("9", kernel.eval("int sq(int v) { return v * v; }\nsq(x)").getData(MIMEType.TEXT_PLAIN));
        assertNull(kernel.eval("x = 5"), "an assignment shows nothing");
    }

    @Test
    void chartsRenderAsPngAndHtmlStaysHtml() throws Exception {
        DisplayData chart = kernel.eval("""
            var data = new org.jfree.data.category.DefaultCategoryDataset();
            data.addValue(3, "kept", "clean");
            org.jfree.chart.ChartFactory.createBarChart("t", "stage", "docs", data)
            """);
        byte[] png = Base64.getDecoder().decode((String) chart.getData(MIMEType.parse("image/png")));
        assertEquals((byte) 0x89, png[0]);
        assertEquals("PNG", new String(png, 1, 3));
        DisplayData html = kernel.eval("dev.tokenmill.notebooks.Nb.html(\"<b>hi</b>\")");
        assertEquals("<b>hi</b>", html.getData(MIMEType.TEXT_HTML));
    }

    @Test
    void compileErrorsAndExceptionsFailTheCell() {
        JavaKernel.CompileError c =
                assertThrows(JavaKernel.CompileError.class, () -> kernel.eval("int z = undefinedThing + 1;"));
        assertTrue(c.getMessage().contains("undefinedThing"), c.getMessage());
        EvalException e =
                assertThrows(EvalException.class, () -> kernel.eval("throw new IllegalStateException(\"boom\");"));
        assertEquals("java.lang.IllegalStateException", e.getExceptionClassName());
        assertTrue(String.join("\n", kernel.formatError(e)).contains("boom"));
        assertThrows(JavaKernel.CompileError.class, () -> kernel.eval("int q = (1 + "), "an unfinished statement");
        // the kernel is still usable after a failed cell
        assertTrue(kernel.isComplete("int a = 1;").equals("complete"));
    }

    @Test
    void kernelSpecNamesThisJavaTheFlagsAndTheConnectionFile(@TempDir Path dir) throws Exception {
        Path file = KernelSpec.install(new String[] {
            "kernel",
            "install",
            "--data-dir",
            dir.toString(),
            "--java",
            "/usr/bin/java",
            "--classpath",
            "a.jar:b.jar",
            "--home",
            "/opt/tokenmill",
            "--",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "-Xmx4g"
        });
        assertEquals(dir.resolve("kernels/tokenmill-java/kernel.json"), file);
        var spec = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        var argv = spec.getAsJsonArray("argv");
        assertEquals("/usr/bin/java", argv.get(0).getAsString());
        assertEquals("--add-opens=java.base/java.lang=ALL-UNNAMED", argv.get(1).getAsString());
        assertEquals("{connection_file}", argv.get(argv.size() - 1).getAsString());
        assertEquals(KernelMain.class.getName(), argv.get(argv.size() - 2).getAsString());
        assertEquals("java", spec.get("language").getAsString());
        assertEquals(
                "/opt/tokenmill",
                spec.getAsJsonObject("env").get("TOKENMILL_HOME").getAsString());
        assertThrows(IllegalArgumentException.class, () -> KernelSpec.install(new String[] {"install", "--bogus"}));
        assertThrows(
                IllegalArgumentException.class,
                () -> KernelSpec.install(new String[] {
                    "install", "--name", "a/b", "--java", "j", "--classpath", "c", "--data-dir", dir.toString()
                }));
    }

    @Test
    void sqlCellsBecomeACallOfNbSql() throws Exception {
        assertThrows(JavaKernel.CompileError.class, () -> kernel.eval("%%sql\n  \n"), "a %%sql cell with no query");
        assertEquals(
                "\"select 'a' as \\\"x\\\"\\nfrom t\\\\u\"", JavaKernel.javaString("select 'a' as \"x\"\nfrom t\\u"));
    }
}
