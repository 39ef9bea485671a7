package dev.tokenmill.jobs.lake.read;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The part of Spark SQL's filter language that {@code show --where} evaluates without Spark: comparisons of a column
 * with a literal ({@code = == != <> < <= > >=}), {@code [not] in (...)}, {@code is [not] null}, {@code and}, {@code or},
 * {@code not} and parentheses. Semantics follow Spark's: three-valued logic (a comparison with null is unknown and
 * the row is not kept), strings compared by their UTF-8 bytes, numbers by value. Anything else — functions, column
 * arithmetic, a string compared with a number — is {@link Unsupported}, and the caller reads with Spark instead.
 */
public final class RowFilter {
    /** The filter uses SQL this evaluator does not cover; {@code getMessage()} says what. */
    public static final class Unsupported extends RuntimeException {
        public Unsupported(String what) {
            super(what);
        }
    }

    /** How a column's values compare, from its Delta type. */
    public enum Kind {
        STRING,
        INTEGRAL,
        FRACTIONAL,
        DECIMAL,
        BOOLEAN,
        OTHER
    }

    private final Node root;
    private final List<String> columns;

    private RowFilter(Node root, List<String> columns) {
        this.root = root;
        this.columns = columns;
    }

    /** The table's column names this filter reads, as the table spells them. */
    public List<String> columns() {
        return columns;
    }

    /** True when Spark's filter would keep {@code row} (column name → value as {@link Values} converts it). */
    public boolean keeps(Map<String, Object> row) {
        return Boolean.TRUE.equals(root.eval(row));
    }

    /**
     * Parses {@code where} against a table's columns (name → kind, in table order). Unknown columns fail with
     * {@link IllegalArgumentException} naming them; SQL outside the subset throws {@link Unsupported}.
     */
    public static RowFilter parse(String where, Map<String, Kind> schema) {
        Parser p = new Parser(tokens(where), schema);
        Node n = p.or();
        if (p.pos < p.tokens.size()) {
            throw new Unsupported("'" + p.tokens.get(p.pos).text + "' after a complete condition");
        }
        return new RowFilter(n, List.copyOf(p.used));
    }

    // ---- evaluation ----

    private interface Node {
        /** TRUE, FALSE or null (unknown). */
        Boolean eval(Map<String, Object> row);
    }

    private record Column(String name, Kind kind) {}

    private record Compare(Column column, String op, Object literal) implements Node {
        @Override
        public Boolean eval(Map<String, Object> row) {
            Object v = row.get(column.name);
            if (v == null || literal == null) {
                return null;
            }
            int c = compare(column.kind, v, literal);
            return switch (op) {
                case "=" -> c == 0;
                case "!=" -> c != 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                case ">=" -> c >= 0;
                default -> throw new IllegalStateException(op);
            };
        }
    }

    private record In(Column column, List<Object> literals, boolean negated) implements Node {
        @Override
        public Boolean eval(Map<String, Object> row) {
            Object v = row.get(column.name);
            if (v == null) {
                return null;
            }
            boolean sawNull = false;
            for (Object l : literals) {
                if (l == null) {
                    sawNull = true;
                } else if (compare(column.kind, v, l) == 0) {
                    return !negated;
                }
            }
            return sawNull ? null : negated;
        }
    }

    private record IsNull(Column column, boolean negated) implements Node {
        @Override
        public Boolean eval(Map<String, Object> row) {
            return (row.get(column.name) == null) != negated;
        }
    }

    private record And(Node left, Node right) implements Node {
        @Override
        public Boolean eval(Map<String, Object> row) {
            Boolean l = left.eval(row);
            if (Boolean.FALSE.equals(l)) {
                return false;
            }
            Boolean r = right.eval(row);
            if (Boolean.FALSE.equals(r)) {
                return false;
            }
            return l == null || r == null ? null : true;
        }
    }

    private record Or(Node left, Node right) implements Node {
        @Override
        public Boolean eval(Map<String, Object> row) {
            Boolean l = left.eval(row);
            if (Boolean.TRUE.equals(l)) {
                return true;
            }
            Boolean r = right.eval(row);
            if (Boolean.TRUE.equals(r)) {
                return true;
            }
            return l == null || r == null ? null : false;
        }
    }

    private record Not(Node inner) implements Node {
        @Override
        public Boolean eval(Map<String, Object> row) {
            Boolean v = inner.eval(row);
            return v == null ? null : !v;
        }
    }

