package org.dplstm.data.sanitize;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Street addresses, post-office boxes and postal codes. Every address holds a number, so the scan
 * starts at digit runs: a house number followed by capitalised name words and a street suffix
 * ("42 Elm Street", "1600 Pennsylvania Avenue NW", "100 5th Ave"), or by a French street type
 * ("12 rue de la Paix"); a house number after a German street name ("Hauptstraße 5", "Berliner
 * Straße 12a") or after a Spanish street type and name ("Calle Mayor 5", "Avenida de la
 * Constitución, nº 12"). The span goes on over a unit ("Apt 4B"), a city with a state and ZIP
 * code, a European postal code and city ("10115 Berlin"), or a UK postcode. Also "P.O. Box 123"
 * (Postfach, Apartado, BP), postal codes after a cue ("ZIP 94105", "PLZ 10115", "code postal
 * 75002") and UK postcodes ("SW1A 1AA") anywhere. Lower-case street names are not looked for.
 */
final class AddressFinder implements SpanFinder {
    private static final int MAX_NAME_WORDS = 5;
    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
    private static final Pattern BOX_BEFORE = Pattern.compile(
            "(?:\\bp\\. ?o\\. ?box|\\bpo ?box|\\bpost office box|\\bpostfach|\\bapartado(?: de correos)?|\\bb\\.? ?p\\.?"
                    + "|\\bbo[iî]te postale) ?$", FLAGS);
    private static final Pattern POSTAL_CUE_BEFORE = Pattern.compile(
            "(?:\\bzip(?: ?code)?|\\bpostal ?code|\\bpost ?code|\\bplz|\\bcode postal|\\bc[oó]digo postal|\\bc\\.p\\.)"
                    + " ?:? ?$", FLAGS);
    private static final Pattern UK_POSTCODE = Pattern.compile("(?<![\\w-])[A-Z]{1,2}\\d[A-Z\\d]? \\d[A-Z]{2}(?![\\w-])");
    /** Words right before an address that say it is one ("lives at", "ship to", "Anschrift", "domicilio"). */
    private static final List<String> ADDRESS_CUES = List.of("at", "to", "is", "from", "address", "adresse", "anschrift",
            "wohnhaft", "nach", "en", "à", "dirección", "direccion", "domicilio");
    /** Looking back this far for a box word or a postal-code cue. */
    private static final int CUE_WINDOW = 24;

    @Override
    public void find(String text, List<PiiSpan> out) {
        if (!CharClasses.hasDigit(text)) {
            return;
        }
        int length = text.length();
        int i = 0;
        while (i < length) {
            if (!CharClasses.isDigit(text.charAt(i)) || (i > 0 && CharClasses.isWordChar(text.charAt(i - 1)))) {
                i++;
                continue;
            }
            int numberEnd = houseNumberEnd(text, i);
            int start = -1;
            int end = -1;
            boolean certain = true;
            if (numberEnd > 0) {
                Street street = streetAfterNumber(text, numberEnd);
                if (street != null) {
                    start = i;
                    end = street.end();
                    certain = street.certain() || hasAddressCueBefore(text, i);
                } else {
                    start = streetBeforeNumber(text, i);
                    end = start >= 0 ? numberEnd : -1;
                }
            }
            if (start < 0) {
                int digitsEnd = CharClasses.digitsEnd(text, i);
                start = boxOrPostalCodeStart(text, i, digitsEnd);
                end = digitsEnd;
            }
            int extended = start >= 0 ? continuation(text, end, certain) : -1;
            if (extended > 0) {
                out.add(new PiiSpan(unitBefore(text, start), extended, PiiType.ADDRESS.name()));
                i = extended;
            } else {
                i = CharClasses.digitsEnd(text, i);
            }
        }
        findUkPostcodes(text, out);
    }

    /** "SW1A 1AA" anywhere: tried only where a digit follows a capital (the pattern's look-behind is dear). */
    private static void findUkPostcodes(String text, List<PiiSpan> out) {
        Matcher postcode = UK_POSTCODE.matcher(text).useTransparentBounds(true);
        int length = text.length();
        for (int i = 1; i < length; i++) {
            if (!CharClasses.isDigit(text.charAt(i)) || !isCapital(text.charAt(i - 1))) {
                continue;
            }
            int start = i >= 2 && isCapital(text.charAt(i - 2)) ? i - 2 : i - 1;
            for (int s = start; s < i; s++) {
                postcode.region(s, length);
                if (postcode.lookingAt()) {
                    out.add(new PiiSpan(s, postcode.end(), PiiType.ADDRESS.name()));
                    i = postcode.end();
                    break;
                }
            }
        }
    }

    private static boolean isCapital(char c) {
        return c >= 'A' && c <= 'Z';
    }

    /** A street found after a house number, and whether its suffix alone makes it an address. */
    private record Street(int end, boolean certain) {}

    /** "at", "to", "address", ... or a colon right before the house number at {@code i}. */
    private static boolean hasAddressCueBefore(String text, int i) {
        if (i >= 2 && text.charAt(i - 1) == ' ' && text.charAt(i - 2) == ':') {
            return true;
        }
        Word previous = Word.before(text, i);
        if (previous == null) {
            return false;
        }
        for (String cue : ADDRESS_CUES) {
            if (previous.is(text, cue)) {
                return true;
            }
        }
        return false;
    }

    /** The end of a house number at {@code i} ("42", "221B", "12-14", "7a"), or -1. */
    private static int houseNumberEnd(String text, int i) {
        int end = CharClasses.digitsEnd(text, i);
        if (end - i > 5) {
            return -1;
        }
        int length = text.length();
        if (end + 1 < length && (text.charAt(end) == '-' || text.charAt(end) == '/') && CharClasses.isDigit(text.charAt(end + 1))) {
            int rangeEnd = CharClasses.digitsEnd(text, end + 1);
            end = rangeEnd - end - 1 <= 5 ? rangeEnd : end;
        }
        if (end + 1 < length && text.charAt(end) == '.' && CharClasses.isDigit(text.charAt(end + 1))) {
            return -1; // "4.2": a version or a decimal
        }
        if (end < length && CharClasses.isAsciiLetter(text.charAt(end))
                && (end + 1 == length || !CharClasses.isWordChar(text.charAt(end + 1)))) {
            end++; // "221B", "7a"
        }
        return end < length && CharClasses.isWordChar(text.charAt(end)) ? -1 : end;
    }

    /** The street after a house number ("Elm Street", "rue de la Paix"), or null. */
    private static Street streetAfterNumber(String text, int numberEnd) {
        int i = numberEnd;
        if (i < text.length() && text.charAt(i) == ',') {
            i++; // "12, rue de la Paix"
        }
        Word first = Word.after(text, i);
        if (first != null && (first.is(text, "bis") || first.is(text, "ter"))) {
            first = Word.after(text, first.end());
        }
        if (first == null) {
            return null;
        }
        if (StreetWords.isFrenchType(text, first.start(), first.end())) {
            int end = nameEnd(text, first.end(), true);
            return end > 0 ? new Street(end, true) : null;
        }
        int suffixEnd = -1;
        boolean certain = false;
        Word word = first;
        for (int k = 0; k < MAX_NAME_WORDS && word != null && (word.isCapitalised(text) || word.isOrdinal(text)); k++) {
            if (k > 0 && StreetWords.isEnglishSuffix(text, word.start(), word.end())) {
                suffixEnd = word.end();
                certain = StreetWords.isUnambiguousSuffix(text, word.start(), word.end());
            }
            if (word.end() < text.length() && text.charAt(word.end()) == '.') {
                break; // an abbreviation or the end of the sentence
            }
            word = Word.after(text, word.end());
        }
        if (suffixEnd < 0) {
            return null;
        }
        if (suffixEnd + 1 < text.length() && text.charAt(suffixEnd) == '.'
                && (text.charAt(suffixEnd + 1) == ',' || text.startsWith(" #", suffixEnd + 1))) {
            suffixEnd++; // "Dr., Springfield", "St. #4": the abbreviation's dot
        }
        int afterDot = suffixEnd < text.length() && text.charAt(suffixEnd) == '.' ? suffixEnd + 1 : suffixEnd;
        Word directional = Word.after(text, afterDot);
        if (directional != null && Character.isUpperCase(text.charAt(directional.start()))
                && StreetWords.isDirectional(text, directional.start(), directional.end())) {
            return new Street(directional.end(), certain);
        }
        return new Street(suffixEnd, certain);
    }

    /**
     * The end of a street name made of capitalised words and particles after {@code from} (at
     * least one capitalised word), or -1.
     */
    private static int nameEnd(String text, int from, boolean allowParticles) {
        int end = -1;
        Word word = Word.after(text, from);
        for (int k = 0; k < MAX_NAME_WORDS && word != null; k++) {
            if (word.isCapitalised(text) || word.isElidedName(text)) {
                end = word.end();
            } else if (!(allowParticles && StreetWords.isParticle(text, word.start(), word.end()))) {
                break;
            }
            if (word.end() < text.length() && text.charAt(word.end()) == '.') {
                break;
            }
            word = Word.after(text, word.end());
        }
        return end;
    }

    /** The start of a German or Spanish street name right before the house number at {@code number}, or -1. */
    private static int streetBeforeNumber(String text, int number) {
        if (CharClasses.digitsEnd(text, number) - number > 3 || houseNumberEnd(text, number) < 0) {
            return -1; // "In July 2016", "In Rails 4.2" are no streets
        }
        Word previous = Word.before(text, number);
        if (previous != null && (previous.is(text, "nº") || previous.is(text, "n.º") || previous.is(text, "no")
                || previous.is(text, "núm") || previous.is(text, "nr"))) {
            previous = Word.before(text, previous.start());
        }
        if (previous == null) {
            return -1;
        }
        int prepositional = germanPrepositionalStreet(text, previous);
        if (prepositional >= 0) {
            return prepositional;
        }
        Word adjective = germanAdjectiveBefore(text, previous); // "Berliner Straße", "Kleine Kirchstr."
        int start = adjective != null ? adjective.start() : previous.start();
        if (StreetWords.isGermanStreet(text, previous.start(), previous.end())) {
            boolean bare = StreetWords.isBareGermanStreetWord(text, previous.start(), previous.end());
            return bare && adjective == null ? -1 : start;
        }
        if (StreetWords.isWeakGermanStreet(text, previous.start(), previous.end())
                && (previous.length() > 5 || adjective != null) && hasAddressCueBefore(text, start)) {
            return start;
        }
        int spanish = spanishStreet(text, previous);
        if (spanish >= 0) {
            return spanish;
        }
        if (previous.isName(text) && postalCodeAndCity(text, houseNumberEnd(text, number)) > 0) {
            // "Kinderhausen 31b, 50667 Köln": any name with a house number, a postal code and a city
            Word first = Word.before(text, previous.start());
            return first != null && first.isName(text) && previous.start() - first.end() == 1 ? first.start() : previous.start();
        }
        return -1;
    }

    /** A capitalised German adjective right before {@code street} ("Berliner", "Kleine", "Hüscheider"), or null. */
    private static Word germanAdjectiveBefore(String text, Word street) {
        Word before = Word.before(text, street.start());
        if (before == null || !before.isName(text) || street.start() - before.end() != 1) {
            return null;
        }
        String word = text.substring(before.start(), before.end());
        return word.endsWith("er") || word.endsWith("e") || word.endsWith("es") || word.endsWith("en") ? before : null;
    }

    /** "Calle Mayor", "Avenida de la Constitución" ending in {@code last}: where the street type starts, or -1. */
    private static int spanishStreet(String text, Word last) {
        Word word = last;
        boolean named = false;
        for (int k = 0; k <= MAX_NAME_WORDS && word != null; k++) {
            if (k > 0 && word.isCapitalised(text) && StreetWords.isSpanishType(text, word.start(), word.end())) {
                return named ? word.start() : -1;
            }
            if (word.isCapitalised(text)) {
                named = true;
            } else if (!StreetWords.isParticle(text, word.start(), word.end())) {
                return -1;
            }
            word = Word.before(text, word.start());
        }
        return -1;
    }

    /** "Am Markt 3", "In der Wasserkuhl 37", "Unter den Linden 5": where the preposition starts, or -1. */
    private static int germanPrepositionalStreet(String text, Word name) {
        if (!name.isName(text)) {
            return -1;
        }
        Word before = Word.before(text, name.start());
        if (before != null && before.isName(text) && !StreetWords.isGermanPreposition(text, before.start(), before.end())
                && name.start() - before.end() == 1) {
            before = Word.before(text, before.start()); // "Am Alten Gaswerk"
        }
        if (before != null && StreetWords.isGermanArticle(text, before.start(), before.end())) {
            before = Word.before(text, before.start());
        }
        return before != null && StreetWords.isGermanPreposition(text, before.start(), before.end()) ? before.start() : -1;
    }

    /** Where a "P.O. Box" or a postal-code cue ends right before {@code i} starts, or -1. */
    private static int boxOrPostalCodeStart(String text, int i, int digitsEnd) {
        int from = Math.max(0, i - CUE_WINDOW);
        if (!windowHasCue(text, from, i)) {
            return -1; // the regular expressions below cost more than this look for their key letters
        }
        Matcher box = BOX_BEFORE.matcher(text).region(from, i);
        box.useTransparentBounds(true);
        if (digitsEnd - i <= 6 && box.find()) {
            return box.start();
        }
        int digits = digitsEnd - i;
        if (digits >= 4 && digits <= 6) {
            Matcher cue = POSTAL_CUE_BEFORE.matcher(text).region(from, i);
            cue.useTransparentBounds(true);
            if (cue.find()) {
                return i;
            }
        }
        return -1;
    }

    /** Key letters of every box word and postal-code cue: "box", "postfach", "apartado", "bp", "postale", "zip", "plz", ... */
    private static final String[] CUE_KEYS = {"box", "post", "apartado", "bp", "b.p", "zip", "plz", "digo", "c.p"};

    private static boolean windowHasCue(String text, int from, int to) {
        for (int j = from; j < to; j++) {
            char c = Character.toLowerCase(text.charAt(j));
            if (c != 'b' && c != 'p' && c != 'a' && c != 'z' && c != 'd' && c != 'c') {
                continue;
            }
            for (String key : CUE_KEYS) {
                if (text.regionMatches(true, j, key, 0, key.length())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Extends an address over what follows it: a unit ("Apt 4B", "Suite 200", "#12"), then a
     * city after a comma (with a state and ZIP code or a UK postcode if they follow), or a postal
     * code and city. An
     * address that is not {@code certain} is kept only if a unit or a code follows; else -1.
     */
    private static int continuation(String text, int end, boolean certain) {
        int unit = unitEnd(text, end);
        int postal = postalCodeAndCity(text, unit);
        if (postal > 0) {
            return postal;
        }
        int city = cityEnd(text, unit);
        int state = city > 0 ? stateAndZip(text, city) : -1;
        if (state > 0) {
            return state;
        }
        Matcher postcode = UK_POSTCODE.matcher(text);
        if (city > 0 && city + 1 < text.length()) {
            postcode.region(city + 1, text.length());
            if (postcode.lookingAt()) {
                return postcode.end();
            }
        }
        if (!certain && unit == end) {
            return -1;
        }
        return city > 0 ? city : unit;
    }

    /** "Apt 4B, " or "Suite 200 " right before an address: where the unit word starts, else {@code start}. */
    private static int unitBefore(String text, int start) {
        Word id = Word.before(text, start);
        if (id != null && StreetWords.isUnitWord(text, id.start(), id.end())) {
            return id.start(); // "Apt 4B Elm Street": the number was the unit's
        }
        if (id == null || !CharClasses.hasDigit(text, id.start(), id.end()) || id.length() > 6) {
            return start;
        }
        Word unit = Word.before(text, id.start());
        return unit != null && id.start() - unit.end() <= 2 && StreetWords.isUnitWord(text, unit.start(), unit.end())
                ? unit.start() : start;
    }

    private static int unitEnd(String text, int end) {
        int i = end < text.length() && text.charAt(end) == ',' ? end + 1 : end;
        if (i + 1 < text.length() && text.charAt(i) == ' ' && text.charAt(i + 1) == '#') {
            int id = tokenEnd(text, i + 2);
            return id > i + 2 ? id : end;
        }
        Word unit = Word.after(text, i);
        if (unit == null || !StreetWords.isUnitWord(text, unit.start(), unit.end())) {
            return end;
        }
        int j = unit.end() < text.length() && text.charAt(unit.end()) == '.' ? unit.end() + 1 : unit.end();
        if (j < text.length() && text.charAt(j) == ' ') {
            j++;
        }
        int id = tokenEnd(text, j);
        return id > j && id - j <= 6 && CharClasses.hasDigit(text, j, id) ? id : end;
    }

    private static int tokenEnd(String text, int i) {
        while (i < text.length() && (CharClasses.isAsciiAlnum(text.charAt(i)) || text.charAt(i) == '-')) {
            i++;
        }
        return i;
    }

    /** ", 10115 Berlin" or " 75002 Paris" after {@code end}: the end of the city, or -1. */
    private static int postalCodeAndCity(String text, int end) {
        int i = end < text.length() && text.charAt(end) == ',' ? end + 1 : end;
        if (i >= text.length() || text.charAt(i) != ' ') {
            return -1;
        }
        int digitsEnd = CharClasses.digitsEnd(text, i + 1);
        int digits = digitsEnd - i - 1;
        if (digits < 4 || digits > 5) {
            return -1;
        }
        Word city = Word.after(text, digitsEnd);
        if (city == null || digitsEnd >= text.length() || text.charAt(digitsEnd) != ' ' || !city.isCapitalised(text)) {
            return -1;
        }
        Word second = Word.after(text, city.end());
        return second != null && second.isCapitalised(text) && text.charAt(city.end()) == ' ' ? second.end() : city.end();
    }

    /** ", Springfield" (one to three capitalised words) after {@code end}: its end, or -1. */
    private static int cityEnd(String text, int end) {
        if (end + 1 >= text.length() || text.charAt(end) != ',') {
            return -1;
        }
        int cityEnd = -1; // "Springfield", "Port Avril", "New York": wherever the clause goes on
        Word word = Word.after(text, end + 1);
        for (int k = 0; k < 3 && word != null && word.isName(text); k++) {
            cityEnd = word.end();
            if (cityEnd >= text.length() || text.charAt(cityEnd) != ' ' || isPostcodeAt(text, cityEnd + 1)) {
                break;
            }
            word = Word.after(text, cityEnd);
        }
        return cityEnd;
    }

    private static boolean isPostcodeAt(String text, int i) {
        Matcher postcode = UK_POSTCODE.matcher(text);
        postcode.region(i, text.length());
        return i < text.length() && postcode.lookingAt();
    }

    /** ", IL 62704", " IL 62704-1234", ", IL" or " 62704" after a city: the end, or -1. */
    private static int stateAndZip(String text, int city) {
        int i = city < text.length() && text.charAt(city) == ',' ? city + 1 : city;
        if (i + 1 >= text.length() || text.charAt(i) != ' ') {
            return -1;
        }
        int j = i + 1;
        int stateEnd = -1;
        if (j + 2 <= text.length() && StreetWords.isState(text, j, j + 2)
                && (j + 2 == text.length() || !CharClasses.isWordChar(text.charAt(j + 2)))) {
            stateEnd = j + 2;
            if (stateEnd + 1 < text.length() && text.charAt(stateEnd) == ' ' && CharClasses.isDigit(text.charAt(stateEnd + 1))) {
                j = stateEnd + 1;
            } else {
                return stateEnd;
            }
        }
        int zipEnd = CharClasses.digitsEnd(text, j);
        if (zipEnd - j != 5) {
            return stateEnd;
        }
        if (zipEnd + 4 < text.length() && text.charAt(zipEnd) == '-' && CharClasses.digitsEnd(text, zipEnd + 1) - zipEnd - 1 == 4) {
            zipEnd += 5;
        }
        return zipEnd == text.length() || !CharClasses.isWordChar(text.charAt(zipEnd)) ? zipEnd : stateEnd;
    }

    /** One word of an address: letters, digits and inner hyphens, apostrophes or a '/' ("C/"). */
    private record Word(int start, int end) {

        int length() {
            return end - start;
        }

        boolean is(String text, String word) {
            return length() == word.length() && text.regionMatches(true, start, word, 0, word.length());
        }

        boolean isCapitalised(String text) {
            return Character.isUpperCase(text.charAt(start));
        }

        /** Capitalised, with a lower-case letter and no digit: "Springfield", "Saint-Denis", not "NW1" or "IL". */
        boolean isName(String text) {
            if (!isCapitalised(text)) {
                return false;
            }
            boolean lower = false;
            for (int i = start; i < end; i++) {
                char c = text.charAt(i);
                if (CharClasses.isDigit(c)) {
                    return false;
                }
                lower |= Character.isLowerCase(c);
            }
            return lower;
        }

        /** "d'Assas", "l'Odéon": an elided article and a capitalised name. */
        boolean isElidedName(String text) {
            return length() > 3 && (text.charAt(start + 1) == '\'' || text.charAt(start + 1) == '\u2019')
                    && Character.isUpperCase(text.charAt(start + 2));
        }

        boolean isOrdinal(String text) {
            return length() >= 3 && CharClasses.isDigit(text.charAt(start))
                    && Character.isLetter(text.charAt(end - 1));
        }

        /**
         * The word after the single space at {@code i} (or at {@code i} itself), or null. A dot
         * after it stays outside: it may end the sentence ("42 Oak St.").
         */
        static Word after(String text, int i) {
            if (i < text.length() && text.charAt(i) == ' ') {
                i++;
            }
            int end = i;
            while (end < text.length() && isWordPart(text, end)) {
                end++;
            }
            return end > i && Character.isLetterOrDigit(text.charAt(i)) || (end > i && text.charAt(i) == '#')
                    ? new Word(i, end) : null;
        }

        /** The word that ends before the space (and optional comma) before {@code i}, or null. */
        static Word before(String text, int i) {
            int end = i;
            if (end > 0 && text.charAt(end - 1) == ' ') {
                end--;
            }
            if (end > 0 && text.charAt(end - 1) == ',') {
                end--;
            }
            int start = end;
            while (start > 0 && (isWordPart(text, start - 1) || text.charAt(start - 1) == '.' || text.charAt(start - 1) == 'º')) {
                start--;
            }
            while (start < end && !Character.isLetterOrDigit(text.charAt(start))) {
                start++;
            }
            return end > start ? new Word(start, end) : null;
        }

        private static boolean isWordPart(String text, int i) {
            char c = text.charAt(i);
            return Character.isLetterOrDigit(c) || ((c == '-' || c == '\'' || c == '\u2019' || c == '/' || c == 'º')
                    && i > 0 && Character.isLetterOrDigit(text.charAt(i - 1)));
        }
    }
}
