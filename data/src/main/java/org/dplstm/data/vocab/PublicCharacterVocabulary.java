package org.dplstm.data.vocab;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * A character vocabulary that depends on no data and covers every script: a fixed public set of
 * code points (printable ASCII, the Latin-1 supplement and Latin Extended-A/B, Greek, Cyrillic,
 * general punctuation), the redaction placeholders of version 1 as single tokens, and hashed buckets for every
 * other code point (CJK, Arabic, emoji, ...), so characters outside the set still get ids of
 * their own in most cases. Nothing is counted from the training text: it costs no privacy
 * (ARCHITECTURE §5). Ids: 0 padding, 1 unknown (multi-character tokens that are no placeholder),
 * 2 .. 2+F-1 the fixed set in code-point order, then the buckets.
 *
 * <p>The set is pinned by {@link #VERSION}, never derived from code that grows: a shipped encoder
 * and every saved model read ids by it. Placeholders of PII types added after version 1
 * ({@code [PERSON]}, {@code [ADDRESS]}, {@code [DATE]}) take the unknown id, as any other
 * multi-character token.
 */
public final class PublicCharacterVocabulary implements Vocabulary {

    /** The set's version; saved with a model so a later change of the set cannot alter its meaning. */
    public static final int VERSION = 1;
    /** Hash buckets for code points outside the fixed set (default). */
    public static final int DEFAULT_BUCKETS = 2048;

    private static final int[][] RANGES = {
        {0x20, 0x7E},     // printable ASCII
        {0xA0, 0x24F},    // Latin-1 supplement, Latin Extended-A and -B
        {0x370, 0x3FF},   // Greek
        {0x400, 0x4FF},   // Cyrillic
        {0x2010, 0x2027}, // dashes, quotes, bullets, ellipsis
    };

    /** The redaction placeholders of version 1, in its order. */
    private static final List<String> PLACEHOLDERS =
            List.of("[EMAIL]", "[PHONE]", "[CARD]", "[IBAN]", "[SSN]", "[IP]", "[URL]");

    private final Map<String, Integer> fixed = new HashMap<>();
    private final int buckets;

    public PublicCharacterVocabulary(int buckets) {
        if (buckets < 1) {
            throw new IllegalArgumentException("character hash buckets must be >= 1, was " + buckets);
        }
        this.buckets = buckets;
        for (int[] range : RANGES) {
            for (int codePoint = range[0]; codePoint <= range[1]; codePoint++) {
                fixed.put(new String(Character.toChars(codePoint)), 2 + fixed.size());
            }
        }
        for (String placeholder : PLACEHOLDERS) {
            fixed.put(placeholder, 2 + fixed.size());
        }
    }

    public int buckets() {
        return buckets;
    }

    /** The size of the fixed set (placeholders included). */
    public int fixedSize() {
        return fixed.size();
    }

    @Override
    public int size() {
        return 2 + fixed.size() + buckets;
    }

    @Override
    public int id(String token) {
        Integer id = fixed.get(token);
        if (id != null) {
            return id;
        }
        if (token.codePointCount(0, token.length()) != 1) {
            return UNKNOWN_ID;
        }
        long hash = Integer.toUnsignedLong(HashingVocabulary.fnv1a32(token.getBytes(StandardCharsets.UTF_8)));
        return 2 + fixed.size() + (int) (hash % buckets);
    }
}
