package dev.tokenmill.dedup.bench;

import dev.tokenmill.dedup.minhash.ShingleSet;
import dev.tokenmill.dedup.minhash.Shingler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A labelled near-duplicate benchmark made from real text. Each chosen passage (an "original") gets variants, each
 * made by one kind of edit at one rate: word edits (replace, delete, insert), typos, inserted boilerplate lines,
 * truncation, or moved sentences, at rates from 1 % to 50 %. Hard negatives are other passages of the same group
 * (book, speaker, session), which share vocabulary and style but not text. Every labelled pair carries the exact
 * Jaccard of its word-shingle sets, so "is a duplicate" means "exact Jaccard ≥ threshold", not "was edited".
 * Seeded: the same sources, sizes and seed give the same corpus.
 */
public final class NearDuplicateCorpus {
    public static final double[] RATES = {0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5};
    public static final String[] EDITS = {"word", "typo", "boilerplate", "truncate", "shuffle"};

    /** A source passage; {@code group} is what hard negatives share. */
    public record Source(String key, String group, String text) {}

    /** A document of the benchmark; {@code family} is the original's id (the original's own id for itself). */
    public record Doc(String id, String text, String family, String edit, double rate) {}

    /** A labelled pair: {@code variant} (original vs its variant) or {@code hard-negative}. */
    public record Pair(String a, String b, String kind, String edit, double rate, double jaccard) {}

    public record Corpus(List<Doc> docs, List<Pair> pairs) {}

    private static final String[] BOILERPLATE = {
        "Click here to subscribe to our newsletter and never miss an update",
        "Share this page on Facebook, Twitter and LinkedIn",
        "All rights reserved. Reproduction without permission is prohibited",
        "This site uses cookies to improve your experience; by continuing you accept them",
        "Related articles you might also like",
        "Posted in Uncategorized | Leave a comment",
        "Skip to main content",
        "Terms of use | Privacy policy | Contact us",
    };

    private NearDuplicateCorpus() {}

