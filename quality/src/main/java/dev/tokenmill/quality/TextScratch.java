package dev.tokenmill.quality;

/**
 * One per-thread char buffer for the kernels that scan a String's chars as an array (clean, the normaliser, the
 * filters): a copy of the text, valid until the next call on the same thread. The kernels run one after another on a
 * thread, so one buffer serves them all.
 */
public final class TextScratch {
    private static final ThreadLocal<char[][]> BUFFER = ThreadLocal.withInitial(() -> new char[][] {new char[4096]});

    private TextScratch() {
    }

    /** The chars of {@code s} at the start of this thread's buffer. */
    public static char[] copy(String s) {
        char[][] holder = BUFFER.get();
        if (holder[0].length < s.length()) {
            holder[0] = new char[Math.max(s.length(), holder[0].length * 2)];
        }
        s.getChars(0, s.length(), holder[0], 0);
        return holder[0];
    }
}
