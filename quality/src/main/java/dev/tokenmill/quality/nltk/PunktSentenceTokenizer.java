package dev.tokenmill.quality.nltk;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NLTK's {@code PunktSentenceTokenizer} (Kiss &amp; Strunk 2006, nltk/tokenize/punkt.py as of NLTK 3.8) with given
 * {@link PunktParameters}: candidate ends ({@code . ? !} followed by punctuation or by whitespace and a token), a
 * decision per candidate from the words around it (first pass: abbreviation or not; second pass: collocations,
 * the orthographic heuristic, frequent sentence starters, initials and numbers), then NLTK's realignment of closing
 * quotes and brackets onto the sentence before. The regular expressions keep Python's {@code str} semantics (see
 * {@link PyChars}). Verified sentence for sentence against Debian's python3-nltk with the same parameters
 * ({@code PunktReferenceTest}).
 */
public final class PunktSentenceTokenizer {
    private static final String S = PyChars.SPACE_CLASS;
    private static final String NOT_S = "[^" + S.substring(1);
    private static final String WORD = PyChars.WORD_CLASS;
    /** Python's {@code [^\W\d]}: a word character that is not a decimal digit. */
    private static final String ALPHA = "(?:(?!\\p{Nd})" + WORD + ")";

    private static final String NON_WORD = "(?:[)\";}\\]*:@'({\\[?!])";
    private static final String MULTI_CHAR = "(?:-{2,}|\\.{2,}|(?:\\." + S + "){2,}\\.)";
    private static final String WORD_START = "[^(\"`{\\[:;&#*@)}\\]\\-,]";
    private static final Pattern WORD_TOKENS = Pattern.compile(
            MULTI_CHAR + "|(?=" + WORD_START + ")" + NOT_S + "+?(?=" + S + "|$|" + NON_WORD + "|" + MULTI_CHAR
                    + "|,(?=$|" + S + "|" + NON_WORD + "|" + MULTI_CHAR + "))|" + NOT_S,
            Pattern.UNIX_LINES);
    private static final Pattern PERIOD_CONTEXT = Pattern.compile(
            "[.?!](?=(?<afterTok>" + NON_WORD + "|" + S + "+(?<nextTok>" + NOT_S + "+)))", Pattern.UNIX_LINES);
    private static final Pattern BOUNDARY_REALIGNMENT =
            Pattern.compile("[\"')\\]}]+?(?:" + S + "+|(?=--)|$)", Pattern.UNIX_LINES | Pattern.MULTILINE);
    private static final Pattern NUMERIC = Pattern.compile("^-?[.,]?\\p{Nd}[\\p{Nd},.-]*\\.?$", Pattern.UNIX_LINES);
    private static final Pattern ELLIPSIS = Pattern.compile("\\.\\.+$", Pattern.UNIX_LINES);
    private static final Pattern INITIAL = Pattern.compile(ALPHA + "\\.$", Pattern.UNIX_LINES);

    private final PunktParameters params;

    public PunktSentenceTokenizer(PunktParameters params) {
        this.params = params;
    }

    /** The tokenizer with the shipped English parameters. */
    public static PunktSentenceTokenizer english() {
        return new PunktSentenceTokenizer(PunktParameters.english());
    }