    /**
     * {@code originals} passages (drawn from sources of at least {@code minWords} words), {@code variantsPerOriginal}
     * variants each (edit kinds and rates cycled so every combination appears), one hard negative per original.
     */
    public static Corpus generate(
            List<Source> sources, int originals, int variantsPerOriginal, int minWords, long seed, Shingler shingler) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Source> usable = new ArrayList<>();
        Set<String> seenTexts = new HashSet<>();
        for (Source s : sources) {
            if (s.text().split("\\s+").length >= minWords && seenTexts.add(Shingler.normalise(s.text()))) {
                usable.add(s);
            }
        }
        Map<String, List<Source>> byGroup = new HashMap<>();
        for (Source s : usable) {
            byGroup.computeIfAbsent(s.group(), g -> new ArrayList<>()).add(s);
        }
        // originals: a seeded shuffle of the passages that have a sibling in their group
        List<Source> candidates = new ArrayList<>(
                usable.stream().filter(s -> byGroup.get(s.group()).size() > 1).toList());
        shuffle(candidates, random);
        if (candidates.size() < originals) {
            throw new IllegalArgumentException("only " + candidates.size() + " passages of ≥ " + minWords
                    + " words with a sibling in their group; asked for " + originals + " originals");
        }
        List<String> vocabulary = vocabulary(candidates.subList(0, originals));
        List<Doc> docs = new ArrayList<>();
        List<Pair> pairs = new ArrayList<>();
        Set<String> used = new HashSet<>();
        candidates.subList(0, originals).forEach(s -> used.add(s.key()));
        int combination = 0;
        for (int o = 0; o < originals; o++) {
            Source original = candidates.get(o);
            byte[] originalSet = set(shingler, original.text());
            docs.add(new Doc(original.key(), original.text(), original.key(), "original", 0));
            for (int v = 0; v < variantsPerOriginal; v++, combination++) {
                String edit = EDITS[combination % EDITS.length];
                double rate = RATES[(combination / EDITS.length) % RATES.length];
                String text = edit(original.text(), edit, rate, vocabulary, random);
                String id = original.key() + "~v" + v;
                docs.add(new Doc(id, text, original.key(), edit, rate));
                pairs.add(new Pair(
                        original.key(),
                        id,
                        "variant",
                        edit,
                        rate,
                        ShingleSet.jaccard(originalSet, set(shingler, text))));
            }
            // a hard negative: another passage of the same group, used once in the whole corpus
            List<Source> siblings = byGroup.get(original.group());
            for (int tries = 0; tries < siblings.size(); tries++) {
                Source other = siblings.get(random.nextInt(siblings.size()));
                if (!other.key().equals(original.key()) && used.add(other.key())) {
                    docs.add(new Doc(other.key(), other.text(), other.key(), "hard-negative", 0));
                    pairs.add(new Pair(
                            original.key(),
                            other.key(),
                            "hard-negative",
                            "none",
                            0,
                            ShingleSet.jaccard(originalSet, set(shingler, other.text()))));
                    break;
                }
            }
        }
        return new Corpus(docs, pairs);
    }

    static byte[] set(Shingler shingler, String text) {
        shingler.shingle(text);
        return ShingleSet.pack(shingler.hashes(), shingler.count());
    }

    /** One edit of {@code text} at {@code rate}. */
    public static String edit(String text, String kind, double rate, List<String> vocabulary, SplittableRandom random) {
        return switch (kind) {
            case "word" -> wordEdits(text, rate, vocabulary, random);
            case "typo" -> typos(text, rate, random);
            case "boilerplate" -> boilerplate(text, rate, random);
            case "truncate" -> truncate(text, rate);
            case "shuffle" -> moveSentences(text, rate, random);
            default -> throw new IllegalArgumentException("unknown edit " + kind);
        };
    }

    private static String wordEdits(String text, double rate, List<String> vocabulary, SplittableRandom random) {
        String[] words = text.split(" ");
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (String w : words) {
            if (random.nextDouble() < rate) {
                switch (random.nextInt(3)) {
                    case 0 -> append(sb, vocabulary.get(random.nextInt(vocabulary.size()))); // replace
                    case 1 -> {} // delete
                    default -> {
                        append(sb, w);
                        append(sb, vocabulary.get(random.nextInt(vocabulary.size()))); // insert
                    }
                }
            } else {
                append(sb, w);
            }
        }
        return sb.toString();
    }

    private static String typos(String text, double rate, SplittableRandom random) {
        String[] words = text.split(" ");
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (String w : words) {
            if (w.length() > 1 && random.nextDouble() < rate) {
                char[] c = w.toCharArray();
                int i = random.nextInt(c.length - 1);
                String typo = switch (random.nextInt(4)) {
                    case 0 -> {
                        char t = c[i];
                        c[i] = c[i + 1];
                        c[i + 1] = t;
                        yield new String(c);
                    } // swap
                    case 1 -> w.substring(0, i) + w.substring(i + 1); // drop
                    case 2 -> w.substring(0, i + 1) + w.charAt(i) + w.substring(i + 1); // double
                    default -> w.substring(0, i) + (char) ('a' + random.nextInt(26)) + w.substring(i + 1); // replace
                };
                append(sb, typo);
            } else {
                append(sb, w);
            }
        }
        return sb.toString();
    }

    /** Boilerplate lines adding about {@code rate} × the passage's word count, at random line breaks. */
    private static String boilerplate(String text, double rate, SplittableRandom random) {
        int words = text.split("\\s+").length;
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        int added = 0;
        while (added < rate * words) {
            String line = BOILERPLATE[random.nextInt(BOILERPLATE.length)];
            lines.add(random.nextInt(lines.size() + 1), line);
            added += line.split(" ").length;
        }
        return String.join("\n", lines);
    }

    /** The last {@code rate} of the words cut off. */
    private static String truncate(String text, double rate) {
        String[] words = text.split(" ");
        int keep = Math.max(1, (int) Math.round(words.length * (1 - rate)));
        return String.join(" ", java.util.Arrays.copyOf(words, keep));
    }

    /** About {@code rate} of the sentences moved to random places. */
    private static String moveSentences(String text, double rate, SplittableRandom random) {
        List<String> sentences = new ArrayList<>(List.of(text.split("(?<=[.!?])\\s+")));
        int moves = Math.max(1, (int) Math.round(sentences.size() * rate));
        for (int m = 0; m < moves && sentences.size() > 1; m++) {
            String s = sentences.remove(random.nextInt(sentences.size()));
            sentences.add(random.nextInt(sentences.size() + 1), s);
        }
        return String.join(" ", sentences);
    }

    private static void append(StringBuilder sb, String word) {
        if (sb.length() > 0) {
            sb.append(' ');
        }
        sb.append(word);
    }

    private static List<String> vocabulary(List<Source> sources) {
        Set<String> words = new java.util.TreeSet<>();
        for (Source s : sources) {
            for (String w : s.text().split("\\s+")) {
                if (w.chars().allMatch(Character::isLetterOrDigit) && w.length() > 1) {
                    words.add(w.toLowerCase(java.util.Locale.ROOT));
                }
            }
        }
        if (words.isEmpty()) {
            throw new IllegalArgumentException("the originals have no alphanumeric words to draw word edits from");
        }
        return new ArrayList<>(words);
    }

    private static <T> void shuffle(List<T> list, SplittableRandom random) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}
