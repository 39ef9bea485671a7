package dev.tokenmill.quality;

/**
 * Per-thread char buffers for the kernels that scan a String's chars as an array (clean, the normaliser, the
 * filters): a copy of the text, and an output buffer for a kernel that writes while it reads that copy. Both are
 * valid until the next call of the same kind on the same thread; the kernels run one after another on a thread,
 * so one pair serves them all.
 */
public final class TextScratch {
    private static final ThreadLocal<char[][]> INPUT = ThreadLocal.withInitial(() -> new char[][] {new char[4096]});
    private static final ThreadLocal<char[][]> OUTPUT = ThreadLocal.withInitial(() -> new char[][] {new char[4096]});

    private TextScratch() {}

    /** The chars of {@code s} at the start of this thread's input buffer. */
    public static char[] copy(String s) {
        char[] a = atLeast(INPUT, s.length());
        s.getChars(0, s.length(), a, 0);
        return a;
    }

    /** This thread's output buffer, at least {@code n} chars long (its content is left over from earlier use). */
    public static char[] output(int n) {
        return atLeast(OUTPUT, n);
    }

    private static char[] atLeast(ThreadLocal<char[][]> buffer, int n) {
        char[][] holder = buffer.get();
        if (holder[0].length < n) {
            holder[0] = new char[Math.max(n, holder[0].length * 2)];
        }
        return holder[0];
    }
}