    /** The sentences of {@code text}, as {@code tokenize(text)} returns them (realigned boundaries). */
    public List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        for (int[] span : spans(text)) {
            out.add(slice(text, span));
        }
        return out;
    }

    /** Start and end (UTF-16 offsets) of each sentence: NLTK's {@code span_tokenize}. */
    public List<int[]> spans(String text) {
        List<int[]> slices = slices(text);
        List<int[]> out = new ArrayList<>();
        int realign = 0;
        for (int i = 0; i < slices.size(); i++) {
            int[] first = {slices.get(i)[0] + realign, slices.get(i)[1]};
            if (i + 1 == slices.size()) {
                if (first[0] < first[1]) {
                    out.add(first);
                }
                continue;
            }
            int[] second = slices.get(i + 1);
            int regionFrom = Math.min(Math.max(second[0], 0), text.length());
            int regionTo = Math.min(Math.max(second[1], regionFrom), text.length());
            // the realignment pattern starts with a closing mark: test that char before building a matcher
            Matcher m = regionFrom < regionTo && "\"')]}".indexOf(text.charAt(regionFrom)) >= 0
                    ? BOUNDARY_REALIGNMENT.matcher(text).region(regionFrom, regionTo)
                    : null; // Python matches text[slice]
            if (m != null && m.lookingAt()) {
                out.add(new int[] {
                    first[0], second[0] + PyChars.rstrip(m.group()).length()
                });
                realign = m.end() - regionFrom;
            } else {
                realign = 0;
                if (first[0] < first[1]) {
                    out.add(first);
                }
            }
        }
        return out;
    }

    /** Python's {@code text[start:stop]}: empty when stop is before start. */
    private static String slice(String text, int[] s) {
        int from = Math.min(Math.max(s[0], 0), text.length());
        int to = Math.min(Math.max(s[1], from), text.length());
        return text.substring(from, to);
    }

    private List<int[]> slices(String text) {
        List<int[]> out = new ArrayList<>();
        int lastBreak = 0;
        for (Candidate c : candidates(text)) {
            if (containsSentenceBreak(c.context)) {
                out.add(new int[] {lastBreak, c.end});
                lastBreak = c.nextTokenStart >= 0 ? c.nextTokenStart : c.end;
            }
        }
        out.add(new int[] {lastBreak, PyChars.rstrip(text).length()});
        return out;
    }

    /** A possible sentence end: where its match ends, where the next token starts (or -1), and the words around it. */
    private record Candidate(int end, int nextTokenStart, String context) {}

    private static List<Candidate> candidates(String text) {
        List<Candidate> out = new ArrayList<>();
        Matcher m = PERIOD_CONTEXT.matcher(text);
        int prevStart = 0;
        int prevStop = 0;
        boolean havePrevious = false;
        int prevEnd = 0;
        int prevNext = -1;
        String prevMatch = "";
        int n = text.length();
        for (int at = nextEndMark(text, 0); at < n; at = nextEndMark(text, at + 1)) {
            // find() tried at every char; the pattern starts with one of .?! so only those positions can match
            if (!m.region(at, n).lookingAt()) {
                continue;
            }
            int afterLastSpace = lastAsciiWhitespace(text, prevStop, m.start());
            afterLastSpace = afterLastSpace != 0 ? afterLastSpace + prevStop + 1 : prevStart;
            if (havePrevious && prevStop <= afterLastSpace) {
                out.add(new Candidate(prevEnd, prevNext, slice(text, new int[] {prevStart, prevStop}) + prevMatch));
            }
            havePrevious = true;
            prevEnd = m.end();
            prevNext = m.start("nextTok");
            prevMatch = m.group() + m.group("afterTok");
            prevStart = afterLastSpace;
            prevStop = m.start();
        }
        if (havePrevious) {
            out.add(new Candidate(prevEnd, prevNext, slice(text, new int[] {prevStart, prevStop}) + prevMatch));
        }
        return out;
    }

    private static int nextEndMark(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.' || c == '?' || c == '!') {
                return i;
            }
        }
        return text.length();
    }

    /**
     * In {@code text[from, to)}: the last index, counted from {@code from}, of an ASCII whitespace character
     * ({@code string.whitespace}), or 0 when there is none (NLTK's {@code rfind} result, 0 included, as it uses it).
     */
    private static int lastAsciiWhitespace(String text, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            char c = text.charAt(i);
            if (c == ' ' || (c >= 0x09 && c <= 0x0d)) {
                return i - from;
            }
        }
        return 0;
    }

    /** Whether some token but the last of {@code text} ends a sentence after both annotation passes. */
    private boolean containsSentenceBreak(String text) {
        List<Token> tokens = words(text);
        for (int i = 0; i + 1 < tokens.size(); i++) {
            Token t = tokens.get(i);
            firstPass(t);
            firstPass(tokens.get(i + 1)); // the second pass reads the next token's first-pass annotation
            secondPass(t, tokens.get(i + 1));
            if (t.sentbreak) {
                return true;
            }
        }
        return false;
    }

    /** Punkt's word tokens, line by line ({@code _tokenize_words}). */
    static List<Token> words(String text) {
        List<Token> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (PyChars.strip(line).isEmpty()) {
                continue;
            }
            Matcher m = WORD_TOKENS.matcher(line);
            while (m.find()) {
                out.add(new Token(m.group()));
            }
        }
        return out;
    }

    /** Whether {@code NUMERIC} can match: it needs a digit among the first three chars ({@code -?[.,]?\\d}). */
    private static boolean mayBeNumeric(String s) {
        for (int i = 0; i < Math.min(3, s.length()); i++) {
            char c = s.charAt(i);
            if (Character.isDigit(c) || Character.isSurrogate(c)) {
                return true;
            }
            if (c != '-' && c != '.' && c != ',') {
                return false;
            }
        }
        return false;
    }

    /** A token with its type (lower case, numbers as ##number##) and annotations. */
    static final class Token {
        final String tok;
        final String type;
        final boolean periodFinal;
        boolean sentbreak;
        boolean abbr;
        boolean ellipsis;
        boolean annotated;

        Token(String tok) {
            this.tok = tok;
            String lower = tok.toLowerCase(Locale.ROOT);
            this.type = mayBeNumeric(lower) && NUMERIC.matcher(lower).find() ? "##number##" : lower;
            this.periodFinal = tok.endsWith(".");
        }

        String typeNoPeriod() {
            return type.codePointCount(0, type.length()) > 1 && type.endsWith(".")
                    ? type.substring(0, type.length() - 1)
                    : type;
        }

        String typeNoSentPeriod() {
            return sentbreak ? typeNoPeriod() : type;
        }

        boolean firstUpper() {
            return Character.isUpperCase(tok.codePointAt(0));
        }

        boolean firstLower() {
            return Character.isLowerCase(tok.codePointAt(0));
        }

        /** {@code \\.\\.+$}: two or more periods and nothing else (a token holds no newline). */
        boolean isEllipsis() {
            if (tok.length() < 2) {
                return false;
            }
            for (int i = 0; i < tok.length(); i++) {
                if (tok.charAt(i) != '.') {
                    return false;
                }
            }
            return true;
        }

        /** {@code [^\\W\\d]\\.$}: one word character that is not a decimal digit, then a period. */
        boolean isInitial() {
            if (!tok.endsWith(".") || tok.length() < 2) {
                return false;
            }
            int c = tok.codePointAt(0);
            return Character.charCount(c) + 1 == tok.length()
                    && INITIAL.matcher(tok).lookingAt();
        }
    }

    private void firstPass(Token t) {
        if (t.annotated) {
            return;
        }
        t.annotated = true;
        String tok = t.tok;
        if (tok.equals(".") || tok.equals("?") || tok.equals("!")) {
            t.sentbreak = true;
        } else if (t.isEllipsis()) {
            t.ellipsis = true;
        } else if (t.periodFinal && !tok.endsWith("..")) {
            String stem = tok.substring(0, tok.length() - 1).toLowerCase(Locale.ROOT);
            String lastPart = stem.substring(stem.lastIndexOf('-') + 1);
            if (params.abbrevTypes().contains(stem) || params.abbrevTypes().contains(lastPart)) {
                t.abbr = true;
            } else {
                t.sentbreak = true;
            }
        }
    }

    private void secondPass(Token first, Token next) {
        if (!first.periodFinal) {
            return;
        }
        String typ = first.typeNoPeriod();
        String nextTyp = next.typeNoSentPeriod();
        boolean initial = first.isInitial();
        if (params.collocations().contains(PunktParameters.pair(typ, nextTyp))) {
            first.sentbreak = false;
            first.abbr = true;
            return;
        }
        if ((first.abbr || first.ellipsis) && !initial) {
            Boolean starter = orthoHeuristic(next);
            if (Boolean.TRUE.equals(starter)) {
                first.sentbreak = true;
                return;
            }
            if (next.firstUpper() && params.sentStarters().contains(nextTyp)) {
                first.sentbreak = true;
                return;
            }
        }
        if (initial || typ.equals("##number##")) {
            Boolean starter = orthoHeuristic(next);
            if (Boolean.FALSE.equals(starter)) {
                first.sentbreak = false;
                first.abbr = true;
                return;
            }
            if (starter == null && initial && next.firstUpper() && (params.ortho(nextTyp) & PunktParameters.LC) == 0) {
                first.sentbreak = false;
                first.abbr = true;
            }
        }
    }

    /** True: the token starts a sentence; false: it does not; null: unknown. */
    private Boolean orthoHeuristic(Token t) {
        if (t.tok.length() == 1 && ";:,.!?".indexOf(t.tok.charAt(0)) >= 0) {
            return false;
        }
        int context = params.ortho(t.typeNoSentPeriod());
        if (t.firstUpper() && (context & PunktParameters.LC) != 0 && (context & PunktParameters.MID_UC) == 0) {
            return true;
        }
        if (t.firstLower() && ((context & PunktParameters.UC) != 0 || (context & PunktParameters.BEG_LC) == 0)) {
            return false;
        }
        return null;
    }
}
