package dev.tokenmill.quality.pii;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks personal data with typed placeholders: e-mail addresses, IPv4 and IPv6 addresses, phone numbers and
 * payment-card numbers. Precision first: each candidate a pattern finds is checked before it is masked —
 * card numbers must pass the Luhn check and carry a card-network prefix (so ISBN-13s, which start 978/979, never
 * do); IPv4 octets must be ≤ 255 and the address must not read as a version ("v1.2.3.4", "version 10.0.0.1");
 * IPv6 must parse as IPv6 (so "12:30:45" is a time, not an address); phones need a "+country" prefix or the
 * North American 3-3-4 grouping, so dates (2024-01-15, 15.01.2024) and ISBNs are left alone.
 * Thread-safe: patterns are immutable, state lives in the call.
 */
public final class PiiMasker {

    /** What is masked, with its placeholder. */
    public enum Type {
        EMAIL("<EMAIL>"),
        IPV4("<IPV4>"),
        IPV6("<IPV6>"),
        PHONE("<PHONE>"),
        CREDIT_CARD("<CREDIT_CARD>");

        public final String placeholder;

        Type(String placeholder) {
            this.placeholder = placeholder;
        }
    }

    private static final Pattern CARD = Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d-])");
    private static final Pattern EMAIL = Pattern.compile(
            "(?<![\\w.+%-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
                    + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\\.[A-Za-z]{2,24}(?![\\w-])");
    private static final Pattern IPV6 =
            Pattern.compile("(?<![\\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\\w:])");
    private static final Pattern IPV4 =
            Pattern.compile("(?<![\\w.])(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?![\\w]|\\.\\d)");
    private static final Pattern VERSION_CONTEXT =
            Pattern.compile("(?i)(?:\\bv|\\bver\\.?|version|release|build|rev\\.?)\\s*$");
    private static final Pattern PHONE =
            Pattern.compile("(?<![\\w+])(?:\\+\\d{1,3}[ .-]?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{1,4}(?:[ .-]?\\d{2,4}){1,4}"
                    + "|(?:\\(\\d{3}\\) ?|\\d{3}[-. ])\\d{3}[-. ]\\d{4})(?![\\w-])");
    private static final Pattern ISBN_CONTEXT = Pattern.compile("(?i)isbn(?:-1[03])?:?\\s*$");

    private final Set<Type> types;

    public PiiMasker(Set<Type> types) {
        this.types = types.isEmpty() ? EnumSet.noneOf(Type.class) : EnumSet.copyOf(types);
    }

    public static PiiMasker all() {
        return new PiiMasker(EnumSet.allOf(Type.class));
    }

    /** Masks {@code text}; {@code counts[type.ordinal()]} is increased per masked occurrence. */
    public String mask(String text, int[] counts) {
        String s = text;
        if (types.contains(Type.CREDIT_CARD)) {
            s = replace(s, CARD, Type.CREDIT_CARD, counts, (m, str) -> isCard(m.group()));
        }
        if (types.contains(Type.EMAIL) && s.indexOf('@') >= 0) {
            s = replace(s, EMAIL, Type.EMAIL, counts, (m, str) -> true);
        }
        if (types.contains(Type.IPV6) && s.indexOf(':') >= 0) {
            s = replace(s, IPV6, Type.IPV6, counts, (m, str) -> isIpv6(m.group()));
        }
        if (types.contains(Type.IPV4)) {
            s = replace(s, IPV4, Type.IPV4, counts, (m, str) -> isIpv4(m, str));
        }
        if (types.contains(Type.PHONE)) {
            s = replace(s, PHONE, Type.PHONE, counts, (m, str) -> isPhone(m, str));
        }
        return s;
    }

    private interface Check {
        boolean accept(Matcher m, String s);
    }

    private static String replace(String s, Pattern p, Type type, int[] counts, Check check) {
        Matcher m = p.matcher(s);
        StringBuilder out = null;
        int last = 0;
        while (m.find()) {
            if (!check.accept(m, s)) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(s.length());
            }
            out.append(s, last, m.start()).append(type.placeholder);
            last = m.end();
            counts[type.ordinal()]++;
        }
        return out == null ? s : out.append(s, last, s.length()).toString();
    }

    /** 13–19 digits, a card-network prefix, and a valid Luhn checksum. */
    static boolean isCard(String candidate) {
        String digits = candidate.replace(" ", "").replace("-", "");
        int n = digits.length();
        if (n < 13 || n > 19 || !cardPrefix(digits)) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < n; i++) {
            int d = digits.charAt(n - 1 - i) - '0';
            if (i % 2 == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    /** Visa 4, Mastercard 51–55 and 2221–2720, Amex 34/37, Discover 6011/644–649/65, Diners 300–305/36/38, JCB 35. */
    private static boolean cardPrefix(String d) {
        int two = Integer.parseInt(d.substring(0, 2));
        int three = Integer.parseInt(d.substring(0, 3));
        int four = Integer.parseInt(d.substring(0, 4));
        return d.charAt(0) == '4'
                || (two >= 51 && two <= 55)
                || (four >= 2221 && four <= 2720)
                || two == 34
                || two == 37
                || four == 6011
                || (three >= 644 && three <= 649)
                || two == 65
                || (three >= 300 && three <= 305)
                || two == 36
                || two == 38
                || two == 35;
    }

    static boolean isIpv6(String candidate) {
        int doubleColon = candidate.indexOf("::");
        if (doubleColon >= 0 && candidate.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        String[] groups = candidate.split(":", -1);
        List<String> nonEmpty = new ArrayList<>();
        boolean letter = false;
        for (String g : groups) {
            if (g.length() > 4) {
                return false;
            }
            if (!g.isEmpty()) {
                nonEmpty.add(g);
                letter |= g.chars().anyMatch(Character::isLetter);
            }
        }
        if (doubleColon < 0) {
            // full form: exactly 8 groups, none empty
            return groups.length == 8 && nonEmpty.size() == 8;
        }
        if (nonEmpty.size() > 7) {
            return false;
        }
        // "::" forms that are plainly not times or ratios: some hex letter, or a short loopback/any form
        return letter || candidate.equals("::1") || candidate.equals("::") || nonEmpty.size() >= 3;
    }

    private static boolean isIpv4(Matcher m, String s) {
        for (int g = 1; g <= 4; g++) {
            String octet = m.group(g);
            if (Integer.parseInt(octet) > 255 || (octet.length() > 1 && octet.charAt(0) == '0')) {
                return false;
            }
        }
        int from = Math.max(0, m.start() - 12);
        return !VERSION_CONTEXT.matcher(s.substring(from, m.start())).find();
    }

    private static boolean isPhone(Matcher m, String s) {
        String digits = m.group().replaceAll("\\D", "");
        if (digits.length() < 8 || digits.length() > 15) {
            return false;
        }
        int from = Math.max(0, m.start() - 10);
        return !ISBN_CONTEXT
                .matcher(s.substring(from, m.start()).toLowerCase(Locale.ROOT))
                .find();
    }
}
