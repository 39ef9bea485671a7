package dev.tokenmill.jobs.bench;

import dev.tokenmill.quality.lang.LanguageCodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.text.StringEscapeUtils;

/**
 * Language-labelled paragraphs from the Debian Administrator's Handbook (Debian package {@code debian-handbook}):
 * the same chapters translated into ~26 languages, one folder per locale. A paragraph that also appears in the
 * English edition was left untranslated, so it is dropped from the other languages (its label would be wrong).
 * Paragraphs are DocBook's {@code <div class="para">} blocks; code listings are outside them.
 */
final class HandbookParagraphs {
    private static final Pattern PARAGRAPH = Pattern.compile("<div class=\"para\"[^>]*>(.*?)</div>", Pattern.DOTALL);
    private static final Pattern TAG = Pattern.compile("<[^>]+>");

    private HandbookParagraphs() {}

    /** Up to {@code perLanguage} paragraphs of at least {@code minChars} per language, sampled with {@code seed}. */
    static Map<String, List<String>> load(Path htmlRoot, int perLanguage, int minChars, long seed) {
        Map<String, Set<String>> byLang = new TreeMap<>();
        try (Stream<Path> locales = Files.list(htmlRoot)) {
            for (Path dir : locales.filter(Files::isDirectory).sorted().toList()) {
                String locale = dir.getFileName().toString();
                if (!locale.matches("[a-z]{2}-[A-Z]{2}")) {
                    continue; // Common_Content and the like
                }
                Set<String> paragraphs = byLang.computeIfAbsent(LanguageCodes.normalise(locale), k -> new HashSet<>());
                try (Stream<Path> pages = Files.list(dir)) {
                    for (Path page : pages.filter(p -> p.toString().endsWith(".html"))
                            .sorted()
                            .toList()) {
                        paragraphs.addAll(paragraphs(Files.readString(page, StandardCharsets.UTF_8), minChars));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> english = byLang.getOrDefault("en", Set.of());
        Set<String> englishShingles = new HashSet<>();
        english.forEach(p -> englishShingles.addAll(shingles(p)));
        Map<String, List<String>> sample = new TreeMap<>();
        byLang.forEach((lang, paragraphs) -> {
            List<String> list = new ArrayList<>(paragraphs);
            if (!lang.equals("en")) {
                list.removeIf(p -> mostlyEnglish(p, englishShingles));
            }
            Collections.sort(list);
            Collections.shuffle(list, new Random(seed ^ lang.hashCode()));
            sample.put(lang, List.copyOf(list.subList(0, Math.min(perLanguage, list.size()))));
        });
        return sample;
    }

    /**
     * A paragraph left untranslated, or translated from an older English source, shares most of its word
     * 4-grams with the English edition; a real translation shares only names and commands.
     */
    static boolean mostlyEnglish(String paragraph, Set<String> englishShingles) {
        List<String> own = shingles(paragraph);
        if (own.isEmpty()) {
            return false;
        }
        long shared = own.stream().filter(englishShingles::contains).count();
        return shared * 2 >= own.size();
    }

    private static List<String> shingles(String paragraph) {
        String[] words = paragraph.toLowerCase(java.util.Locale.ROOT).split("\\s+");
        List<String> out = new ArrayList<>();
        for (int i = 0; i + 4 <= words.length; i++) {
            out.add(String.join(" ", java.util.Arrays.asList(words).subList(i, i + 4)));
        }
        return out;
    }

    static List<String> paragraphs(String html, int minChars) {
        List<String> out = new ArrayList<>();
        Matcher m = PARAGRAPH.matcher(html);
        while (m.find()) {
            String text = StringEscapeUtils.unescapeHtml4(
                            TAG.matcher(m.group(1)).replaceAll(" "))
                    .replaceAll("\\s+", " ")
                    .strip();
            if (text.length() >= minChars) {
                out.add(text);
            }
        }
        return out;
    }

    /** The first {@code chars} characters, cut back to a word boundary where there is one. */
    static String prefix(String text, int chars) {
        if (text.length() <= chars) {
            return text;
        }
        int cut = text.lastIndexOf(' ', chars);
        return text.substring(0, cut > chars / 2 ? cut : chars);
    }
}
