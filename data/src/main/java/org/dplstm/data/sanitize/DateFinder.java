package org.dplstm.data.sanitize;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Dates that can identify a person (HIPAA Safe Harbor's first identifiers): every full date (day,
 * month and year: "12/03/1985", "1985-03-12", "12.03.1985", "March 12, 1985", "12th of March
 * 1985", "12. März 1985", "12 de marzo de 1985", "1er mars 1985"), and a day with its month or a
 * month with its year after a birth cue ("born on March 12", "DOB 03/1985", "geboren im März
 * 1985"). Bare years, weekdays and times stay. Each candidate is validated as a calendar date
 * (months 1-12, the month's days, years 1900-2099 when written in full); numeric dates read
 * day-first or month-first, whichever is valid. Dotted and dashed numbers need a four-digit year,
 * so version numbers ("2.10.12") stay.
 */
final class DateFinder implements SpanFinder {
    /** How far before a partial date a birth cue may end. */
    private static final int CUE_WINDOW = 40;
    private static final Map<String, Integer> MONTHS = months();
    private static final String MONTH = MONTHS.keySet().stream()
            .sorted(Comparator.comparingInt(String::length).reversed())
            .map(Pattern::quote).collect(Collectors.joining("|", "(?:", ")"));
    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
    private static final Pattern NUMERIC = Pattern.compile(
            "(?<![\\w/.:-])(\\d{1,4})([/.-])(\\d{1,2})\\2(\\d{4}|\\d{2})(?![\\w/:]|[.-]\\d)");
    private static final Pattern DAY_MONTH_YEAR = Pattern.compile(
            "(?<![\\w.])(\\d{1,2})(?:st|nd|rd|th|er|º|°|\\.)?(?: of| de)? (" + MONTH + ")\\.?,?(?: de| del)?"
                    + "(?: (\\d{4}))?(?![\\w])", FLAGS);
    private static final Pattern DAY_MONTH_NUMERIC = Pattern.compile(
            "(?<![\\w/.-])(\\d{1,2})([/.])(\\d{1,2})\\2?(?![\\w/]|[.-]\\d)");
    private static final Pattern MONTH_YEAR_NUMERIC = Pattern.compile("(?<![\\w/.-])(\\d{1,2})([/.-])(\\d{4})(?![\\w/]|[.-]\\d)");
    private static final Pattern BIRTH_CUE = Pattern.compile(
            "(?:\\bborn\\b|\\bbirth|\\bd\\.?o\\.?b\\b|\\bgeb(?:oren|\\.)|\\bgeburt|\\bnacid[oa]s?\\b|\\bnacimiento"
                    + "|\\bcumplea|\\bnée?\\b|\\bnaissance|\\banniversaire)", FLAGS);
    private static final Set<String> ORDINALS = Set.of("st", "nd", "rd", "th");

    @Override
    public void find(String text, List<PiiSpan> out) {
        if (!CharClasses.hasDigit(text)) {
            return;
        }
        int before = out.size();
        Matcher numeric = NUMERIC.matcher(text).useTransparentBounds(true);
        Matcher dayFirst = DAY_MONTH_YEAR.matcher(text).useTransparentBounds(true);
        Matcher dayMonth = DAY_MONTH_NUMERIC.matcher(text).useTransparentBounds(true);
        Matcher monthYear = MONTH_YEAR_NUMERIC.matcher(text).useTransparentBounds(true);
        int length = text.length();
        // every date here starts with a digit run: try the patterns there only (a regex scan tries
        // its look-behind at every character, which made this detector the slowest)
        for (int i = 0; i < length; i = Math.max(i + 1, CharClasses.digitsEnd(text, i))) {
            if (!CharClasses.isDigit(text.charAt(i)) || (i > 0 && CharClasses.isDigit(text.charAt(i - 1)))) {
                continue;
            }
            if (at(numeric, i) && isNumericDate(numeric.group(1), numeric.group(2), numeric.group(3), numeric.group(4))) {
                out.add(new PiiSpan(i, numeric.end(), PiiType.DATE.name()));
                i = numeric.end() - 1;
                continue;
            }
            if (at(dayFirst, i)) {
                int month = monthOf(dayFirst.group(2));
                int day = Integer.parseInt(dayFirst.group(1));
                boolean full = dayFirst.group(3) != null && isYear(dayFirst.group(3));
                if (isDay(day, month) && (full || hasBirthCue(text, i))) {
                    out.add(new PiiSpan(i, full ? dayFirst.end() : dayFirst.end(2), PiiType.DATE.name()));
                    continue;
                }
            }
            if (at(monthYear, i) && isMonth(Integer.parseInt(monthYear.group(1))) && isYear(monthYear.group(3))
                    && hasBirthCue(text, i)) {
                out.add(new PiiSpan(i, monthYear.end(), PiiType.DATE.name()));
                continue;
            }
            if (at(dayMonth, i)) {
                int first = Integer.parseInt(dayMonth.group(1));
                int second = Integer.parseInt(dayMonth.group(3));
                if ((isDay(first, second) || isDay(second, first)) && hasBirthCue(text, i)) {
                    // "am 12.03.": the closing dot may end the sentence; keep it out either way
                    out.add(new PiiSpan(i, dayMonth.end(3), PiiType.DATE.name()));
                }
            }
        }
        findMonthFirst(text, out);
        if (out.size() - before > 1) {
            dropNested(out, before);
        }
    }

    /** True if {@code matcher}'s pattern matches at {@code i} (look-behind sees the text before). */
    private static boolean at(Matcher matcher, int i) {
        matcher.region(i, matcher.regionEnd()); // the end stays the text's end
        return matcher.lookingAt();
    }

    /**
     * "March 12, 1985", "Mar. 12th 1985", and after a birth cue "March 12" and "March 1985": found
     * from the digits back to the month name before them (a regex scan for month names at every
     * letter would cost more than all the other detectors together).
     */
    private static void findMonthFirst(String text, List<PiiSpan> out) {
        int length = text.length();
        for (int i = 1; i < length; i++) {
            if (!CharClasses.isDigit(text.charAt(i)) || text.charAt(i - 1) != ' ') {
                continue;
            }
            int runEnd = i;
            while (runEnd < length && CharClasses.isDigit(text.charAt(runEnd))) {
                runEnd++;
            }
            int digits = runEnd - i;
            int monthStart = digits <= 2 || digits == 4 ? monthBefore(text, i - 1) : -1;
            if (monthStart >= 0) {
                int month = monthOf(monthWord(text, monthStart));
                if (digits == 4) { // month and year
                    if (isYear(text.substring(i, runEnd)) && isWordEnd(text, runEnd) && hasBirthCue(text, monthStart)) {
                        out.add(new PiiSpan(monthStart, runEnd, PiiType.DATE.name()));
                    }
                } else {
                    addMonthDay(text, monthStart, month, i, runEnd, out);
                }
            }
            i = runEnd;
        }
    }

    private static void addMonthDay(String text, int monthStart, int month, int dayStart, int dayEnd, List<PiiSpan> out) {
        int end = dayEnd;
        if (end + 2 <= text.length() && ORDINALS.contains(text.substring(end, end + 2).toLowerCase(Locale.ROOT))) {
            end += 2;
        }
        if (!isDay(Integer.parseInt(text, dayStart, dayEnd, 10), month) || !isWordEnd(text, end)) {
            return;
        }
        int yearEnd = yearAfter(text, end);
        if (yearEnd > 0) {
            out.add(new PiiSpan(monthStart, yearEnd, PiiType.DATE.name()));
        } else if ((end == text.length() || text.charAt(end) != ':') && hasBirthCue(text, monthStart)) {
            out.add(new PiiSpan(monthStart, end, PiiType.DATE.name()));
        }
    }

    /** If a month name ends before the space at {@code space} (then maybe '.', ',' or " de"), its start; else -1. */
    private static int monthBefore(String text, int space) {
        int end = space;
        if (end >= 3 && text.regionMatches(true, end - 3, " de", 0, 3)) {
            end -= 3;
        }
        while (end > 0 && (text.charAt(end - 1) == '.' || text.charAt(end - 1) == ',')) {
            end--;
        }
        int start = end;
        while (start > 0 && Character.isLetter(text.charAt(start - 1))) {
            start--;
        }
        if (end - start < 3 || end - start > 10 || (start > 0 && CharClasses.isWordChar(text.charAt(start - 1)))) {
            return -1;
        }
        return MONTHS.containsKey(text.substring(start, end).toLowerCase(Locale.ROOT)) ? start : -1;
    }

    private static String monthWord(String text, int start) {
        int end = start;
        while (end < text.length() && Character.isLetter(text.charAt(end))) {
            end++;
        }
        return text.substring(start, end);
    }

    /** The end of ", 1985" or " 1985" at {@code i}, or -1. */
    private static int yearAfter(String text, int i) {
        int at = i < text.length() && text.charAt(i) == ',' ? i + 1 : i;
        if (at + 5 > text.length() || text.charAt(at) != ' ') {
            return -1;
        }
        int end = at + 5;
        for (int c = at + 1; c < end; c++) {
            if (!CharClasses.isDigit(text.charAt(c))) {
                return -1;
            }
        }
        return isWordEnd(text, end) && isYear(text.substring(at + 1, end)) ? end : -1;
    }

    private static boolean isWordEnd(String text, int end) {
        return end == text.length() || !CharClasses.isWordChar(text.charAt(end));
    }

    /** The patterns overlap ("12 March 1985" and "March 1985"): the redactor keeps the first, longest. */
    private static void dropNested(List<PiiSpan> out, int from) {
        for (int i = out.size() - 1; i >= from; i--) {
            PiiSpan inner = out.get(i);
            for (int j = from; j < out.size(); j++) {
                PiiSpan outer = out.get(j);
                if (j != i && outer.start() <= inner.start() && outer.end() >= inner.end() && outer.length() > inner.length()) {
                    out.remove(i);
                    break;
                }
            }
        }
    }

    /** True if a birth cue ends within {@link #CUE_WINDOW} chars before {@code start}. */
    private static boolean hasBirthCue(String text, int start) {
        int from = Math.max(0, start - CUE_WINDOW);
        Matcher cue = BIRTH_CUE.matcher(text).region(from, Math.min(start, text.length()));
        cue.useTransparentBounds(true);
        return cue.find();
    }

    /** Year-month-day, day-month-year or month-day-year, whichever reading is a real date. */
    private static boolean isNumericDate(String first, String separator, String second, String third) {
        int a = Integer.parseInt(first);
        int b = Integer.parseInt(second);
        if (first.length() == 4) {
            return third.length() <= 2 && isYear(first) && isDay(Integer.parseInt(third), b);
        }
        if (first.length() > 2 || (third.length() == 2 && !separator.equals("/"))) {
            return false; // "2.10.12" is a version; a two-digit year only with slashes (12/03/85)
        }
        if (third.length() == 4 && !isYear(third)) {
            return false;
        }
        return isDay(a, b) || isDay(b, a);
    }

    private static boolean isYear(String year) {
        int y = Integer.parseInt(year);
        return year.length() == 4 && y >= 1900 && y <= 2099;
    }

    private static boolean isMonth(int month) {
        return month >= 1 && month <= 12;
    }

    /** True if {@code day} exists in {@code month} of some year (29 February included). */
    private static boolean isDay(int day, int month) {
        if (!isMonth(month) || day < 1) {
            return false;
        }
        int days = switch (month) {
            case 2 -> 29;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
        return day <= days;
    }

    private static int monthOf(String name) {
        return MONTHS.get(name.toLowerCase(Locale.ROOT));
    }

    /** Month names and abbreviations in English, German, Spanish and French, lower case. */
    private static Map<String, Integer> months() {
        String[][] names = {
            {"january", "jan", "januar", "jänner", "enero", "ene", "janvier", "janv"},
            {"february", "feb", "februar", "febrero", "février", "fevrier", "févr", "fevr"},
            {"march", "mar", "märz", "marz", "marzo", "mars"},
            {"april", "apr", "abril", "abr", "avril", "avr"},
            {"may", "mai", "mayo", "may"},
            {"june", "jun", "juni", "junio", "juin"},
            {"july", "jul", "juli", "julio", "juillet", "juil"},
            {"august", "aug", "agosto", "ago", "août", "aout"},
            {"september", "sep", "sept", "septiembre", "setiembre", "septembre"},
            {"october", "oct", "oktober", "okt", "octubre", "octobre"},
            {"november", "nov", "noviembre", "novembre"},
            {"december", "dec", "dezember", "dez", "diciembre", "dic", "décembre", "decembre", "déc"}};
        Map<String, Integer> months = new HashMap<>();
        for (int m = 0; m < names.length; m++) {
            for (String name : names[m]) {
                months.put(name, m + 1);
            }
        }
        return Map.copyOf(months);
    }
}