    /** A value of the column against a literal already converted to the column's kind (see {@link Parser#literal}). */
    static int compare(Kind kind, Object value, Object literal) {
        return switch (kind) {
            case STRING -> compareUtf8((String) value, (String) literal);
            case INTEGRAL ->
                literal instanceof BigDecimal d
                        ? new BigDecimal(((Number) value).longValue()).compareTo(d)
                        : Long.compare(((Number) value).longValue(), (Long) literal);
            case FRACTIONAL -> compareDoubles(((Number) value).doubleValue(), (Double) literal);
            case DECIMAL -> ((BigDecimal) value).compareTo((BigDecimal) literal);
            case BOOLEAN -> Boolean.compare((Boolean) value, (Boolean) literal);
            case OTHER -> throw new IllegalStateException("not comparable");
        };
    }

    /** Spark's order of doubles: NaN equals NaN and is above every other value; -0.0 equals 0.0. */
    private static int compareDoubles(double a, double b) {
        boolean an = Double.isNaN(a);
        boolean bn = Double.isNaN(b);
        if (an || bn) {
            return an && bn ? 0 : an ? 1 : -1;
        }
        return a < b ? -1 : a > b ? 1 : 0;
    }

    /** Spark's default (UTF8_BINARY) string order: unsigned UTF-8 bytes, which differs from Java's UTF-16 order. */
    public static int compareUtf8(String a, String b) {
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] y = b.getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.compareUnsigned(x, y);
    }

    // ---- parsing ----

    private record Token(String type, String text) {}

    private static List<Token> tokens(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'' || c == '"') {
                StringBuilder sb = new StringBuilder();
                int j = i + 1;
                while (j < s.length() && s.charAt(j) != c) {
                    if (s.charAt(j) == '\\') {
                        throw new Unsupported("escapes in string literals");
                    }
                    sb.append(s.charAt(j++));
                }
                if (j >= s.length()) {
                    throw new Unsupported("an unterminated string literal");
                }
                if (j + 1 < s.length() && (s.charAt(j + 1) == '\'' || s.charAt(j + 1) == '"')) {
                    throw new Unsupported("adjacent string literals");
                }
                out.add(new Token("str", sb.toString()));
                i = j + 1;
            } else if (c == '`') {
                int j = s.indexOf('`', i + 1);
                if (j < 0) {
                    throw new Unsupported("an unterminated `quoted` name");
                }
                out.add(new Token("name", s.substring(i + 1, j)));
                i = j + 1;
            } else if (Character.isDigit(c)
                    || ((c == '-' || c == '.')
                            && i + 1 < s.length()
                            && (Character.isDigit(s.charAt(i + 1)) || s.charAt(i + 1) == '.')
                            && numberMayStart(out))) {
                int j = i + 1;
                while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '.')) {
                    j++;
                }
                if (j < s.length() && (Character.isLetter(s.charAt(j)) || s.charAt(j) == '_')) {
                    throw new Unsupported("the literal '" + s.substring(i, Math.min(s.length(), j + 1))
                            + "…' (typed or exponent literals)");
                }
                out.add(new Token("num", s.substring(i, j)));
                i = j;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i + 1;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                    j++;
                }
                out.add(new Token("word", s.substring(i, j)));
                i = j;
            } else {
                String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                if (List.of("==", "!=", "<>", "<=", ">=").contains(two)) {
                    out.add(new Token("op", two.equals("==") ? "=" : two.equals("<>") ? "!=" : two));
                    i += 2;
                } else if ("=<>(),".indexOf(c) >= 0) {
                    out.add(new Token(c == '(' || c == ')' || c == ',' ? String.valueOf(c) : "op", String.valueOf(c)));
                    i++;
                } else {
                    throw new Unsupported("'" + c + "'");
                }
            }
        }
        return out;
    }

    /** A '-' starts a negative number only where a value is expected (after an operator, '(' or ','). */
    private static boolean numberMayStart(List<Token> before) {
        if (before.isEmpty()) {
            return true;
        }
        String t = before.get(before.size() - 1).type;
        return t.equals("op") || t.equals("(") || t.equals(",");
    }

    private static final class Parser {
        final List<Token> tokens;
        final Map<String, Kind> schema;
        final java.util.LinkedHashSet<String> used = new java.util.LinkedHashSet<>();
        int pos;

        Parser(List<Token> tokens, Map<String, Kind> schema) {
            this.tokens = tokens;
            this.schema = schema;
        }

        Token peek() {
            return pos < tokens.size() ? tokens.get(pos) : new Token("end", "end of the filter");
        }

        boolean keyword(String word) {
            Token t = peek();
            if (t.type.equals("word") && t.text.equalsIgnoreCase(word)) {
                pos++;
                return true;
            }
            return false;
        }

        Token expect(String type) {
            Token t = peek();
            if (!t.type.equals(type)) {
                throw new Unsupported("'" + t.text + "' where " + describe(type) + " was expected");
            }
            pos++;
            return t;
        }

        private static String describe(String type) {
            return switch (type) {
                case "(" -> "'('";
                case ")" -> "')'";
                case "op" -> "a comparison";
                default -> "a " + type;
            };
        }

        Node or() {
            Node n = and();
            while (keyword("or")) {
                n = new Or(n, and());
            }
            return n;
        }

        Node and() {
            Node n = not();
            while (keyword("and")) {
                n = new And(n, not());
            }
            return n;
        }

        Node not() {
            if (keyword("not")) {
                return new Not(not());
            }
            if (peek().type.equals("(")) {
                pos++;
                Node n = or();
                expect(")");
                return n;
            }
            return comparison();
        }

        Node comparison() {
            Token t = peek();
            if (!t.type.equals("name") && !t.type.equals("word")) {
                throw new Unsupported("a condition starting with '" + t.text + "' (only column-versus-literal tests)");
            }
            pos++;
            if (peek().type.equals("(")) {
                throw new Unsupported("the function " + t.text + "()");
            }
            Column column = column(t.text);
            if (keyword("is")) {
                boolean negated = keyword("not");
                if (!keyword("null")) {
                    throw new Unsupported("'is " + (negated ? "not " : "") + peek().text + "'");
                }
                return new IsNull(column, negated);
            }
            boolean negated = keyword("not");
            if (keyword("in")) {
                expect("(");
                List<Object> values = new ArrayList<>();
                do {
                    values.add(literal(column));
                } while (peek().type.equals(",") && ++pos > 0);
                expect(")");
                return new In(column, values, negated);
            }
            if (negated) {
                throw new Unsupported("'not " + peek().text + "'");
            }
            Token op = peek();
            if (!op.type.equals("op")) {
                throw new Unsupported(
                        "'" + op.text + "' after column " + column.name + " (only = != < <= > >= in, is null)");
            }
            pos++;
            Object literal = literal(column);
            return new Compare(column, op.text, literal);
        }

        Column column(String name) {
            String found = null;
            for (String c : schema.keySet()) {
                if (c.equalsIgnoreCase(name)) { // Spark resolves names case-insensitively by default
                    found = c;
                    break;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException(name);
            }
            Kind kind = schema.get(found);
            if (kind == Kind.OTHER) {
                throw new Unsupported("a test on column " + found + " (not a string, number or boolean)");
            }
            used.add(found);
            return new Column(found, kind);
        }

        /** The next literal, converted to the column's kind as Spark's type coercion would compare them. */
        Object literal(Column column) {
            Token t = peek();
            pos++;
            if (t.type.equals("word") && t.text.equalsIgnoreCase("null")) {
                return null;
            }
            switch (column.kind) {
                case STRING:
                    if (t.type.equals("str")) {
                        return t.text;
                    }
                    break;
                case INTEGRAL:
                    if (t.type.equals("num")) {
                        BigDecimal d = new BigDecimal(t.text);
                        try {
                            return d.longValueExact();
                        } catch (ArithmeticException fractionOrTooLarge) {
                            return d;
                        }
                    }
                    break;
                case FRACTIONAL:
                    if (t.type.equals("num")) {
                        return Double.parseDouble(t.text);
                    }
                    break;
                case DECIMAL:
                    if (t.type.equals("num")) {
                        return new BigDecimal(t.text);
                    }
                    break;
                case BOOLEAN:
                    if (t.type.equals("word")
                            && (t.text.equalsIgnoreCase("true") || t.text.equalsIgnoreCase("false"))) {
                        return Boolean.parseBoolean(t.text.toLowerCase(java.util.Locale.ROOT));
                    }
                    break;
                default:
                    break;
            }
            throw new Unsupported("comparing column " + column.name + " ("
                    + column.kind.name().toLowerCase() + ") with "
                    + (t.type.equals("str") ? "'" + t.text + "'" : t.text));
        }
    }
}
